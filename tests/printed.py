"""Paper as printed: files converted to PDF by LibreOffice (headless), read back with
pdfplumber — page sizes, the size every glyph is printed at, text lines printed over one
another — and rendered to PNG (pdftoppm) into var/screenshots/ to be looked at.

`make test` installs LibreOffice (calc and writer) and poppler-utils; there a missing
soffice is a failure, elsewhere the test is skipped."""

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings

from tests.conftest import require_services

A4_LONG, A4_SHORT = 841.9, 595.3


def need_soffice():
    if not shutil.which("soffice"):
        if require_services():
            pytest.fail("QINGDAN_REQUIRE_SERVICES=1 but soffice (LibreOffice) is not installed", pytrace=False)
        pytest.skip("LibreOffice not installed")


def to_pdf(paths: list[Path], outdir: Path) -> list[Path]:
    """Every file converted to PDF in one LibreOffice run (its own profile: parallel runs do not meet)."""
    need_soffice()
    profile = outdir / "lo-profile"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(outdir), *map(str, paths)], check=True, timeout=240,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    pdfs = [outdir / (p.stem + ".pdf") for p in paths]
    missing = [p.name for p in pdfs if not p.exists()]
    assert not missing, f"LibreOffice made no PDF of {missing}"
    return pdfs


def screenshots(pdf: Path, name: str, pages: int = 2) -> list[Path]:
    """The first ``pages`` pages as PNG (110 dpi) in var/screenshots/, named ``name-N.png``."""
    out = Path(settings.BASE_DIR) / "var" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-r", "110", "-png", "-f", "1", "-l", str(pages), str(pdf), str(out / name)],
                       check=True, timeout=120)
    return sorted(out.glob(f"{name}-*.png"))


@dataclass
class Box:
    """Text on a page (a glyph, or a run of words on one line) and where it is printed."""
    page: int
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float


@dataclass
class Printed:
    pages: list[tuple[float, float]]     # (width, height) per page
    sizes: list[float]                   # the printed size of every glyph
    lines: list[Box]                    # runs of text (words joined per baseline), page by page
    fonts: set[str]
    glyphs: list[Box]

    def text(self, page=None) -> str:
        return "\n".join(ln.text for ln in self.lines if page is None or ln.page == page)

    def overlaps(self, share: float = 0.25) -> list[tuple[Box, Box]]:
        """Pairs of glyphs printed over one another: their boxes meet across and down by more
        than ``share`` of the smaller glyph's size (text that ran out of its row into the next
        one's, or two cells' text on one spot). Set text never does, whatever its line spacing."""
        found = []
        cell = 12.0
        for page in {g.page for g in self.glyphs}:
            grid: dict[tuple[int, int], list[Box]] = {}
            for g in (g for g in self.glyphs if g.page == page):
                gx, gy = int(g.x0 // cell), int(g.top // cell)
                for dx in (-1, 0, 1):
                    for dy in (-1, 0, 1):
                        for o in grid.get((gx + dx, gy + dy), ()):
                            need = share * min(g.size, o.size)
                            if (min(g.x1, o.x1) - max(g.x0, o.x0) > need
                                    and min(g.bottom, o.bottom) - max(g.top, o.top) > need):
                                found.append((o, g))
                grid.setdefault((gx, gy), []).append(g)
        return found


def read(pdf: Path) -> Printed:
    import pdfplumber

    pages, sizes, lines, fonts, glyphs = [], [], [], set(), []
    with pdfplumber.open(pdf) as doc:
        for n, page in enumerate(doc.pages, start=1):
            pages.append((float(page.width), float(page.height)))
            for ch in page.chars:
                if ch["text"].strip():
                    sizes.append(float(ch["size"]))
                    glyphs.append(Box(n, ch["text"], ch["x0"], ch["x1"], ch["top"], ch["bottom"], float(ch["size"])))
                    fonts.add(ch["fontname"].split("+", 1)[-1])
            for w in page.extract_words(x_tolerance=2, y_tolerance=1, keep_blank_chars=True, extra_attrs=["size"]):
                lines.append(Box(n, w["text"], w["x0"], w["x1"], w["top"], w["bottom"], float(w["size"])))
    return Printed(pages, sizes, lines, fonts, glyphs)


def a4(page: tuple[float, float], landscape: bool) -> bool:
    w, h = page
    want = (A4_LONG, A4_SHORT) if landscape else (A4_SHORT, A4_LONG)
    return abs(w - want[0]) < 2 and abs(h - want[1]) < 2
