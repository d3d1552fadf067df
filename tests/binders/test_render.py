"""The binder PDF rendered to images with pdftoppm (Debian poppler-utils), saved with the
browser tests' screenshots (var/screenshots) to be looked at: Chinese text in the embedded
font, the rotated photo upright."""

import shutil
import subprocess

import pytest
from PIL import Image

from binders import services
from binders.models import Binder
from tests.browser import SHOTS
from tests.conftest import require_services

pytestmark = pytest.mark.django_db


def test_pdf_renders_to_images(county, village_year, django_capture_on_commit_callbacks, tmp_path):
    if shutil.which("pdftoppm") is None:
        if require_services():
            pytest.fail("pdftoppm (poppler-utils) is missing")
        pytest.skip("pdftoppm (poppler-utils) is missing")
    with django_capture_on_commit_callbacks(execute=True):
        binder = services.request_binder(county.v11_disc, county.v11, year=2026)
    binder.refresh_from_db()
    assert binder.status == Binder.Status.DONE
    SHOTS.mkdir(parents=True, exist_ok=True)
    for old in SHOTS.glob("binder-page-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-r", "60", "-png", binder.pdf.path, str(SHOTS / "binder-page")], check=True, timeout=120)
    shots = sorted(SHOTS.glob("binder-page-*.png"))
    assert len(shots) == binder.pages
    # the fonts are embedded (pdffonts lists them with emb = yes), so every page prints the same anywhere
    fonts = subprocess.run(["pdffonts", binder.pdf.path], capture_output=True, text=True, check=True).stdout
    cjk = [line.split() for line in fonts.splitlines()[2:] if "WenQuanYi" in line]
    assert cjk and all(cols[-5] == "yes" for cols in cjk)
    # a drawn page is not blank: some dark pixels (text) on a white page
    with Image.open(shots[0]) as cover:
        dark = sum(1 for px in cover.convert("L").getdata() if px < 128)
    assert dark > 500
