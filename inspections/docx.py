"""Official documents as .docx (python-docx) in the layout of GB/T 9704-2012 (党政机关公文格式):
the 五书制 escalation documents and the 一函三报告一建议 documents.

A ``Letter`` holds what a document says (issuer, 发文字号, title, 主送, 正文, 落款, 成文日期);
``escalation_letter`` and ``document_letter`` fill it, ``official_docx`` lays it out and the
print view renders the same Letter. The layout:

- A4, 版心 156 × 225 mm (margins: top 37, bottom 35, left 28, right 26 mm);
- 版头: 发文机关标志 in red, centred; 发文字号 centred below it; a red rule the width of the 版心;
- title in 2号 (22 pt) 小标宋, centred, two lines below the rule;
- 主送机关, then 正文 in 3号 (16 pt) 仿宋, first line indented two characters, 22 lines a
  page (exact line pitch 225 mm / 22) and 28 characters a line (the characters set 0.25 pt
  closer, 28 × 15.75 pt ≤ 156 mm);
- 落款 and 成文日期 (二〇二六年十二月六日, accounts.dates.chinese_day) on the right;
- page numbers "— 1 —" in 4号 宋体, odd pages right, even pages left.

Fonts are named as the standard has them (方正小标宋简体, 仿宋_GB2312, 宋体): present on the
machines of a 党政机关. Where they are missing (a Debian server converting to PDF) the
system's CJK fallback (WenQuanYi Micro Hei, fonts-wqy-microhei) stands in with the same
sizes, so the page geometry holds though the faces differ."""

import io
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from accounts.dates import chinese_day, day

from .services.escalation import Level

TITLES = {
    Level.NOTICE: "整改督查督办通知书",
    Level.GUIDANCE: "整改阶段督查指导书",
    Level.REMINDER: "整改情况提醒书",
    Level.WARNING: "整改情况告诫书",
    Level.ACCOUNTABILITY: "巡察整改问责建议书",
}
# What each level asks of the unit, after the facts (the 正文's last paragraph).
ASKS = {
    Level.NOTICE: "现予督查督办。请你单位对照整改措施抓紧落实，于{deadline}前完成整改，并将整改情况书面报送{issuer}。",
    Level.GUIDANCE: "现对你单位整改工作进行阶段督查指导。请你单位主要负责人签收本指导书，按整改方案推进落实，"
                    "于{deadline}前报送阶段整改情况。",
    Level.REMINDER: "现予提醒。请你单位高度重视，于{deadline}前完成整改，并将整改情况书面报送{issuer}。",
    Level.WARNING: "现予告诫。请你单位切实履行整改主体责任，于{deadline}前完成整改；逾期仍未完成的，将依规提出问责建议。",
    Level.ACCOUNTABILITY: "鉴于上述情况，建议对相关责任单位和责任人员依规依纪依法予以问责。",
}

RED = RGBColor(0xE6, 0x00, 0x12)
TITLE_FONT, BODY_FONT, NUMBER_FONT, LATIN_FONT = "方正小标宋简体", "仿宋_GB2312", "宋体", "Times New Roman"
BODY_PT, TITLE_PT, MARK_PT, PAGE_NO_PT = 16, 22, 26, 14          # 3号, 2号, 版头, 4号
LINE_PT = 225 / 22 / 25.4 * 72                                    # 22 lines in the 225 mm 版心
CONDENSE_PT = 0.25                                                # 28 characters in the 156 mm 版心


@dataclass
class Letter:
    issuer: str                      # 发文机关标志 and 落款
    number: str                      # 发文字号
    title: str
    to: list[str]                    # 主送机关
    body: list[str]                  # 正文, one paragraph each
    issued_on: date
    attachment: str = ""             # 附件 name
    after: list[str] = field(default_factory=list)   # lines after the 成文日期 (a signature line)

    @property
    def date_text(self) -> str:
        return chinese_day(self.issued_on)


def _sentence(text: str) -> str:
    text = (text or "").strip()
    return text if not text or text[-1] in "。！？；.!?" else text + "。"


def escalation_letter(doc) -> Letter:
    m = doc.measure
    f = m.finding
    insp = f.inspection
    issuer = f"{settings.COUNTY_NAME}纪委监委（巡察办）"
    people = "、".join(p for p in (f"责任领导{m.leader_name}" if m.leader_name else "",
                                   f"责任人{m.person_name}" if m.person_name else "") if p)
    facts = (f"{insp.round.name}对{insp.org.name}开展巡察，反馈问题“{f.description.strip()}”。"
             f"你单位承担的整改措施为“{m.action.strip()}”，整改目标为“{m.goal.strip()}”"
             f"{'，' + people if people else ''}，完成时限为{day(m.deadline)}。")
    deadline = day(doc.final_deadline or m.deadline)
    body = [facts, _sentence(doc.reason), ASKS[Level(doc.level)].format(deadline=deadline, issuer=issuer)]
    after = ["被巡察单位主要负责人签字：＿＿＿＿＿＿　　日期：＿＿＿＿＿＿"] if doc.level == Level.GUIDANCE else []
    return Letter(issuer, doc.number, TITLES[Level(doc.level)], [m.org.name], body, doc.issued_on, after=after)


