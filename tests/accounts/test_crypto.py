"""商用密码 primitives against the standards' own examples, the keyrings, and the
PBKDF2-HMAC-SM3 password hasher with the upgrade of older hashes at sign-in."""

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.contrib.auth.hashers import check_password, identify_hasher, make_password

from accounts import crypto
from accounts.hashers import PBKDF2SM3PasswordHasher


def test_sm3_vectors_of_gb_t_32905():
    # GB/T 32905-2016, appendix A: example 1 ("abc") and example 2 ("abcd" × 16, 512 bits)
    assert crypto.sm3(b"abc").hex() == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    assert crypto.sm3(b"abcd" * 16).hex() == "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"


def test_sm4_vector_of_gb_t_32907():
    # GB/T 32907-2016, appendix A, example 1: one block, and example 2: 1,000,000 rounds
    key = bytes.fromhex("0123456789abcdeffedcba9876543210")
    enc = Cipher(algorithms.SM4(key), modes.ECB()).encryptor()
    assert (enc.update(key) + enc.finalize()).hex() == "681edf34d206965e86b3e94f536e4246"
    block = key
    enc = Cipher(algorithms.SM4(key), modes.ECB()).encryptor()
    for _ in range(1_000_000):
        block = enc.update(block)
    assert block.hex() == "595298c7c6fd271f0402f804c33d3f66"


def test_sm4_gcm_round_trip_and_tamper_detection():
    key = bytes(range(16))
    sealed = crypto.sm4_gcm_encrypt(key, "谈话内容".encode(), aad=b"talk:7")
    assert crypto.sm4_gcm_decrypt(key, sealed, aad=b"talk:7").decode() == "谈话内容"
    assert crypto.sm4_gcm_encrypt(key, b"x") != crypto.sm4_gcm_encrypt(key, b"x"), "a fresh nonce each time"
    flipped = sealed[:-1] + bytes([sealed[-1] ^ 1])
    for bad, aad in ((flipped, b"talk:7"), (sealed, b"talk:8"), (sealed[:10], b"talk:7")):
        with pytest.raises(crypto.DecryptionError):
            crypto.sm4_gcm_decrypt(key, bad, aad=aad)


def test_hmac_sm3_is_rfc_2104_over_sm3():
    """HMAC (GB/T 15852.2 / RFC 2104) written out over the vector-checked SM3, for a short and
    a longer-than-a-block key."""
    for key in (b"Jefe", bytes(range(100))):
        msg = b"what do ya want for nothing?"
        k = (crypto.sm3(key) if len(key) > 64 else key).ljust(64, b"\0")
        inner = crypto.sm3(bytes(b ^ 0x36 for b in k) + msg)
        assert crypto.hmac_sm3(key, msg) == crypto.sm3(bytes(b ^ 0x5C for b in k) + inner)


def test_keyring_parsing():
    ring = crypto.parse_keyring("k2=" + "22" * 16 + ", k1=" + "11" * 16, key_bytes=16)
    assert ring.current == "k2" and ring.key("k1") == b"\x11" * 16
    for raw, message in (("", "no key"), ("k1", "id=hexkey"), ("k1=zz", "hexadecimal"), ("k1=00", "16 bytes"),
                         ("k1=" + "11" * 16 + ",k1=" + "22" * 16, "twice"), ("bad id=" + "11" * 16, "id=hexkey")):
        with pytest.raises(ValueError, match=message):
            crypto.parse_keyring(raw, key_bytes=16)
    with pytest.raises(crypto.DecryptionError):
        ring.key("k9")


HASHERS = ["accounts.hashers.PBKDF2SM3PasswordHasher", "django.contrib.auth.hashers.PBKDF2PasswordHasher"]


@pytest.fixture
def fast_sm3(monkeypatch):
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    monkeypatch.setattr(PBKDF2SM3PasswordHasher, "iterations", 1000)
    monkeypatch.setattr(PBKDF2PasswordHasher, "iterations", 1000)


def test_pbkdf2_sm3_hasher(fast_sm3, settings):
    settings.PASSWORD_HASHERS = HASHERS
    encoded = make_password("Passw0rd!x", salt="fixedsaltfixedsalt00")
    assert encoded.startswith("pbkdf2_sm3$1000$fixedsaltfixedsalt00$")
    assert identify_hasher(encoded).algorithm == "pbkdf2_sm3"
    assert check_password("Passw0rd!x", encoded) and not check_password("Passw0rd!y", encoded)
    # PBKDF2 over HMAC-SM3 as the cryptography library computes it, independently
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC
    import base64

    expected = PBKDF2HMAC(hashes.SM3(), 32, b"fixedsaltfixedsalt00", 1000).derive(b"Passw0rd!x")
    assert encoded.rsplit("$", 1)[1] == base64.b64encode(expected).decode()


@pytest.mark.django_db
def test_older_hashes_upgrade_at_next_sign_in(fast_sm3, settings, client):
    from django.urls import reverse

    from tests.county import make_user

    settings.PASSWORD_HASHERS = HASHERS[::-1]  # SHA-256 preferred: an account hashed the old way
    user = make_user("upgrader")
    assert user.password.startswith("pbkdf2_sha256$")
    settings.PASSWORD_HASHERS = HASHERS  # the county switches to SM3
    response = client.post(reverse("accounts:login"), {"username": "upgrader", "password": "Passw0rd!x"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("pbkdf2_sm3$1000$")
    assert check_password("Passw0rd!x", user.password)


def test_settings_choose_the_hasher(monkeypatch, tmp_path):
    import importlib.util

    from django.conf import settings as live

    monkeypatch.setenv("QINGDAN_VAR_DIR", str(tmp_path))
    chosen = {}
    for choice in ("pbkdf2_sm3", "pbkdf2_sha256"):
        monkeypatch.setenv("QINGDAN_PASSWORD_HASHER", choice)
        spec = importlib.util.spec_from_file_location("settings_probe", live.BASE_DIR / "config" / "settings.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        chosen[choice] = module.PASSWORD_HASHERS[0]
    assert chosen == {"pbkdf2_sm3": HASHERS[0], "pbkdf2_sha256": HASHERS[1]}
