"""五书制 documents as .docx (python-docx), from the measure's data."""

import io

from django.utils.translation import gettext as _

from .services.escalation import Level

TITLES = {
    Level.NOTICE: "整改督查督办通知书",
    Level.GUIDANCE: "整改阶段督查指导书",
    Level.REMINDER: "整改情况提醒书",
    Level.WARNING: "整改情况告诫书",
    Level.ACCOUNTABILITY: "巡察整改问责建议书",
}


def paragraphs(doc) -> list[tuple[str, str]]:
    """(label, text) lines shared by the print view and the .docx."""
    m = doc.measure
    insp = m.finding.inspection
    rows = [
        (_("To"), m.org.name),
        (_("Inspection"), f"{insp.round.name} · {insp.org.name}"),
        (_("Finding"), m.finding.description),
        (_("Rectification goal"), m.goal),
        (_("Specific measure"), m.action),
        (_("Responsible leader / person"), f"{m.leader_name or '—'} / {m.person_name or '—'}"),
        (_("Deadline"), str(m.deadline)),
        (_("Reason"), doc.reason),
    ]
    if doc.final_deadline:
        rows.append((_("Final deadline"), str(doc.final_deadline)))
    return rows


def escalation_docx(doc) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    d = Document()
    head = d.add_heading(TITLES[Level(doc.level)], level=1)
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    num = d.add_paragraph(doc.number)
    num.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for label, text in paragraphs(doc):
        p = d.add_paragraph()
        p.add_run(f"{label}：").bold = True
        p.add_run(text)
    if doc.level == Level.GUIDANCE:
        d.add_paragraph("被巡察单位主要负责人签字：＿＿＿＿＿＿　　日期：＿＿＿＿")
    sign = d.add_paragraph(f"县纪委监委（巡察办）\n{doc.issued_on:%Y年%m月%d日}")
    sign.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()
