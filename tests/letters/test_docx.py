"""A 目标责任书 as printed: the .docx a village downloads, converted by LibreOffice to PDF and
measured — A4 portrait in the GB/T 9704 layout shared with the commission's letters (red
发文机关标志, 2号 title, 3号 正文, nothing smaller than the 4号 page number, no text printed over
other text), 主送 the village, 成文日期 in Chinese numerals, both sides' signature lines.
Pages → var/screenshots/responsibility-letter-*.png."""

from collections import Counter

import pytest
from django.urls import reverse

from letters import services
from tests.printed import a4, read, screenshots, to_pdf

from .conftest import letter_of

pytestmark = pytest.mark.django_db


def _printed_text(client, letter, tmp_path, name) -> str:
    """The letter's .docx as printed, checked for the layout every letter keeps; its text."""
    response = client.get(reverse("letters:docx", args=[letter.pk]))
    assert response.status_code == 200 and ".docx" in response["Content-Disposition"]
    path = tmp_path / f"{name}.docx"
    path.write_bytes(response.content)
    (pdf,) = to_pdf([path], tmp_path)
    shots = screenshots(pdf, name)
    doc = read(pdf)
    assert 1 <= len(doc.pages) <= 2 and all(a4(p, landscape=False) for p in doc.pages)
    assert not doc.overlaps()
    sizes = Counter(round(s) for s in doc.sizes)
    assert sizes[16] > sizes[22] > 0, sizes           # 3号 正文, 2号 title
    assert min(doc.sizes) >= 14                          # nothing below the 4号 page number
    assert shots or not doc.pages
    return "".join(doc.text().split())


def test_the_letter_prints_as_an_official_document(county, client, tmp_path):
    services.issue(county.t1_party, county.town1, 2026, [county.v11])
    client.force_login(county.v11_clerk)
    text = _printed_text(client, letter_of(county.v11), tmp_path, "responsibility-letter")
    for expected in ("中共城关镇委员会", "2026年度全面从严治党目标责任书", "东村：", "二〇二六年十一月十八日",
                     "下达单位（盖章）", "责任单位（盖章）", "有效期至2026年12月31日"):
        assert expected in text, expected


def test_a_citys_letter_to_a_county_prints_the_same_way(client, tmp_path):
    """A 市 / province root's letter to one of its counties (pages → responsibility-letter-county-*.png)."""
    from tests.province import build_province

    p = build_province()
    services.issue(p.p_staff, p.root, 2026, [p.a])
    client.force_login(p.a_staff)
    text = _printed_text(client, letter_of(p.a), tmp_path, "responsibility-letter-county")
    for expected in ("中共基准市委员会", "甲县：", "中共甲县委员会对本县全面从严治党负主体责任", "二〇二六年十一月十八日",
                     "下达单位（盖章）", "责任单位（盖章）"):
        assert expected in text, expected
