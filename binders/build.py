"""Building one org's binder on disk: the PDF (pages drawn with reportlab, merged with
pypdf) and its files in the zip (originals in 清单/事项/期次 folders).

Memory stays bounded by working one task at a time: every evidence file is checked
against its stored sha256 as a stream, images are decoded at a reduced size (JPEG
draft mode), turned upright (EXIF), downscaled and written to a temporary JPEG; each
task's pages are drawn into their own temporary PDF. Only the final merge holds one
org's pages (downscaled images and the embedded PDFs), never a town's.

The document text is Chinese (the 台账 is a Chinese record); the web pages that offer it
are translated as usual."""

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.template.defaultfilters import filesizeformat
from django.utils.timezone import localtime
from PIL import Image, ImageOps
from pypdf import PdfReader, PdfWriter
from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    Image as RLImage,
)
from reportlab.platypus import (
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import KeepTogether

from accounts.dates import day
from accounts.uploads import file_sha256

FONT_PATH = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
FONT = "WQYMicroHei"
IMAGE_MAX_PX = 1600          # long side of an embedded image (A4 at ~190 dpi)
JPEG_QUALITY = 75
IMAGE_MAX_PIXELS = 80_000_000  # refuse to decode more (a decompression bomb), whatever Pillow's default
PAGE_W, PAGE_H = A4
MARGIN = 18 * mm

IMAGE_TYPES = {"image/jpeg", "image/png"}
PDF_TYPES = {"application/pdf"}

# what happened to a file (the index's 处理 column)
EMBEDDED, LISTED, LEFT_OUT, EXCLUDED = "embedded", "listed", "left_out", "excluded"
STATE_LABELS = {
    EMBEDDED: "已嵌入PDF",
    LISTED: "仅列出（原件见压缩包）",
    LEFT_OUT: "未嵌入PDF（原件见压缩包）",
    EXCLUDED: "未纳入",
}


@lru_cache(maxsize=1)
def font() -> str:
    """Register the CJK font once per process (embedded as a subset in every PDF). Image data
    is written as binary: reportlab's default ASCII85 encoding runs in pure Python here (no
    C accelerator) and took most of a binder's time, for a file a quarter larger."""
    rl_config.useA85 = 0
    pdfmetrics.registerFont(TTFont(FONT, FONT_PATH, subfontIndex=0))
    return FONT


def styles() -> dict[str, ParagraphStyle]:
    f = font()
    base = ParagraphStyle("base", fontName=f, fontSize=10, leading=14, wordWrap="CJK")
    return {
        "base": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=10),
        "h1": ParagraphStyle("h1", parent=base, fontSize=16, leading=22, spaceAfter=6),
        "h2": ParagraphStyle("h2", parent=base, fontSize=12, leading=18, spaceBefore=8, spaceAfter=4),
        "cover": ParagraphStyle("cover", parent=base, fontSize=26, leading=36, alignment=TA_CENTER),
        "cover2": ParagraphStyle("cover2", parent=base, fontSize=14, leading=24, alignment=TA_CENTER),
    }


def esc(text) -> str:
    """Text for a reportlab Paragraph (its mini-markup): escaped, line breaks kept."""
    from xml.sax.saxutils import escape

    return escape(str(text or "")).replace("\n", "<br/>")


_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]")


def folder_name(text, limit=60) -> str:
    """A name safe as one zip path component (never a path, never empty)."""
    name = _UNSAFE.sub("_", unicodedata.normalize("NFC", str(text or ""))).strip(" .")
    while ".." in name:
        name = name.replace("..", ".")
    return name[:limit] or "_"


# --- what the binder holds ------------------------------------------------------


@dataclass
class FileEntry:
    evidence_id: int
    name: str
    size: int
    sha256: str
    content_type: str
    state: str = LISTED
    reason: str = ""
    pages: int = 0               # pages it adds to the PDF
    image_path: Path | None = None  # the downscaled, upright JPEG
    pdf_path: str | None = None     # the stored original (checked)
    zip_path: str = ""              # where the original is in the zip ("" when not included)
    source: str | None = None       # the stored original, for the zip


@dataclass
class TaskEntry:
    task: object
    checklist: str
    item: str
    item_order: tuple
    decision: str = ""
    files: list[FileEntry] = field(default_factory=list)
    start_page: int = 0
    pages: int = 0
    pdf_path: Path | None = None


