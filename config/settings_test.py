"""pytest settings: the real settings in QINGDAN_ENV=test, plus test-speed tweaks.

Database: DATABASE_URL (PostgreSQL under `make test`), SQLite otherwise.
Celery: eager, unless a test module starts a real worker (tests/integration).
"""

import os

os.environ.setdefault("QINGDAN_ENV", "test")

from .settings import *  # noqa: E402,F403
from .settings import BASE_DIR, env  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_TASK_ALWAYS_EAGER = env.bool("QINGDAN_CELERY_EAGER", default=True)
CELERY_TASK_EAGER_PROPAGATES = True
if CELERY_TASK_ALWAYS_EAGER:
    CELERY_BROKER_URL = "memory://"
    CELERY_RESULT_BACKEND = "cache+memory://"
MEDIA_ROOT = BASE_DIR / "var" / "test-media"
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LANGUAGE_CODE = "zh-hans"
# No collectstatic under pytest: WhiteNoise looks files up on demand (no "No directory at" warning),
# and finds them in the app/project static dirs.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
