"""manage.py backup / restore: one SM4-encrypted archive of the database and the media files,
checked against its manifest, restored only into an empty database and media folder."""

import hashlib
import os
import sqlite3
import subprocess
import sys
from datetime import date
from io import BytesIO

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from accounts import backup
from accounts.backup_archive import CHUNK
from accounts.crypto import parse_keyring

KEYS = parse_keyring("b1=" + "44" * 16, key_bytes=16)


def sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def populate(county):
    """Tasks with evidence files (one larger than an archive chunk), a talk record, an
    accountability record and mobile numbers (encrypted fields), and audit rows."""
    from django.contrib.contenttypes.models import ContentType

    from accounts.models import OrgUnit
    from assessment.models import Accountability
    from inspections.models import Talk
    from tasks.models import Evidence, Task

    for i, org in enumerate([county.town1, county.v11, county.v12, county.town2]):
        task = Task.objects.create(org=org, source_type=ContentType.objects.get_for_model(OrgUnit), source_id=900 + i,
                                   due_date=date(2026, 12, 1), original_due_date=date(2026, 12, 1), title=f"事项{i}",
                                   period_start=date(2026, 1, 1), period_end=date(2026, 12, 31), period_label="2026年",
                                   review_org=org.get_parent())
        content = (f"台账{i}".encode() * 7) if i else bytes(range(256)) * (CHUNK // 128)  # 2 MiB: several chunks
        ev = Evidence(task=task, original_name=f"台账{i}.pdf", content_type="application/pdf", size=len(content),
                      sha256=hashlib.sha256(content).hexdigest(), uploaded_by=county.t1_clerk)
        ev.file.save("upload", ContentFile(content), save=False)
        ev.save()
    Talk.objects.create(kind="reminder", talker_name="县纪委", talker_org=county.commission, org=county.town1,
                        talkee_name="镇书记", held_on=date(2026, 3, 10), topics="谈话要点", created_by=county.staff)
    Accountability.objects.create(org=county.town1, target="org", measure="org_notice", reason="整改不力",
                                  decided_on=date(2026, 10, 1), decided_by="县纪委", created_by=county.staff)
    county.t1_party.mobile = "13800138000"
    county.t1_party.save()


@pytest.fixture
def empty_pg_database():
    """A newly created, empty PostgreSQL database next to the test database."""
    import psycopg

    db = {**connection.settings_dict, "NAME": connection.settings_dict["NAME"] + "_restored"}
    admin = backup._pg_connect({**db, "NAME": "postgres"})
    admin.execute(psycopg.sql.SQL("DROP DATABASE IF EXISTS {}").format(psycopg.sql.Identifier(db["NAME"])))
    admin.execute(psycopg.sql.SQL("CREATE DATABASE {}").format(psycopg.sql.Identifier(db["NAME"])))
    yield db
    admin.execute(psycopg.sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(psycopg.sql.Identifier(db["NAME"])))
    admin.close()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump / pg_restore")
@pytest.mark.django_db(transaction=True)
def test_postgres_round_trip_of_a_populated_county(settings, tmp_path, empty_pg_database):
    from tasks.models import Evidence
    from tests.county import build_county

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.QINGDAN_BACKUP_KEYS = KEYS
    county = build_county()
    populate(county)
    archive = tmp_path / "county.qdbackup"
    call_command("backup", str(archive))
    source_counts = backup.row_counts(connection.settings_dict)
    assert source_counts["tasks_evidence"] == 4 and source_counts["accounts_auditevent"] > 10
    assert b"13800138000" not in archive.read_bytes() and "台账".encode() not in archive.read_bytes()

    with pytest.raises(CommandError, match="is not empty"):
        call_command("restore", str(archive))  # the live database is not empty

    # the restore command, in a process of its own on the new database, as an operator runs it
    restored_media = tmp_path / "restored-media"
    db = empty_pg_database
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "QINGDAN_ENV": "test",
           "QINGDAN_MEDIA_ROOT": str(restored_media), "QINGDAN_BACKUP_KEYS": "b1=" + "44" * 16,
           "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"}
    done = subprocess.run([sys.executable, "manage.py", "restore", str(archive)], cwd=settings.BASE_DIR, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "restored 65 tables" not in done.stderr and "4 media files" in done.stdout
    assert f"audit chain intact: {source_counts['accounts_auditevent']} rows verified" in done.stdout
    restored = backup.row_counts(db)
    assert restored.pop("accounts_auditevent") == source_counts.pop("accounts_auditevent") + 1, "+ backup.restored"
    assert restored == source_counts, "every table, every row"
    for ev in Evidence.objects.all():
        assert sha256(restored_media / ev.file.name) == ev.sha256 == sha256(settings.MEDIA_ROOT / ev.file.name)


def sqlite_site(tmp_path, rows=3):
    db = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "site.sqlite3")}
    with sqlite3.connect(db["NAME"]) as conn:
        conn.execute("CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT)")
        conn.executemany("INSERT INTO item (name) VALUES (?)", [(f"条目{i}",) for i in range(rows)])
        conn.execute("CREATE TABLE other (id INTEGER PRIMARY KEY)")
    media = tmp_path / "media"
    (media / "evidence" / "2026").mkdir(parents=True)
    (media / "evidence" / "2026" / "a.pdf").write_bytes(b"%PDF-1.4 a")
    (media / "talks").mkdir()
    (media / "talks" / "b.docx").write_bytes(b"PK b" * 1000)
    return db, media


