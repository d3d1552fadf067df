"""商用密码 primitives, from the ``cryptography`` library (OpenSSL): SM3 digests and HMACs,
SM4-GCM authenticated encryption, and keyrings read from the environment.

A keyring is written ``id=hexkey,id=hexkey`` (the first key is the current one, the others
still decrypt or verify what was written under them). Key ids are 1–8 letters or digits."""

from __future__ import annotations

import hmac as _hmac
import os
import re
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as _crypto_hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

SM4_KEY_BYTES = 16
GCM_NONCE_BYTES = 12
GCM_TAG_BYTES = 16
_KEY_ID = re.compile(r"^[A-Za-z0-9]{1,8}$")


class DecryptionError(Exception):
    """The ciphertext was altered, or was written under a key the keyring does not hold."""


def sm3(data: bytes) -> bytes:
    h = hashes.Hash(hashes.SM3())
    h.update(data)
    return h.finalize()


def hmac_sm3(key: bytes, data: bytes) -> bytes:
    m = _crypto_hmac.HMAC(key, hashes.SM3())
    m.update(data)
    return m.finalize()


def equal(a: bytes | str, b: bytes | str) -> bool:
    """Constant-time comparison of two MACs or digests."""
    return _hmac.compare_digest(a, b)


def sm4_gcm_encryptor(key: bytes, nonce: bytes, aad: bytes = b""):
    enc = Cipher(algorithms.SM4(key), modes.GCM(nonce)).encryptor()
    if aad:
        enc.authenticate_additional_data(aad)
    return enc


def sm4_gcm_decryptor(key: bytes, nonce: bytes, tag: bytes, aad: bytes = b""):
    dec = Cipher(algorithms.SM4(key), modes.GCM(nonce, tag)).decryptor()
    if aad:
        dec.authenticate_additional_data(aad)
    return dec


def sm4_gcm_encrypt(key: bytes, plaintext: bytes, aad: bytes = b"") -> bytes:
    """nonce ‖ ciphertext ‖ tag, with a fresh random 96-bit nonce."""
    nonce = os.urandom(GCM_NONCE_BYTES)
    enc = sm4_gcm_encryptor(key, nonce, aad)
    body = enc.update(plaintext) + enc.finalize()
    return nonce + body + enc.tag


def sm4_gcm_decrypt(key: bytes, sealed: bytes, aad: bytes = b"") -> bytes:
    if len(sealed) < GCM_NONCE_BYTES + GCM_TAG_BYTES:
        raise DecryptionError("ciphertext too short")
    nonce, body, tag = sealed[:GCM_NONCE_BYTES], sealed[GCM_NONCE_BYTES:-GCM_TAG_BYTES], sealed[-GCM_TAG_BYTES:]
    dec = sm4_gcm_decryptor(key, nonce, tag, aad)
    try:
        return dec.update(body) + dec.finalize()
    except InvalidTag:
        raise DecryptionError("authentication tag does not match") from None


@dataclass(frozen=True)
class Keyring:
    """Keys by id; ``current`` encrypts and signs, every key decrypts and verifies."""

    keys: dict[str, bytes]
    current: str

    def key(self, key_id: str) -> bytes:
        try:
            return self.keys[key_id]
        except KeyError:
            raise DecryptionError(f"no key with id {key_id!r} in the keyring") from None

    @property
    def current_key(self) -> bytes:
        return self.keys[self.current]


def parse_keyring(raw: str, *, key_bytes: int | None = None, min_bytes: int = 16) -> Keyring:
    """``id=hex,id=hex`` → Keyring; ValueError (for settings' message) when malformed."""
    keys: dict[str, bytes] = {}
    order = []
    for item in filter(None, (i.strip() for i in raw.split(","))):
        key_id, sep, hexkey = item.partition("=")
        key_id = key_id.strip()
        if not sep or not _KEY_ID.match(key_id):
            raise ValueError("is malformed: use id=hexkey[,id=hexkey…], ids of 1–8 letters or digits.")
        try:
            key = bytes.fromhex(hexkey.strip())
        except ValueError:
            raise ValueError(f"is malformed: the key {key_id!r} is not hexadecimal.") from None
        if (key_bytes and len(key) != key_bytes) or len(key) < min_bytes:
            want = f"{key_bytes}" if key_bytes else f"at least {min_bytes}"
            raise ValueError(f"is malformed: the key {key_id!r} must be {want} bytes ({2 * (key_bytes or min_bytes)} hex digits).")
        if key_id in keys:
            raise ValueError(f"is malformed: the key id {key_id!r} appears twice.")
        keys[key_id] = key
        order.append(key_id)
    if not order:
        raise ValueError("is malformed: no key given.")
    return Keyring(keys=keys, current=order[0])


def dev_key(secret: str, purpose: str, nbytes: int) -> bytes:
    """A stable key for development and tests, derived from the Django secret key."""
    return sm3(f"{purpose}:{secret}".encode())[:nbytes]