def sources_for(tasks) -> dict[int, tuple[str, str, tuple]]:
    """task id → (清单, 事项, sort key), read from each task's source in two queries:
    a duty item's list; an on-demand dispatch's item's list; anything else under its kind."""
    from responsibilities.models import ChecklistItem, EventDispatch

    item_ct = ContentType.objects.get_for_model(ChecklistItem).pk
    dispatch_ct = ContentType.objects.get_for_model(EventDispatch).pk
    item_ids = {t.source_id for t in tasks if t.source_type_id == item_ct}
    dispatch_ids = {t.source_id for t in tasks if t.source_type_id == dispatch_ct}
    items = {i.pk: i for i in ChecklistItem.objects.filter(pk__in=item_ids).select_related("checklist")} if item_ids else {}
    dispatches = ({d.pk: d for d in EventDispatch.objects.filter(pk__in=dispatch_ids).select_related("item__checklist")}
                  if dispatch_ids else {})
    out = {}
    for t in tasks:
        item = None
        if t.source_type_id == item_ct:
            item = items.get(t.source_id)
        elif t.source_type_id == dispatch_ct and t.source_id in dispatches:
            item = dispatches[t.source_id].item
        if item is not None:
            out[t.pk] = (item.checklist.title, f"{item.seq}. {item.title}", (0, item.checklist.title, item.seq, item.title))
        else:
            kind = str(t.get_kind_display())
            out[t.pk] = (kind, t.title, (1, kind, 0, t.title))
    return out


def examine(ev, tmpdir: Path) -> FileEntry:
    """Check one evidence file and prepare it for the PDF. Never raises for bad content:
    the entry says what was done and why."""
    entry = FileEntry(ev.pk, ev.original_name, ev.size, ev.sha256, ev.content_type)
    try:
        actual = file_sha256(ev.file)
    except (OSError, ValueError):
        entry.state, entry.reason = EXCLUDED, "存储的文件缺失或无法读取，未纳入"
        return entry
    if actual != ev.sha256:
        entry.state, entry.reason = EXCLUDED, f"校验值不符（现为 {actual[:16]}…），文件已被改动，未纳入"
        return entry
    entry.source = ev.file.path
    if ev.content_type in IMAGE_TYPES:
        _prepare_image(entry, tmpdir)
    elif ev.content_type in PDF_TYPES:
        _prepare_pdf(entry)
    else:
        entry.state = LISTED
    return entry


def _prepare_image(entry: FileEntry, tmpdir: Path) -> None:
    out = tmpdir / f"img-{entry.evidence_id}.jpg"
    try:
        with Image.open(entry.source) as im:
            if im.width * im.height > IMAGE_MAX_PIXELS:
                raise ValueError("too many pixels")
            im.draft("RGB", (IMAGE_MAX_PX, IMAGE_MAX_PX))  # JPEG: decode at 1/2, 1/4 or 1/8 size
            upright = ImageOps.exif_transpose(im)
            upright = upright.convert("RGB")
            upright.thumbnail((IMAGE_MAX_PX, IMAGE_MAX_PX))
            upright.save(out, "JPEG", quality=JPEG_QUALITY)
            upright.close()
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        entry.state = LEFT_OUT
        entry.reason = "图片过大，无法解码" if "pixels" in str(exc) or isinstance(exc, Image.DecompressionBombError) else "图片已损坏，无法解码"
        out.unlink(missing_ok=True)
        return
    entry.state, entry.image_path, entry.pages = EMBEDDED, out, 1


def _prepare_pdf(entry: FileEntry) -> None:
    try:
        reader = PdfReader(entry.source, strict=False)
        if reader.is_encrypted:
            entry.state, entry.reason = LEFT_OUT, "PDF 已加密，无法嵌入"
            return
        n = len(reader.pages)
        for page in reader.pages:  # every page must parse (its box and content)
            page.mediabox  # noqa: B018
            page.get_contents()
        if n == 0:
            raise ValueError("no pages")
    except Exception:  # noqa: BLE001 — pypdf raises many kinds for a damaged file
        entry.state, entry.reason = LEFT_OUT, "PDF 已损坏或没有页面，无法嵌入"
        return
    entry.state, entry.pdf_path, entry.pages = EMBEDDED, entry.source, n


