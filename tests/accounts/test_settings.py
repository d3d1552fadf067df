"""Production settings: a missing or malformed required value stops the start with a
clear message; with production values `check --deploy --fail-level WARNING` passes."""

import json
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
    "QINGDAN_SITE_URL": "https://qingdan.example.gov.cn",
    "QINGDAN_AUDIT_KEYS": "a1=" + secrets.token_hex(32),
    "QINGDAN_FIELD_KEYS": "f1=" + secrets.token_hex(16),
    "QINGDAN_LOOKUP_KEY": "l1=" + secrets.token_hex(32),
    "QINGDAN_BACKUP_KEYS": "b1=" + secrets.token_hex(16),
}


def clean_env(env_over, tmp_path) -> dict:
    """This process's environment without any setting of ours, then ``env_over`` (None: unset)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "QINGDAN_", "DATABASE_URL", "REDIS_URL", "CELERY_"))}
    env.update({"QINGDAN_VAR_DIR": str(tmp_path), "QINGDAN_STATIC_ROOT": str(tmp_path / "static"),
                "DJANGO_SETTINGS_MODULE": "config.settings"})
    env.update({k: v for k, v in env_over.items() if v is not None})
    for k, v in env_over.items():
        if v is None:
            env.pop(k, None)
    return env


def run(args, env_over, tmp_path):
    env = clean_env(env_over, tmp_path)
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
    ({"QINGDAN_SITE_URL": None}, "QINGDAN_SITE_URL must be set"),
    ({"QINGDAN_SITE_URL": "qingdan.example.gov.cn"}, "QINGDAN_SITE_URL='qingdan.example.gov.cn' is malformed"),
    ({"QINGDAN_AUDIT_KEYS": None}, "QINGDAN_AUDIT_KEYS must be set"),
    ({"QINGDAN_FIELD_KEYS": None}, "QINGDAN_FIELD_KEYS must be set"),
])
def test_missing_or_malformed_value_fails_at_start(tmp_path, override, message):
    r = run(["check"], {**GOOD, **override}, tmp_path)
    assert r.returncode != 0
    assert "ImproperlyConfigured" in r.stderr and message in r.stderr, r.stderr[-800:]


def test_a_malformed_key_stops_the_start_without_being_repeated(tmp_path):
    r = run(["check"], {**GOOD, "QINGDAN_FIELD_KEYS": "f1=0badc0ffee"}, tmp_path)
    assert r.returncode != 0
    assert "QINGDAN_FIELD_KEYS is malformed: the key 'f1' must be 16 bytes" in r.stderr, r.stderr[-800:]
    assert "0badc0ffee" not in r.stderr


def test_production_never_invents_a_secret_key(tmp_path):
    r = run(["check"], {**GOOD, "DJANGO_SECRET_KEY": None}, tmp_path)
    assert r.returncode != 0
    assert not (tmp_path / "secret_key").exists()


def test_production_refuses_demo_data(tmp_path):
    r = run(["seed_demo"], {**GOOD, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}, tmp_path)
    assert r.returncode != 0 and "refused in production" in r.stderr


def read_settings(env_over, tmp_path, *names):
    """Import the settings in a fresh process with ``env_over``: (return code, {name: repr}, stderr)."""
    code = ("import json, config.settings as s; "
            f"print(json.dumps({{n: repr(getattr(s, n)) for n in {list(names)!r}}}))")
    env = clean_env({"QINGDAN_ENV": "dev", **env_over}, tmp_path)
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    return r.returncode, (json.loads(r.stdout) if r.returncode == 0 else {}), r.stderr


def test_application_settings_come_from_the_environment(tmp_path):
    rc, got, err = read_settings({
        "QINGDAN_SITE_URL": "https://qingdan.example.gov.cn/",
        "QINGDAN_SEND_BATCH_SIZE": "7",
        "QINGDAN_ESCALATION_LAG_FRACTION": "0.25",
        "QINGDAN_WEBHOOK_ALLOWED_HOSTS": "Robot.Intranet.gov.cn, oapi.dingtalk.com",
        "QINGDAN_RISK_REVIEW_DUE": "11-30",
        "QINGDAN_REPORT_UNIT": "某县纪委监委",
    }, tmp_path, "QINGDAN_SITE_URL", "QINGDAN_SEND_BATCH_SIZE", "QINGDAN_ESCALATION_LAG_FRACTION",
        "QINGDAN_WEBHOOK_ALLOWED_HOSTS", "QINGDAN_RISK_REVIEW_DUE", "QINGDAN_REPORT_UNIT", "QINGDAN_SEND_PARALLELISM")
    assert rc == 0, err
    assert got == {
        "QINGDAN_SITE_URL": "'https://qingdan.example.gov.cn'",
        "QINGDAN_SEND_BATCH_SIZE": "7",
        "QINGDAN_ESCALATION_LAG_FRACTION": "0.25",
        "QINGDAN_WEBHOOK_ALLOWED_HOSTS": "('robot.intranet.gov.cn', 'oapi.dingtalk.com')",
        "QINGDAN_RISK_REVIEW_DUE": "(11, 30)",
        "QINGDAN_REPORT_UNIT": "'某县纪委监委'",
        "QINGDAN_SEND_PARALLELISM": "4",  # unset: the default
    }


@pytest.mark.parametrize("override,message", [
    ({"QINGDAN_SEND_BATCH_SIZE": "fifty"}, "QINGDAN_SEND_BATCH_SIZE='fifty' is malformed: expected a whole number"),
    ({"QINGDAN_SEND_MAX_ATTEMPTS": "0"}, "QINGDAN_SEND_MAX_ATTEMPTS='0' is out of range"),
    ({"QINGDAN_ESCALATION_LAG_FRACTION": "1.5"}, "QINGDAN_ESCALATION_LAG_FRACTION='1.5' is out of range"),
    ({"QINGDAN_WEBHOOK_TIMEOUT": "5s"}, "QINGDAN_WEBHOOK_TIMEOUT='5s' is malformed: expected a number"),
    ({"QINGDAN_WEBHOOK_TIMEOUT": "nan"}, "QINGDAN_WEBHOOK_TIMEOUT='nan' is malformed: expected a number"),
    ({"QINGDAN_SEND_LEASE_SECONDS": "120"}, "QINGDAN_SEND_LEASE_SECONDS='120' is out of range: expected from 301"),
    ({"QINGDAN_SEND_TIME_BUDGET": "600"}, "QINGDAN_SEND_TIME_BUDGET='600' is out of range"),
    ({"QINGDAN_SEND_BACKOFF_SECONDS": "120", "QINGDAN_SEND_BACKOFF_MAX_SECONDS": "60"}, "QINGDAN_SEND_BACKOFF_MAX_SECONDS='60'"),
    ({"QINGDAN_RISK_REVIEW_DUE": "02-29"}, "QINGDAN_RISK_REVIEW_DUE='02-29' is malformed"),
    ({"QINGDAN_RISK_REVIEW_DUE": "20 December"}, "QINGDAN_RISK_REVIEW_DUE"),
    ({"QINGDAN_AUDIT_RETENTION_DAYS": "30"}, "QINGDAN_AUDIT_RETENTION_DAYS='30' is out of range: expected at least 184"),
    ({"QINGDAN_EVIDENCE_MAX_MB": "0"}, "QINGDAN_EVIDENCE_MAX_MB"),
    ({"QINGDAN_LOG_LEVEL": "LOUD"}, "QINGDAN_LOG_LEVEL='LOUD' is not valid"),
    ({"QINGDAN_SITE_URL": "ftp://files.example.gov.cn"}, "QINGDAN_SITE_URL='ftp://files.example.gov.cn' is malformed"),
])
def test_malformed_application_setting_stops_the_start_naming_it(tmp_path, override, message):
    rc, _, err = read_settings(override, tmp_path, "QINGDAN_ENV")
    assert rc != 0
    assert "ImproperlyConfigured" in err and message in err, err[-800:]