def document_letter(doc, recipients: list[str]) -> Letter:
    """一函三报告一建议: the text as written, a reply date asked for at its end."""
    issuer = f"{settings.COUNTY_NAME}纪委监委"
    body = [p.strip() for p in (doc.body or "").splitlines() if p.strip()]
    if doc.reply_due:
        body.append(f"请于{day(doc.reply_due)}前将落实情况书面回复{issuer}。")
    return Letter(issuer, doc.number, doc.title, recipients, body, doc.issued_on, attachment=doc.attachment_name)


# --- layout --------------------------------------------------------------------------

def _fonts(run, east_asia: str, size: float, *, bold=False, colour=None, condense=True):
    run.font.size = Pt(size)
    run.font.name = LATIN_FONT
    run.font.bold = bold
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), east_asia)
    if colour is not None:
        run.font.color.rgb = colour
    if condense:
        spacing = OxmlElement("w:spacing")
        spacing.set(qn("w:val"), str(-round(CONDENSE_PT * 20)))
        rpr.append(spacing)
    return run


def _paragraph(d, text="", *, font=BODY_FONT, size=BODY_PT, align=None, indent_chars=0, right_chars=0,
               exact=True, colour=None, bold=False):
    p = d.add_paragraph()
    fmt = p.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    if exact:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(LINE_PT)
    if indent_chars:
        fmt.first_line_indent = Pt(indent_chars * (BODY_PT - CONDENSE_PT))
    if right_chars:
        fmt.right_indent = Pt(right_chars * (BODY_PT - CONDENSE_PT))
    if align is not None:
        p.alignment = align
    if text:
        _fonts(p.add_run(text), font, size, colour=colour, bold=bold)
    return p


def _red_rule(p):
    """A red rule under the paragraph, the width of the 版心."""
    ppr = p._p.get_or_add_pPr()
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for k, v in (("w:val", "single"), ("w:sz", "12"), ("w:space", "6"), ("w:color", "E60012")):
        bottom.set(qn(k), v)
    border.append(bottom)
    ppr.append(border)


def _page_number(paragraph, align):
    paragraph.alignment = align
    fmt = paragraph.paragraph_format
    fmt.left_indent = fmt.right_indent = Pt(PAGE_NO_PT)   # 一字距 from the edge of the 版心
    _fonts(paragraph.add_run("— "), NUMBER_FONT, PAGE_NO_PT, condense=False)
    run = paragraph.add_run()
    _fonts(run, NUMBER_FONT, PAGE_NO_PT, condense=False)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText" if text.strip() == "PAGE" else "w:t")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._r.append(el)
    _fonts(paragraph.add_run(" —"), NUMBER_FONT, PAGE_NO_PT, condense=False)


def _page(d):
    s = d.sections[0]
    s.start_type = WD_SECTION.NEW_PAGE
    s.page_width, s.page_height = Mm(210), Mm(297)
    s.top_margin, s.bottom_margin, s.left_margin, s.right_margin = Mm(37), Mm(35), Mm(28), Mm(26)
    s.header_distance, s.footer_distance = Mm(15), Mm(21)
    d.settings.odd_and_even_pages_header_footer = True
    _page_number(s.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(s.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)
    normal = d.styles["Normal"]
    normal.font.name, normal.font.size = LATIN_FONT, Pt(BODY_PT)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)


def official_docx(letter: Letter) -> bytes:
    d = Document()
    _page(d)
    center, right = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT
    _paragraph(d, letter.issuer, font=TITLE_FONT, size=MARK_PT, align=center, exact=False, colour=RED)
    _paragraph(d)
    rule = _paragraph(d, letter.number, align=center)
    _red_rule(rule)
    _paragraph(d)
    _paragraph(d)
    _paragraph(d, letter.title, font=TITLE_FONT, size=TITLE_PT, align=center)
    _paragraph(d)
    if letter.to:
        _paragraph(d, "、".join(letter.to) + "：", align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    for text in letter.body:
        _paragraph(d, text, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent_chars=2)
    if letter.attachment:
        _paragraph(d)
        _paragraph(d, f"附件：{letter.attachment}", indent_chars=2)
    _paragraph(d)
    _paragraph(d)
    _paragraph(d, letter.issuer, align=right, right_chars=4)
    _paragraph(d, letter.date_text, align=right, right_chars=2)
    for line in letter.after:
        _paragraph(d)
        _paragraph(d, line)
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def escalation_docx(doc) -> bytes:
    return official_docx(escalation_letter(doc))