def decision_text(task, last_review) -> str:
    """The review decision as the binder shows it."""
    S = type(task).Status
    who = getattr(task.reviewed_by, "full_name", "") or getattr(task.reviewed_by, "username", "")
    when = day(task.reviewed_at)
    comment = (last_review.message if last_review is not None else "").strip()
    if task.status == S.APPROVED:
        text = f"通过（{who}，{when}）" if who else "通过"
        return f"{text}：{comment}" if comment else text
    if task.status == S.RETURNED:
        return f"退回（{who}，{when}）：{task.return_reason}" if who else f"退回：{task.return_reason}"
    if task.status == S.SUBMITTED:
        return "待审核"
    return "—"


# --- drawing ---------------------------------------------------------------------


def _footer(label: str, offset: int):
    def draw(canvas, doc):
        canvas.saveState()
        canvas.setFont(font(), 8)
        canvas.setFillColor(colors.grey)
        canvas.drawString(MARGIN, 10 * mm, label)
        canvas.drawRightString(PAGE_W - MARGIN, 10 * mm, f"第 {offset + doc.page} 页")
        canvas.restoreState()

    return draw


def _doc(path: Path, title: str) -> SimpleDocTemplate:
    return SimpleDocTemplate(str(path), pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                             bottomMargin=16 * mm, title=title, author="qingdan", creator="qingdan")


GRID = TableStyle([
    ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#EEF2F7")),
])
HEAD_GRID = TableStyle([
    ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DDE7F3")),
])


def render_front(path: Path, *, org, period: str, unit: str, made_on: date, entries: list[TaskEntry],
                 left_out: list[dict], numbers: bool) -> int:
    """Cover, table of contents (by 清单 and 事项) and the list of what was left out.
    Returns its page count. With ``numbers`` False the page column holds placeholders of
    the same width (the first pass, to learn how many pages the front takes)."""
    st = styles()
    story = [
        Spacer(1, 60 * mm),
        Paragraph(esc(org.name), st["cover"]),
        Spacer(1, 8 * mm),
        Paragraph(esc(f"{period}台账"), st["cover"]),
        Spacer(1, 30 * mm),
        Paragraph(esc(f"单位：{org.name}（{org.code}）"), st["cover2"]),
        Paragraph(esc(f"年度：{period}"), st["cover2"]),
        Paragraph(esc(f"制表单位：{unit}"), st["cover2"]),
        Paragraph(esc(f"制表日期：{day(made_on)}"), st["cover2"]),
        Paragraph(esc(f"任务 {len(entries)} 项，材料 {sum(len(e.files) for e in entries)} 份"), st["cover2"]),
        PageBreak(),
        Paragraph("目录", st["h1"]),
    ]
    if not entries:
        story.append(Paragraph("本期没有任务。", st["base"]))
    current = None
    rows: list[list] = []

    def flush():
        if rows:
            table = Table(rows, colWidths=[110 * mm, 30 * mm, 20 * mm], repeatRows=0)
            table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("ALIGN", (2, 0), (2, -1), "RIGHT"),
                                       ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.lightgrey)]))
            story.append(table)
            rows.clear()

    for e in entries:
        if e.checklist != current:
            flush()
            current = e.checklist
            story.append(Paragraph(esc(f"清单：{e.checklist}"), st["h2"]))
        page = str(e.start_page) if numbers else "0000"
        rows.append([Paragraph(esc(f"{e.item} · {e.task.period_label}"), st["base"]),
                     Paragraph(esc(e.task.get_status_display()), st["base"]),
                     Paragraph(page, st["base"])])
    flush()
    if left_out:
        story.append(Paragraph("未纳入或未嵌入的材料", st["h2"]))
        rows = [[Paragraph(h, st["small"]) for h in ("事项", "文件", "原因")]]
        for lo in left_out:
            rows.append([Paragraph(esc(lo.get("task", "")), st["small"]), Paragraph(esc(lo.get("file", "")), st["small"]),
                         Paragraph(esc(lo["reason"]), st["small"])])
        table = Table(rows, colWidths=[55 * mm, 50 * mm, 69 * mm], repeatRows=1)
        table.setStyle(HEAD_GRID)
        story.append(table)
    doc = _doc(path, f"{org.name} {period}台账")
    label = f"{org.name} · {period}台账"
    doc.build(story, onFirstPage=lambda c, d: None, onLaterPages=_footer(label, 0))
    return doc.page