def make_archive(tmp_path):
    db, media = sqlite_site(tmp_path)
    out = BytesIO()
    backup.backup(db, media, out, KEYS)
    return db, media, out.getvalue()


def test_sqlite_round_trip(tmp_path):
    db, media, data = make_archive(tmp_path)
    target = {"ENGINE": db["ENGINE"], "NAME": str(tmp_path / "new.sqlite3")}
    summary = backup.restore(target, tmp_path / "new-media", BytesIO(data), KEYS)
    assert summary.files == 2 and summary.tables == 2
    assert backup.row_counts(target) == backup.row_counts(db) == {"item": 3, "other": 0}
    for rel in ("evidence/2026/a.pdf", "talks/b.docx"):
        assert sha256(tmp_path / "new-media" / rel) == sha256(media / rel)


def test_restore_refuses_a_non_empty_target(tmp_path):
    db, media, data = make_archive(tmp_path)
    with pytest.raises(backup.RestoreRefused, match="database .* is not empty"):
        backup.restore(db, tmp_path / "new-media", BytesIO(data), KEYS)
    target = {"ENGINE": db["ENGINE"], "NAME": str(tmp_path / "new.sqlite3")}
    with pytest.raises(backup.RestoreRefused, match="media folder .* is not empty"):
        backup.restore(target, media, BytesIO(data), KEYS)
    assert backup.tables(target) == [], "nothing was written"


@pytest.mark.parametrize("damage, message", [
    (lambda d: d[:40] + bytes([d[40] ^ 1]) + d[41:], "altered"),
    (lambda d: d[: len(d) - 50], "cut off"),
    (lambda d: b"NOTBACKUP" + d[9:], "not a qingdan backup"),
])
def test_restore_refuses_a_damaged_archive(tmp_path, damage, message):
    db, media, data = make_archive(tmp_path)
    target = {"ENGINE": db["ENGINE"], "NAME": str(tmp_path / "new.sqlite3")}
    with pytest.raises(backup.RestoreRefused, match=message):
        backup.restore(target, tmp_path / "new-media", BytesIO(damage(data)), KEYS)
    assert backup.tables(target) == [] and not (tmp_path / "new-media").exists()


def test_restore_needs_the_key(tmp_path):
    db, media, data = make_archive(tmp_path)
    target = {"ENGINE": db["ENGINE"], "NAME": str(tmp_path / "new.sqlite3")}
    with pytest.raises(backup.RestoreRefused, match="key 'b1'"):
        backup.restore(target, tmp_path / "new-media", BytesIO(data), parse_keyring("b2=" + "55" * 16, key_bytes=16))
    assert b"\xe6\x9d\xa1\xe7\x9b\xae" not in data, "the rows' text (条目) is not in the archive in clear"
