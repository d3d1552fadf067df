"""The talk form: commission staff record talks as the 县纪委监委 with any town or village, and
a chosen record file survives a form error (kept under a signed token, not chosen again)."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts import kept_uploads
from inspections import services
from inspections.models import Talk

from .conftest import at

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% talk record\n" + b"x" * 200


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def form_data(county, **extra):
    data = {"kind": "face_to_face", "talker_org": county.commission.pk, "org": county.town1.pk, "talkee_name": "王书记",
            "talkee_title": "镇党委书记", "held_on": "2026-03-10", "topics": "全面从严治党主体责任落实情况"}
    return {**data, **extra}


def test_commission_staff_talk_as_the_commission_with_a_town_and_a_village(county):
    with time_machine.travel(at(2026, 3, 11, 9), tick=False):
        for org in (county.town1, county.v21):
            services.record_talk(county.staff, kind="face_to_face", talker_org=county.commission, org=org,
                                 talkee_name="某", held_on=date(2026, 3, 10), topics="谈话")
    assert set(Talk.objects.values_list("talker_org__name", "org__name")) == {("县纪委监委", "城关镇"), ("县纪委监委", county.v21.name)}
    # a town still talks only with itself and below
    with time_machine.travel(at(2026, 3, 11, 9), tick=False), pytest.raises(ValidationError):
        services.record_talk(county.t1_disc, kind="reminder", talker_org=county.town1, org=county.v21,
                             talkee_name="某", held_on=date(2026, 3, 10), topics="x")


def test_record_file_survives_a_form_error_and_is_saved_on_the_next_submit(county, client, media):
    client.force_login(county.staff)
    url = reverse("inspections:talk_create")
    with time_machine.travel(at(2026, 3, 11, 9), tick=False):
        upload = SimpleUploadedFile("谈话记录.pdf", PDF, content_type="application/pdf")
        response = client.post(url, form_data(county, topics="", record_file=upload))
        assert response.status_code == 200 and not Talk.objects.exists()
        page = response.content.decode()
        assert "谈话记录.pdf" in page   # the page says the file is kept
        token = response.context["form"]["record_file"].field.widget.kept[0]
        assert f'value="{token}"' in page
        assert len(default_storage.listdir(kept_uploads.FOLDER)[1]) == 1
        # another person cannot use the token
        client.force_login(county.t1_disc)
        other = client.post(url, form_data(county, talker_org=county.town1.pk, record_file__kept=token))
        assert Talk.objects.get().record_name == ""
        Talk.objects.all().delete()
        assert other.status_code == 302
        # the same person submits again, the topics filled in, no file chosen: the kept one is saved
        client.force_login(county.staff)
        response = client.post(url, form_data(county, record_file__kept=token))
    assert response.status_code == 302
    talk = Talk.objects.get()
    assert talk.record_name == "谈话记录.pdf"
    with talk.record_file.open("rb") as f:
        assert f.read() == PDF


def test_a_forged_token_or_a_refused_file_is_not_kept(county, client, media):
    client.force_login(county.staff)
    url = reverse("inspections:talk_create")
    with time_machine.travel(at(2026, 3, 11, 9), tick=False):
        response = client.post(url, form_data(county, topics="", record_file=SimpleUploadedFile("a.pdf", b"<html>no</html>")))
        assert response.status_code == 200
        assert "record_file__kept" not in response.content.decode()
        response = client.post(url, form_data(county, record_file__kept="kept/../../etc/passwd:forged"))
    assert response.status_code == 302
    assert Talk.objects.get().record_name == ""
    assert not (media / kept_uploads.FOLDER).exists()


def test_kept_files_nobody_came_back_for_are_purged(county, media):
    token = kept_uploads.keep(SimpleUploadedFile("a.pdf", PDF), county.staff)
    assert kept_uploads.resume(token, county.staff) is not None
    assert kept_uploads.resume(token, county.t1_disc) is None   # another person's token
    assert kept_uploads.purge() == 0
    with time_machine.travel(at(2026, 11, 19, 11)):
        assert kept_uploads.resume(token, county.staff) is None   # expired after a day
        assert kept_uploads.purge() == 1
    assert not default_storage.listdir(kept_uploads.FOLDER)[1]
