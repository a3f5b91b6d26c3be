"""National (SM) cryptography for data at rest (security.md, 密评 level 3).

* SM4-CBC with a random IV seals personal fields (ID and phone numbers);
* HMAC-SM3 gives a keyed digest, used as a blind index (uniqueness and exact lookup of a sealed
  value without decrypting) and to chain the audit log.

The master key lives in a file outside the database (``settings.FIELD_KEY_FILE``); an embedded
install generates one on first use. Losing it makes sealed values unreadable: back it up apart
from the database.
"""

import base64
import hmac
import os
import secrets
from functools import lru_cache

from django.conf import settings
from gmssl import sm3
from gmssl.sm4 import SM4_DECRYPT, SM4_ENCRYPT, CryptSM4

_BLOCK = 64  # SM3 block size in bytes
_VERSION = "s4"


def sm3_digest(data: bytes) -> bytes:
    return bytes.fromhex(sm3.sm3_hash(list(data)))


def hmac_sm3(key: bytes, message: bytes) -> bytes:
    """RFC 2104 HMAC over SM3 (GB/T 15852.2 construction)."""
    if len(key) > _BLOCK:
        key = sm3_digest(key)
    key = key.ljust(_BLOCK, b"\0")
    inner = sm3_digest(bytes(b ^ 0x36 for b in key) + message)
    return sm3_digest(bytes(b ^ 0x5C for b in key) + inner)


@lru_cache(maxsize=1)
def _master_key() -> bytes:
    path = settings.FIELD_KEY_FILE
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        # O_EXCL: two processes starting together must not write two different keys
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_hex(32))
    return bytes.fromhex(path.read_text().strip())


def _subkey(purpose: bytes) -> bytes:
    return hmac_sm3(_master_key(), purpose)


@lru_cache(maxsize=1)
def _encryption_key() -> bytes:
    return _subkey(b"tongpin-field-encryption")[:16]


@lru_cache(maxsize=1)
def _index_key() -> bytes:
    return _subkey(b"tongpin-blind-index")


@lru_cache(maxsize=1)
def _audit_key() -> bytes:
    return _subkey(b"tongpin-audit-chain")


def seal(plaintext: str) -> str:
    """Encrypt a short text; the result is ASCII, safe for a text column."""
    if plaintext in (None, ""):
        return ""
    iv = secrets.token_bytes(16)
    cipher = CryptSM4()
    cipher.set_key(_encryption_key(), SM4_ENCRYPT)
    sealed = cipher.crypt_cbc(iv, plaintext.encode("utf-8"))
    return f"{_VERSION}:" + base64.b64encode(iv + sealed).decode("ascii")


def unseal(token: str) -> str:
    if not token:
        return ""
    version, _, body = token.partition(":")
    if version != _VERSION:
        raise ValueError("unknown sealed-value version")
    raw = base64.b64decode(body)
    cipher = CryptSM4()
    cipher.set_key(_encryption_key(), SM4_DECRYPT)
    return cipher.crypt_cbc(raw[:16], raw[16:]).decode("utf-8")


def blind_index(value: str) -> str:
    """Keyed digest of a normalized value: equal inputs give equal digests, nothing else leaks."""
    if not value:
        return ""
    return hmac_sm3(_index_key(), value.strip().upper().encode("utf-8")).hex()


def audit_mac(previous: str, payload: str) -> str:
    return hmac_sm3(_audit_key(), (previous + "|" + payload).encode("utf-8")).hex()


def constant_time_equal(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())
