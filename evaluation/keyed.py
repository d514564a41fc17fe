"""HMAC-SHA256 worked out fast enough for a million pupils, with nothing but the standard
library: the pseudonym helper (pseudonym_helper) runs this module in a process that starts
without Django."""

import hashlib
from collections.abc import Iterable

BLOCK = 64  # SHA-256's block size, in bytes


class Keyed:
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


def chained(first: Keyed, second: Keyed, messages: Iterable[bytes]) -> list[bytes]:
    """second.digest(first.digest(message)) of each message, in one loop with no call of
    Python per message (the calls cost a quarter of the hashing)."""
    first_inner, first_outer = first.inner, first.outer
    second_inner, second_outer = second.inner, second.outer
    digests = []
    for message in messages:
        step = first_inner.copy()
        step.update(message)
        keyed = first_outer.copy()
        keyed.update(step.digest())
        step = second_inner.copy()
        step.update(keyed.digest())
        keyed = second_outer.copy()
        keyed.update(step.digest())
        digests.append(keyed.digest())
    return digests
