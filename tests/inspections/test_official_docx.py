"""五书制 documents and 一函三报告一建议 letters as .docx in the GB/T 9704 layout, converted to
PDF by LibreOffice and measured: A4 portrait, a red 发文机关标志, 2号 title, 3号 正文 at 22 lines
a page and 28 characters a line, 成文日期 in Chinese numerals; the 主送 of a letter downloaded
by a recipient names only the units that reader may see. Pages → var/screenshots/letter-*.png."""

import io
from collections import Counter
from datetime import date

import pytest
import time_machine
from django.urls import reverse
from docx import Document as Docx

from inspections import services
from inspections.docx import LINE_PT, escalation_docx
from inspections.models import EscalationDocument
from tests.printed import a4, read, screenshots, to_pdf

from .conftest import at, make_finding, make_inspection, make_measure

pytestmark = pytest.mark.django_db
L = EscalationDocument.Level
BODY = ("根据县委巡察工作统一部署，县纪委监委对你单位落实全面从严治党主体责任情况进行了监督检查。"
        "检查发现，村级集体资金、资产、资源管理制度执行不严，部分村务公开不及时、不规范，"
        "群众反映的问题未能及时回应，个别村干部履职意识不强，廉洁风险防控措施落实不到位。")


@pytest.fixture
def letters(county, leader, client, tmp_path):
    with time_machine.travel(at(2026, 5, 1, 9), tick=False):
        measure = make_measure(county, make_finding(county, make_inspection(county, leader, [])), deadline=date(2026, 7, 31))
    with time_machine.travel(at(2026, 8, 1, 9), tick=False):
        services.run_escalation()
        doc = services.send_document(county.staff, kind="proposal", title="关于加强农村集体“三资”管理的纪检监察建议",
                                     body="\n".join([BODY] * 4), orgs=[county.town1, county.town2],
                                     reply_due=date(2026, 12, 6), number="示纪建〔2026〕3号")
    warning = measure.escalations.get(level=L.WARNING)
    client.force_login(county.t1_party)   # a recipient: 主送 only its own town
    response = client.get(reverse("inspections:document_docx", args=[doc.pk]))
    assert response.status_code == 200 and response["Content-Disposition"].endswith(".docx")
    paths = {"letter-warning": escalation_docx(warning), "letter-proposal": response.content}
    files = []
    for name, data in paths.items():
        (tmp_path / f"{name}.docx").write_bytes(data)
        files.append(tmp_path / f"{name}.docx")
    pdfs = to_pdf(files, tmp_path)
    for pdf in pdfs:
        screenshots(pdf, pdf.stem)
    return {p.stem: read(p) for p in pdfs}, paths, warning


def _body_lines(doc, size=16.0):
    """Text lines set in the body size: (page, top) → number of characters."""
    lines = Counter()
    for g in doc.glyphs:
        if abs(g.size - size) < 0.3:
            lines[(g.page, round(g.top, 0))] += 1
    return lines


def test_layout_as_printed(letters):
    docs, _data, _warning = letters
    for name, doc in docs.items():
        assert doc.pages and all(a4(p, landscape=False) for p in doc.pages), name
        assert not doc.overlaps(), name
        sizes = Counter(round(s) for s in doc.sizes)
        assert sizes[16] > sizes[22] > 0, (name, sizes)          # 3号 正文, 2号 title
        assert min(doc.sizes) >= 14, name                          # nothing smaller than the 4号 page number
    proposal = docs["letter-proposal"]
    assert len(proposal.pages) == 2
    lines = _body_lines(proposal)
    page1 = sorted(top for page, top in lines if page == 1)
    pitches = [b - a for a, b in zip(page1, page1[1:])]
    assert pitches and min(pitches) == pytest.approx(LINE_PT, abs=0.6)   # 22 lines in the 225 mm 版心
    assert 225 / 25.4 * 72 / min(pitches) == pytest.approx(22, abs=0.3)
    assert max(lines.values()) == 28                                         # 28 characters a full line
    text = "".join(proposal.text().split())   # lines joined, as read
    assert "二〇二六年八月一日" in text and "请于2026年12月6日前" in text
    assert "城关镇：" in text and "河口镇" not in text                         # 主送: only the reader's unit
    assert "—1—" in "".join(proposal.text(1).split()) and "—2—" in "".join(proposal.text(2).split())


def test_issuer_is_red_and_on_top(letters):
    docs, _data, warning = letters
    doc = docs["letter-warning"]
    top = min(doc.lines, key=lambda ln: ln.top)
    assert top.text.startswith("示范县纪委监委") and top.size >= 22
    text = "".join(doc.text().split())
    assert "整改情况告诫书" in text and warning.number in text and "二〇二六年八月一日" in text
    assert "2026年8月16日前完成整改" in text      # the final deadline the 告诫书 sets, in the one date style


def test_docx_names_its_fonts_and_page(letters):
    _docs, data, _warning = letters
    d = Docx(io.BytesIO(data["letter-warning"]))
    s = d.sections[0]
    assert (round(s.page_width.mm), round(s.page_height.mm)) == (210, 297)
    assert (round(s.top_margin.mm), round(s.bottom_margin.mm), round(s.left_margin.mm), round(s.right_margin.mm)) == (37, 35, 28, 26)
    xml = d.element.xml
    assert 'w:eastAsia="仿宋_GB2312"' in xml and 'w:eastAsia="方正小标宋简体"' in xml and 'w:color w:val="E60012"' in xml
    assert [p.text for p in d.paragraphs if p.text][-1] == "二〇二六年八月一日"
