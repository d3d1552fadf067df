"""The talk form: commission staff record talks as the 县纪委监委 with any town or village, and
a chosen record file survives a form error (kept under a signed token, not chosen again). The
units and the people talked to are chosen through pickers; a forged POST naming someone of
another unit, or a unit beyond the talker's reach, is refused with a clear message."""

from datetime import date

import json

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
    data = {"kind": "face_to_face", "talker_org": county.commission.pk, "org": county.town1.pk,
            "talkees": [county.users["t1_party"].pk], "held_on": "2026-03-10", "topics": "全面从严治党主体责任落实情况"}
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


def _pick(client, kind, **params):
    r = client.get(reverse("accounts:pick", kwargs={"kind": kind}), params)
    return r.status_code, ([o["text"] for o in json.loads(r.content)["results"]] if r.status_code == 200 else None)


def test_the_people_talked_to_are_those_of_the_unit_talked_to(county, client):
    """The search offers the unit's people by name or post; the saved talk keeps them, their
    names and the first one's post."""
    client.force_login(county.t1_disc)
    assert _pick(client, "talker_org")[1] == ["城关镇 · 示范县", "东村 · 城关镇", "西村 · 城关镇"]  # not 河口镇
    status, units = _pick(client, "talk_org", org=county.town1.pk)
    assert status == 200 and units == ["城关镇 · 示范县", "东村 · 城关镇", "西村 · 城关镇"]
    assert _pick(client, "talk_org", org=county.town2.pk)[0] == 404  # another town is not the talker's
    status, people = _pick(client, "talkee", org=county.v11.pk, q="东村")
    assert status == 200 and len(people) == 3 and all("东村" in p for p in people)
    assert _pick(client, "talkee", org=county.v21.pk)[0] == 404  # 南村 is beyond 城关镇's talks
    client.force_login(county.t1_clerk)
    assert _pick(client, "talkee", org=county.v11.pk)[0] == 403  # a clerk records no talks
    client.force_login(county.staff)  # the 县纪委监委 talks with any town or village of the county
    assert _pick(client, "talk_org", org=county.commission.pk, q="南村")[1] == ["南村 · 河口镇"]

    client.force_login(county.t1_disc)
    v11_party, v11_disc = county.users["v11_party"], county.users["v11_disc"]
    with time_machine.travel(at(2026, 3, 11, 9), tick=False):
        r = client.post(reverse("inspections:talk_create"), form_data(
            county, talker_org=county.town1.pk, org=county.v11.pk, talkees=[v11_party.pk, v11_disc.pk]))
    assert r.status_code == 302
    talk = Talk.objects.get()
    assert set(talk.talkees.all()) == {v11_party, v11_disc}
    assert set(talk.talkee_name.split("、")) == {v11_party.get_full_name() or v11_party.username,
                                                  v11_disc.get_full_name() or v11_disc.username}


def test_a_forged_post_naming_someone_of_another_unit_is_refused(county, client):
    client.force_login(county.t1_disc)
    url = reverse("inspections:talk_create")
    with time_machine.travel(at(2026, 3, 11, 9), tick=False):
        # 南村's secretary as a person talked to at 东村
        r = client.post(url, form_data(county, talker_org=county.town1.pk, org=county.v11.pk,
                                       talkees=[county.users["v11_party"].pk, county.users["v21_disc"].pk]))
        assert r.status_code == 200
        assert "该人员不在谈话单位任职" in r.content.decode()
        # a village of another town as the unit talked to
        r = client.post(url, form_data(county, talker_org=county.town1.pk, org=county.v21.pk,
                                       talkees=[county.users["v21_disc"].pk]))
        assert r.status_code == 200 and "谈话对象单位须为本单位或下级单位" in r.content.decode()
        # another town as the talker's unit
        r = client.post(url, form_data(county, talker_org=county.town2.pk, org=county.town2.pk))
        assert r.status_code == 200 and "此处不能选择该单位" in r.content.decode()
        # nobody chosen
        r = client.post(url, form_data(county, talker_org=county.town1.pk, org=county.v11.pk, talkees=[]))
        assert r.status_code == 200 and "请选择谈话对象" in r.content.decode()
    assert not Talk.objects.exists()
    # the service refuses the same when called directly
    with time_machine.travel(at(2026, 3, 11, 9), tick=False), pytest.raises(ValidationError) as e:
        services.record_talk(county.t1_disc, kind="reminder", talker_org=county.town1, org=county.v11,
                             talkees=[county.users["v21_disc"]], held_on=date(2026, 3, 10), topics="x")
    assert "不在谈话单位任职" in str(e.value.message_dict["talkees"])
    assert not Talk.objects.exists()


