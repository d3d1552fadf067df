"""PBKDF2-HMAC-SM3 password hashing (商用密码), selected by QINGDAN_PASSWORD_HASHER.

Django's own PBKDF2 hasher with SM3 in place of SHA-256 (the derivation is the
``cryptography`` library's, backed by OpenSSL). Hashes of another kind are upgraded by
Django at the user's next successful sign-in (``check_password``'s setter)."""

import base64

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC
from django.contrib.auth.hashers import PBKDF2PasswordHasher


class PBKDF2SM3PasswordHasher(PBKDF2PasswordHasher):
    algorithm = "pbkdf2_sm3"
    iterations = 600_000
    digest = None  # not a hashlib digest: see encode

    def encode(self, password, salt, iterations=None):
        self._check_encode_args(password, salt)
        iterations = iterations or self.iterations
        kdf = PBKDF2HMAC(algorithm=hashes.SM3(), length=32, salt=salt.encode(), iterations=iterations)
        derived = base64.b64encode(kdf.derive(password.encode())).decode("ascii").strip()
        return "%s$%d$%s$%s" % (self.algorithm, iterations, salt, derived)
