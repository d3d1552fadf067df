"""Production settings: a missing or malformed required value stops the start with a
clear message; with production values `check --deploy --fail-level WARNING` passes."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOOD = {
    "QINGDAN_ENV": "production",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
    "DJANGO_ALLOWED_HOSTS": "qingdan.example.gov.cn",
    "DATABASE_URL": "postgres://qingdan:secret@db.internal:5432/qingdan",
    "REDIS_URL": "redis://cache.internal:6379/0",
}


def run(args, env_over, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "QINGDAN_", "DATABASE_URL", "REDIS_URL", "CELERY_"))}
    env.update({"QINGDAN_VAR_DIR": str(tmp_path), "QINGDAN_STATIC_ROOT": str(tmp_path / "static"),
                "DJANGO_SETTINGS_MODULE": "config.settings"})
    env.update({k: v for k, v in env_over.items() if v is not None})
    for k, v in env_over.items():
        if v is None:
            env.pop(k, None)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_check_deploy_passes_with_production_values(tmp_path):
    r = run(["check", "--deploy", "--fail-level", "WARNING"], GOOD, tmp_path)
    assert r.returncode == 0, r.stderr + r.stdout
    assert "no issues" in r.stdout


@pytest.mark.parametrize("override,message", [
    ({"DJANGO_SECRET_KEY": None}, "DJANGO_SECRET_KEY must be set"),
    ({"DJANGO_SECRET_KEY": "  "}, "DJANGO_SECRET_KEY must be set"),
    ({"DJANGO_SECRET_KEY": "short"}, "at least 50"),
    ({"DJANGO_SECRET_KEY": "django-insecure-" + "x" * 60}, "at least 50"),
    ({"DJANGO_ALLOWED_HOSTS": None}, "DJANGO_ALLOWED_HOSTS must be set"),
    ({"DATABASE_URL": None}, "DATABASE_URL must be set"),
    ({"DATABASE_URL": "not a url"}, "DATABASE_URL"),
    ({"DJANGO_SECURE_SSL_REDIRECT": "maybe"}, "DJANGO_SECURE_SSL_REDIRECT"),
    ({"QINGDAN_SESSION_IDLE_SECONDS": "half an hour"}, "QINGDAN_SESSION_IDLE_SECONDS"),
    ({"QINGDAN_ENV": "prod"}, "QINGDAN_ENV='prod' is not valid"),
    ({"REDIS_URL": "cache.internal:6379"}, "REDIS_URL"),
    ({"QINGDAN_LOCKOUT_MINUTES": "thirty"}, "QINGDAN_LOCKOUT_MINUTES"),
])
def test_missing_or_malformed_value_fails_at_start(tmp_path, override, message):
    r = run(["check"], {**GOOD, **override}, tmp_path)
    assert r.returncode != 0
    assert "ImproperlyConfigured" in r.stderr and message in r.stderr, r.stderr[-800:]


def test_production_never_invents_a_secret_key(tmp_path):
    r = run(["check"], {**GOOD, "DJANGO_SECRET_KEY": None}, tmp_path)
    assert r.returncode != 0
    assert not (tmp_path / "secret_key").exists()


def test_production_refuses_demo_data(tmp_path):
    r = run(["seed_demo"], {**GOOD, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}, tmp_path)
    assert r.returncode != 0 and "refused in production" in r.stderr