def test_the_talk_form_renders_pickers_not_lists(county, client):
    client.force_login(county.staff)
    html = client.get(reverse("inspections:talk_create")).content.decode()
    assert 'data-picker="/accounts/pick/talkee/"' in html and 'data-picker-depends="id_org"' in html
    assert 'data-picker-depends="id_talker_org"' in html
    assert "<select name=\"talkees\"" in html and "multiple" in html
    assert html.count("<option") < 15  # the kinds of talk, not the county's units or people


def test_the_talkers_are_chosen_among_the_people_of_the_talkers_unit(county, client):
    """谈话人 is a picker of the people holding a post at the talker's unit; the form starts with
    the recorder and their own unit; the names are kept as recorded."""
    t1_party, t1_disc = county.users["t1_party"], county.users["t1_disc"]
    client.force_login(t1_disc)
    html = client.get(reverse("inspections:talk_create")).content.decode()
    assert 'data-picker="/accounts/pick/talker/"' in html
    assert html.count('data-picker-depends="id_talker_org"') == 2  # the talkers and the unit talked to
    talkers = html[html.index('name="talkers"'):]
    talkers = talkers[:talkers.index("</select>")]
    assert f'value="{t1_disc.pk}" selected' in talkers and talkers.count("<option") == 1  # the recorder
    org = html[html.index('name="talker_org"'):]
    assert f'value="{county.town1.pk}" selected' in org[:org.index("</select>")]  # their own unit
    status, people = _pick(client, "talker", org=county.town1.pk, q="城关镇")
    assert status == 200 and len(people) == 4 and all("城关镇" in p for p in people)
    assert _pick(client, "talker", org=county.v11.pk)[0] == 200  # a village below holds talks of its own
    assert _pick(client, "talker", org=county.town2.pk)[0] == 404  # another town is not the recorder's
    with time_machine.travel(at(2026, 3, 11, 9), tick=False):
        r = client.post(reverse("inspections:talk_create"), form_data(
            county, talker_org=county.town1.pk, org=county.v11.pk, talkers=[t1_party.pk, t1_disc.pk],
            talkees=[county.users["v11_party"].pk]))
        assert r.status_code == 302
        talk = Talk.objects.get()
        page = client.get(reverse("inspections:talk_detail", args=[talk.pk])).content.decode()
    assert set(talk.talkers.all()) == {t1_party, t1_disc}
    assert set(talk.talker_name.split("、")) == {p.get_full_name() or p.username for p in (t1_party, t1_disc)}
    assert talk.talker_name in page


def test_a_talker_of_another_unit_is_refused_and_a_name_alone_is_kept(county, client):
    client.force_login(county.t1_disc)
    with time_machine.travel(at(2026, 3, 11, 9), tick=False):
        r = client.post(reverse("inspections:talk_create"), form_data(
            county, talker_org=county.town1.pk, org=county.v11.pk, talkers=[county.users["t2_disc"].pk],
            talkees=[county.users["v11_party"].pk]))
        assert r.status_code == 200 and "该人员不在谈话人所在单位任职" in r.content.decode()
        with pytest.raises(ValidationError) as e:  # the service refuses the same when called directly
            services.record_talk(county.t1_disc, kind="reminder", talker_org=county.town1, org=county.v11,
                                 talkers=[county.users["v21_disc"]], talkee_name="某", held_on=date(2026, 3, 10),
                                 topics="x")
        assert "不在谈话人所在单位任职" in str(e.value.message_dict["talkers"])
        assert not Talk.objects.exists()
        # a talk named by free text (as talks recorded before the picker are): the name is kept
        talk = services.record_talk(county.t1_disc, kind="reminder", talker_org=county.town1, org=county.v11,
                                    talker_name="镇党委副书记 张某", talkee_name="某", held_on=date(2026, 3, 10), topics="x")
    assert talk.talker_name == "镇党委副书记 张某" and not talk.talkers.exists()