def render_task(path: Path, entry: TaskEntry, *, org, period: str, offset: int) -> int:
    """One task's pages: its record, the list of its files, then each image on a page.
    Returns the page count (embedded PDFs follow and are counted by the caller)."""
    st = styles()
    t = entry.task
    rows = [
        ("清单", entry.checklist),
        ("事项", entry.item),
        ("期次", t.period_label),
        ("工作要求", t.requirement or "—"),
        ("台账要求", t.evidence_hint or "—"),
        ("截止日期", day(t.due_date) + (f"（原定{day(t.original_due_date)}）" if t.original_due_date != t.due_date else "")),
        ("状态", t.get_status_display()),
        ("完成日期", day(t.completed_on) or "—"),
        ("提交时间", f"{day(t.submitted_at)} {localtime(t.submitted_at):%H:%M}" if t.submitted_at else "—"),
        ("审核日期", day(t.approved_on or t.reviewed_at) or "—"),
        ("完成情况", t.note or "—"),
        ("审核意见", entry.decision or "—"),
    ]
    table = Table([[Paragraph(esc(k), st["base"]), Paragraph(esc(v), st["base"])] for k, v in rows],
                  colWidths=[28 * mm, PAGE_W - 2 * MARGIN - 28 * mm])
    table.setStyle(GRID)
    story = [Paragraph(esc(entry.item), st["h1"]), table, Paragraph("台账材料", st["h2"])]
    if entry.files:
        frows = [[Paragraph(h, st["small"]) for h in ("序号", "文件名", "大小", "sha256", "处理")]]
        for i, f in enumerate(entry.files, start=1):
            how = STATE_LABELS[f.state] + (f"：{f.reason}" if f.reason else "")
            if f.state == EMBEDDED:
                how += f"（{f.pages} 页）"
            frows.append([Paragraph(str(i), st["small"]), Paragraph(esc(f.name), st["small"]),
                          Paragraph(filesizeformat(f.size), st["small"]), Paragraph(f.sha256, st["small"]),
                          Paragraph(esc(how), st["small"])])
        ftable = Table(frows, colWidths=[10 * mm, 48 * mm, 16 * mm, 52 * mm, 48 * mm], repeatRows=1)
        ftable.setStyle(HEAD_GRID)
        story.append(ftable)
    else:
        story.append(Paragraph("无", st["base"]))
    width, height = PAGE_W - 2 * MARGIN, PAGE_H - MARGIN - 16 * mm - 12 * mm
    for i, f in enumerate(entry.files, start=1):
        if f.state != EMBEDDED or f.image_path is None:
            continue
        with Image.open(f.image_path) as im:
            w, h = im.size
        scale = min(width / w, height / h, 1.0 if w > 400 else 2.0)
        story += [PageBreak(), KeepTogether([
            Paragraph(esc(f"附件 {i}：{f.name}（sha256 {f.sha256[:16]}…）"), st["small"]),
            RLImage(str(f.image_path), width=w * scale, height=h * scale),
        ])]
    doc = _doc(path, entry.item)
    label = f"{org.name} · {period}台账 · {entry.item}"
    footer = _footer(label, offset)
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return doc.page


def merge(out: Path, front: Path, entries: list[TaskEntry]) -> int:
    """Front matter, each task's pages and its embedded PDFs, with a bookmark per 清单 and
    事项; written to ``out``. Returns the page count."""
    writer = PdfWriter()
    writer.append(str(front), import_outline=False)
    writer.add_outline_item(title="目录", page_number=1 if len(writer.pages) > 1 else 0)
    current, parent = None, None
    for e in entries:
        if e.checklist != current:
            current = e.checklist
            parent = writer.add_outline_item(title=f"清单：{e.checklist}", page_number=e.start_page - 1)
        writer.add_outline_item(title=f"{e.item} · {e.task.period_label}", page_number=e.start_page - 1, parent=parent)
        writer.append(str(e.pdf_path), import_outline=False)
        for f in e.files:
            if f.state == EMBEDDED and f.pdf_path:
                writer.append(f.pdf_path, import_outline=False)
    with open(out, "wb") as fh:
        writer.write(fh)
    pages = len(writer.pages)
    writer.close()
    return pages

