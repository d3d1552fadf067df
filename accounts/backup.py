"""Backup and restore of the database and the media files as one SM4-encrypted archive.

The archive (accounts/backup_archive.py) holds a tar stream: the database (``pg_dump``'s
custom format on PostgreSQL, SQLite's online backup API on SQLite), every media file under
``media/``, and last ``manifest.json``: the sha256 and size of every file and the row count
of every table. ``restore`` checks the manifest before it touches anything, then rebuilds
into an empty database and an empty media folder only, and compares the row counts after.
Both work on a database given as a Django ``DATABASES`` entry, through the drivers."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.utils import timezone

from .backup_archive import ArchiveError, DecryptingReader, EncryptingWriter

MANIFEST = "manifest.json"
DB_FILES = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}


class RestoreRefused(Exception):
    """The target is not empty, or the archive does not match its manifest."""


def vendor(db: dict) -> str:
    engine = db["ENGINE"]
    if engine.endswith("postgresql"):
        return "postgresql"
    if engine.endswith("sqlite3"):
        return "sqlite"
    raise RestoreRefused(f"unsupported database engine {engine}")


def _pg_env(db: dict) -> dict:
    env = {**os.environ, "PGDATABASE": db["NAME"], "PGCONNECT_TIMEOUT": "10"}
    for key, var in (("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD"), ("HOST", "PGHOST"), ("PORT", "PGPORT")):
        if db.get(key):
            env[var] = str(db[key])
    return env


def _pg_connect(db: dict):
    import psycopg

    return psycopg.connect(dbname=db["NAME"], user=db.get("USER") or None, password=db.get("PASSWORD") or None,
                           host=db.get("HOST") or None, port=db.get("PORT") or None, autocommit=True)


def tables(db: dict) -> list[str]:
    if vendor(db) == "postgresql":
        with _pg_connect(db) as conn:
            return [r[0] for r in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")]
    if not Path(db["NAME"]).exists():
        return []
    with sqlite3.connect(db["NAME"]) as conn:
        return [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]


def row_counts(db: dict) -> dict[str, int]:
    names = tables(db)
    if vendor(db) == "postgresql":
        with _pg_connect(db) as conn:
            from psycopg import sql

            return {t: conn.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(t))).fetchone()[0]
                    for t in names}
    with sqlite3.connect(db["NAME"]) as conn:
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in names}  # noqa: S608 — names from sqlite_master


def _dump(db: dict, target: Path) -> None:
    if vendor(db) == "postgresql":
        subprocess.run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(target)],
                       env=_pg_env(db), check=True, capture_output=True)
        return
    src, dst = sqlite3.connect(db["NAME"]), sqlite3.connect(target)
    try:
        src.backup(dst)  # consistent while the site keeps writing
    finally:
        dst.close()
        src.close()


def _load(db: dict, dump: Path) -> None:
    if vendor(db) == "postgresql":
        result = subprocess.run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",
                                 "--single-transaction", "--dbname", db["NAME"], str(dump)],
                                env=_pg_env(db), capture_output=True, text=True)
        if result.returncode:
            raise RestoreRefused(f"pg_restore failed: {result.stderr.strip()[:2000]}")
        return
    src, dst = sqlite3.connect(dump), sqlite3.connect(db["NAME"])
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1024 * 1024), b""):
            h.update(block)
    return h.hexdigest()


def _media_files(media_root: Path):
    if not media_root.is_dir():
        return
    for path in sorted(media_root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            yield path, path.relative_to(media_root).as_posix()


@dataclass
class Summary:
    files: int
    bytes: int
    tables: int
    rows: int


def backup(db: dict, media_root: Path, out, keyring) -> Summary:
    """Write the archive of ``db`` and ``media_root`` to the binary file object ``out``."""
    entries, size = [], 0
    with tempfile.TemporaryDirectory(prefix="qingdan-backup-") as tmp:
        dump = Path(tmp) / DB_FILES[vendor(db)]
        _dump(db, dump)
        counts = row_counts(db)
        writer = EncryptingWriter(out, keyring.current, keyring.current_key)
        with tarfile.open(fileobj=writer, mode="w|") as tar:
            for path, name in [(dump, dump.name), *((p, f"media/{rel}") for p, rel in _media_files(media_root))]:
                digest = _sha256(path)
                info = tar.gettarinfo(str(path), arcname=name)
                info.uid = info.gid = 0
                info.uname = info.gname = ""
                with open(path, "rb") as f:
                    tar.addfile(info, f)
                entries.append({"name": name, "sha256": digest, "bytes": info.size})
                size += info.size if name.startswith("media/") else 0
            manifest = json.dumps({
                "format": 1, "created": timezone.now().isoformat(), "vendor": vendor(db),
                "database": dump.name, "files": entries, "row_counts": counts,
            }, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(manifest)
            tar.addfile(info, fileobj=io.BytesIO(manifest))
        writer.close()
    return Summary(files=len(entries) - 1, bytes=size, tables=len(counts), rows=sum(counts.values()))


def _safe_name(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise RestoreRefused(f"the archive holds an unsafe path: {name!r}")
    return path


def _unpack(raw, keyring, staging: Path) -> dict:
    """Decrypt and unpack into ``staging``; the manifest, checked against what was unpacked."""
    seen, manifest = {}, None
    with tarfile.open(fileobj=DecryptingReader(raw, keyring), mode="r|") as tar:
        for member in tar:
            if not member.isfile():
                raise RestoreRefused(f"the archive holds something other than a file: {member.name!r}")
            source = tar.extractfile(member)
            if member.name == MANIFEST:
                manifest = json.loads(source.read().decode())
                continue
            target = staging / _safe_name(member.name)
            target.parent.mkdir(parents=True, exist_ok=True)
            h = hashlib.sha256()
            with open(target, "wb") as f:
                for block in iter(lambda: source.read(1024 * 1024), b""):
                    h.update(block)
                    f.write(block)
            seen[member.name] = h.hexdigest()
    if manifest is None:
        raise RestoreRefused("the archive has no manifest")
    listed = {e["name"]: e["sha256"] for e in manifest["files"]}
    if set(listed) != set(seen):
        raise RestoreRefused(f"the archive's files differ from its manifest: {sorted(set(listed) ^ set(seen))[:5]}")
    bad = sorted(n for n in listed if listed[n] != seen[n])
    if bad:
        raise RestoreRefused(f"sha256 does not match the manifest for {bad[:5]}")
    return manifest


def check_empty(db: dict, media_root: Path) -> None:
    found = tables(db)
    if found:
        raise RestoreRefused(
            f"the database {db['NAME']} is not empty ({len(found)} tables, e.g. {found[0]}): restore only into a "
            "newly created, empty database")
    if media_root.exists() and any(media_root.iterdir()):
        raise RestoreRefused(f"the media folder {media_root} is not empty: restore only into an empty folder")


def restore(db: dict, media_root: Path, raw, keyring) -> Summary:
    """Rebuild ``db`` and ``media_root`` (both must be empty) from the archive ``raw``."""
    check_empty(db, media_root)
    with tempfile.TemporaryDirectory(prefix="qingdan-restore-") as tmp:
        staging = Path(tmp)
        try:
            manifest = _unpack(raw, keyring, staging)
        except (ArchiveError, tarfile.TarError) as exc:
            raise RestoreRefused(str(exc)) from None
        if manifest["vendor"] != vendor(db):
            raise RestoreRefused(f"the archive holds a {manifest['vendor']} database; the target is {vendor(db)}")
        _load(db, staging / manifest["database"])
        media = staging / "media"
        media_root.mkdir(parents=True, exist_ok=True)
        if media.is_dir():
            for item in media.iterdir():
                shutil.move(str(item), media_root / item.name)
    counts = row_counts(db)
    if counts != manifest["row_counts"]:
        differ = sorted(t for t in set(counts) | set(manifest["row_counts"])
                        if counts.get(t) != manifest["row_counts"].get(t))
        raise RestoreRefused(f"row counts after the restore differ from the backup's in {differ[:5]}")
    files = [e for e in manifest["files"] if e["name"].startswith("media/")]
    return Summary(files=len(files), bytes=sum(e["bytes"] for e in files), tables=len(counts), rows=sum(counts.values()))
