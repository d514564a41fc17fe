"""The keyed hashes that stand for pupils. Keyed, so that nobody holding only the database can
confirm a guessed UPN; still personal data, since the key holder can.

A pupil is one programme's: each programme knows a child by a pseudonym of its own,
HMAC(key, "programme <id>:" + HMAC(key, UPN)), so no upload, preview or query of one
programme can find, count or change the pupils of another, and the database alone cannot
link a child across programmes. The pseudonym is built on the UPN's own keyed hash (the one
pupils were stored by before pupils were per programme) so that stored pupils could be split
by programme without their UPNs, which are never kept (migration 0007)."""

import functools
import hashlib

from django.conf import settings

from .upn import normalise_upn

BLOCK = 64  # SHA-256's block size, in bytes


class _Keyed:
    """HMAC-SHA256 under one key, with an optional prefix to every message: the digests of
    hmac.new(key, prefix + message, "sha256"), worked out from copies of the key's two padded
    hashes. A million pupils are hashed twice on an import's path, and copying hashlib's
    objects costs about half as much as copying hmac's."""

    def __init__(self, key: bytes, prefix: bytes = b""):
        if len(key) > BLOCK:
            key = hashlib.sha256(key).digest()
        key = key.ljust(BLOCK, b"\0")
        self.inner = hashlib.sha256(bytes(byte ^ 0x36 for byte in key) + prefix)
        self.outer = hashlib.sha256(bytes(byte ^ 0x5C for byte in key))

    def digest(self, message: bytes) -> bytes:
        inner = self.inner.copy()
        inner.update(message)
        outer = self.outer.copy()
        outer.update(inner.digest())
        return outer.digest()


def programme_prefix(programme_id: int) -> bytes:
    return b"programme %d:" % programme_id


class Pseudonyms:
    """The pseudonyms of one programme's pupils."""

    def __init__(self, *, programme_id: int):
        key = settings.PUPIL_KEY_SECRET.encode()
        self.upn = _Keyed(key)
        self.programme = _Keyed(key, programme_prefix(programme_id))

    def digest(self, upn: str) -> bytes:
        """The pseudonym of a UPN already normalised (upn.normalise_upn)."""
        return self.programme.digest(self.upn.digest(upn.encode()))

    def digests(self, upns: list[str], valid: list[bool]) -> list[bytes]:
        """The pseudonym of each valid UPN, b"" for the others: digest() for a whole chunk
        in one loop, with no call of Python per UPN (a million of them are hashed in a
        file's check, and the calls cost a quarter of the hashing)."""
        upn_inner, upn_outer = self.upn.inner, self.upn.outer
        inner, outer = self.programme.inner, self.programme.outer
        digests = []
        for upn, ok in zip(upns, valid, strict=True):
            if not ok:
                digests.append(b"")
                continue
            step = upn_inner.copy()
            step.update(upn.encode())
            keyed = upn_outer.copy()
            keyed.update(step.digest())
            step = inner.copy()
            step.update(keyed.digest())
            keyed = outer.copy()
            keyed.update(step.digest())
            digests.append(keyed.digest())
        return digests


def upn_hash(upn: str, *, programme_id: int) -> str:
    """The pseudonym (in hex, as stored) by which a programme knows the pupil with this UPN."""
    keyed = _pseudonyms(settings.PUPIL_KEY_SECRET, programme_id)
    return keyed.digest(normalise_upn(upn)).hex()


@functools.lru_cache(maxsize=64)
def _pseudonyms(key: str, programme_id: int) -> Pseudonyms:
    # Padding the key costs more than hashing a UPN: callers hash pupils one at a time (the
    # demo, thousands of them), so each key and programme's pair is padded once. Keyed on
    # the secret too, so that a changed key is never served from the cache.
    return Pseudonyms(programme_id=programme_id)
