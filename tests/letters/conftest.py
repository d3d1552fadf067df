import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from letters import services
from letters.models import ResponsibilityLetter


def scan(name="责任书签字页.jpg") -> SimpleUploadedFile:
    """A real JPEG, as a phone photographs the signed page."""
    buf = io.BytesIO()
    Image.new("RGB", (600, 800), (250, 250, 245)).save(buf, "JPEG", quality=80)
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/jpeg")


def letter_of(org, year=2026) -> ResponsibilityLetter:
    return ResponsibilityLetter.objects.select_related("task").get(org=org, year=year)


@pytest.fixture
def cascade(county):
    """The county's letters issued to its towns and departments, 城关镇's to its two villages."""
    assert services.issue(county.staff, county.county, 2026) == 4
    assert services.issue(county.t1_party, county.town1, 2026) == 2
    return county
