"""The backup archive's encryption: a stream of SM4-GCM chunks (accounts/crypto.py).

Layout: ``QDBACKUP1`` ‖ key-id length (1 byte) ‖ key id, then chunks, each
``length (4 bytes) ‖ nonce (12) ‖ ciphertext ‖ tag (16)``. A chunk's associated data is the
header, its index and whether it is the last one, so chunks cannot be reordered, dropped,
or cut off at the end without the reader noticing. Plaintext is released only after its
chunk's tag is verified."""

from __future__ import annotations

import io
import os
import struct

from cryptography.exceptions import InvalidTag

from .crypto import GCM_NONCE_BYTES, GCM_TAG_BYTES, DecryptionError, sm4_gcm_decryptor, sm4_gcm_encryptor

MAGIC = b"QDBACKUP1"
CHUNK = 1024 * 1024


class ArchiveError(Exception):
    """Not a backup archive, the wrong key, or altered or cut-off content."""


def _aad(header: bytes, index: int, last: bool) -> bytes:
    return header + struct.pack(">QB", index, 1 if last else 0)


class EncryptingWriter(io.RawIOBase):
    """A write-only file object: what is written lands in ``out`` encrypted, chunk by chunk."""

    def __init__(self, out, key_id: str, key: bytes):
        self._out, self._key = out, key
        self._header = MAGIC + bytes([len(key_id)]) + key_id.encode()
        self._buf, self._index = bytearray(), 0
        out.write(self._header)

    def writable(self):
        return True

    def write(self, data):
        self._buf += data
        while len(self._buf) > CHUNK:
            self._emit(bytes(self._buf[:CHUNK]), last=False)
            del self._buf[:CHUNK]
        return len(data)

    def _emit(self, plain: bytes, last: bool):
        nonce = os.urandom(GCM_NONCE_BYTES)
        enc = sm4_gcm_encryptor(self._key, nonce, _aad(self._header, self._index, last))
        body = enc.update(plain) + enc.finalize()
        self._out.write(struct.pack(">I", len(body)) + nonce + body + enc.tag)
        self._index += 1

    def close(self):
        if not self.closed:
            self._emit(bytes(self._buf), last=True)
            self._buf.clear()
        super().close()


def read_key_id(raw) -> tuple[str, bytes]:
    magic = raw.read(len(MAGIC))
    if magic != MAGIC:
        raise ArchiveError("not a qingdan backup archive")
    n = raw.read(1)
    key_id = raw.read(n[0]).decode("ascii", "replace") if n else ""
    return key_id, MAGIC + n + key_id.encode()


class DecryptingReader(io.RawIOBase):
    """A read-only file object over an archive: verified plaintext, chunk by chunk."""

    def __init__(self, raw, keyring):
        self._raw = raw
        key_id, self._header = read_key_id(raw)
        try:
            self._key = keyring.key(key_id)
        except DecryptionError:
            raise ArchiveError(f"the archive was encrypted with key {key_id!r}, which QINGDAN_BACKUP_KEYS does not hold") from None
        self._buf, self._pos, self._index, self._done = b"", 0, 0, False

    def readable(self):
        return True

    def _next(self):
        size = self._raw.read(4)
        if len(size) < 4:
            raise ArchiveError("the archive is cut off (its last chunk is missing)")
        (length,) = struct.unpack(">I", size)
        nonce, body, tag = self._raw.read(GCM_NONCE_BYTES), self._raw.read(length), self._raw.read(GCM_TAG_BYTES)
        if len(body) != length or len(tag) != GCM_TAG_BYTES:
            raise ArchiveError("the archive is cut off")
        for last in (False, True):
            dec = sm4_gcm_decryptor(self._key, nonce, tag, _aad(self._header, self._index, last))
            try:
                plain = dec.update(body) + dec.finalize()
            except InvalidTag:
                continue
            self._index += 1
            self._done = last
            if last and self._raw.read(1):
                raise ArchiveError("the archive has data after its last chunk")
            return plain
        raise ArchiveError(f"chunk {self._index} of the archive was altered (or the key is wrong)")

    def readinto(self, b):
        while self._pos == len(self._buf) and not self._done:
            self._buf, self._pos = self._next(), 0
        n = min(len(b), len(self._buf) - self._pos)
        b[:n] = self._buf[self._pos:self._pos + n]
        self._pos += n
        return n
