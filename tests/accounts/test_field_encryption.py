"""Fields encrypted at rest with SM4-GCM: talk topics, accountability reasons, mobile numbers.
The database holds no plaintext; the application, admin and forms show it; mobile numbers are
found through their keyed SM3 digest; keys rotate without losing a value."""

from datetime import date

import pytest
from django.core.exceptions import FieldError
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from accounts.crypto import DecryptionError, parse_keyring
from accounts.fields import PREFIX, lookup_digest
from accounts.models import User
from assessment.models import Accountability
from inspections.models import Talk
from tests.county import make_user

pytestmark = pytest.mark.django_db

OLD = "old=" + "11" * 16
NEW = "new=" + "22" * 16


def raw(table, column, pk):
    with connection.cursor() as c:
        c.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608 — test names only
        return c.fetchone()[0]


def write_raw(table, column, pk, value):
    with connection.cursor() as c:
        c.execute(f"UPDATE {table} SET {column} = %s WHERE id = %s", [value, pk])  # noqa: S608


def make_talk(county, topics="廉政谈话要点：三资管理"):
    return Talk.objects.create(kind="reminder", talker_name="县纪委", talker_org=county.commission, org=county.town1,
                               talkee_name="镇书记", held_on=date(2026, 3, 10), topics=topics, created_by=county.staff)


def make_accountability(county, reason="整改不力，通报问责"):
    return Accountability.objects.create(org=county.town1, target="org", measure="org_notice", reason=reason,
                                         decided_on=date(2026, 10, 1), decided_by="县纪委", created_by=county.staff)


def test_no_plaintext_in_the_database(county):
    talk, acc = make_talk(county), make_accountability(county)
    user = make_user("mobile_owner", mobile="13800138000")
    for table, column, pk, plain in (("inspections_talk", "topics", talk.pk, "三资管理"),
                                     ("assessment_accountability", "reason", acc.pk, "整改不力"),
                                     ("accounts_user", "mobile", user.pk, "13800138000")):
        stored = raw(table, column, pk)
        assert stored.startswith(PREFIX + "dev:") and plain not in stored
    assert Talk.objects.get(pk=talk.pk).topics == "廉政谈话要点：三资管理"
    assert Accountability.objects.get(pk=acc.pk).reason == "整改不力，通报问责"
    assert User.objects.values_list("mobile", flat=True).get(pk=user.pk) == "13800138000"
    assert raw("accounts_user", "mobile_digest", user.pk) == lookup_digest("13800138000")


def test_a_value_moved_to_another_row_or_column_does_not_decrypt(county):
    talk, acc = make_talk(county), make_accountability(county)
    write_raw("assessment_accountability", "reason", acc.pk, raw("inspections_talk", "topics", talk.pk))
    with pytest.raises(DecryptionError):
        Accountability.objects.get(pk=acc.pk)
    stored = raw("inspections_talk", "topics", talk.pk)
    write_raw("inspections_talk", "topics", talk.pk, stored[:-4] + ("AAAA" if not stored.endswith("AAAA") else "BBBB"))
    with pytest.raises(DecryptionError):
        Talk.objects.get(pk=talk.pk)


def test_mobile_numbers_are_found_through_their_digest(county):
    user = make_user("findme", mobile="13900139000")
    assert list(User.objects.with_mobile(" 13900139000 ")) == [user]
    assert not User.objects.with_mobile("13900139001").exists() and not User.objects.with_mobile("").exists()
    user.mobile = "13700137000"
    user.save(update_fields=["mobile"])
    assert list(User.objects.with_mobile("13700137000")) == [user]
    with pytest.raises(FieldError, match="encrypted"):
        User.objects.filter(mobile="13700137000").exists()
    with pytest.raises(FieldError):
        Talk.objects.filter(topics__icontains="x").exists()
    assert User.objects.filter(mobile__isnull=False).exists()


def test_admin_shows_and_finds_the_plaintext(county, client):
    user = make_user("adminshown", mobile="13600136000")
    client.force_login(make_user("root", is_staff=True, is_superuser=True))
    listing = client.get(reverse("admin:accounts_user_changelist"), {"q": "13600136000"})
    assert listing.status_code == 200 and "adminshown" in listing.content.decode()
    assert "13600136000" in listing.content.decode()
    assert client.get(reverse("admin:accounts_user_changelist"), {"o": "3"}).status_code == 200
    form = client.get(reverse("admin:accounts_user_change", args=[user.pk])).content.decode()
    assert 'value="13600136000"' in form and "<textarea" not in form.split('name="mobile"')[0][-200:]


def test_pages_show_the_plaintext_to_those_entitled(county, client):
    talk, acc = make_talk(county), make_accountability(county)
    client.force_login(county.staff)
    assert "三资管理" in client.get(reverse("inspections:talk_detail", args=[talk.pk])).content.decode()
    assert "整改不力，通报问责" in client.get(reverse("assessment:accountability")).content.decode()


def test_rotate_keys_reencrypts_in_batches_and_old_key_can_go(county, settings):
    settings.QINGDAN_FIELD_KEYS = parse_keyring(OLD, key_bytes=16)
    talks = [make_talk(county, topics=f"要点{i}") for i in range(5)]
    user = make_user("rotated", mobile="13500135000")
    legacy = make_accountability(county)
    write_raw("assessment_accountability", "reason", legacy.pk, "旧明文事由")  # written before encryption
    assert Accountability.objects.get(pk=legacy.pk).reason == "旧明文事由"

    settings.QINGDAN_FIELD_KEYS = parse_keyring(f"{NEW},{OLD}", key_bytes=16)
    assert Talk.objects.get(pk=talks[0].pk).topics == "要点0", "older keys still decrypt during the rotation"
    call_command("rotate_keys", "--batch-size", "2")
    for table, column, pk in [("inspections_talk", "topics", t.pk) for t in talks] + [
            ("accounts_user", "mobile", user.pk), ("assessment_accountability", "reason", legacy.pk)]:
        assert raw(table, column, pk).startswith(PREFIX + "new:")

    settings.QINGDAN_FIELD_KEYS = parse_keyring(NEW, key_bytes=16)
    assert [Talk.objects.get(pk=t.pk).topics for t in talks] == [f"要点{i}" for i in range(5)]
    assert Accountability.objects.get(pk=legacy.pk).reason == "旧明文事由"
    assert list(User.objects.with_mobile("13500135000")) == [user]
    from accounts.models import AuditEvent

    assert AuditEvent.objects.get(action="crypto.keys_rotated").detail["rows"] == 7


def test_rotate_keys_recomputes_digests_for_a_new_lookup_key(county, settings):
    user = make_user("digested", mobile="13400134000")
    settings.QINGDAN_LOOKUP_KEY = parse_keyring("l2=" + "33" * 32, min_bytes=32)
    assert not User.objects.with_mobile("13400134000").exists()
    call_command("rotate_keys", "--digests")
    assert list(User.objects.with_mobile("13400134000")) == [user]
