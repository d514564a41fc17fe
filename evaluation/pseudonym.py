"""The keyed hashes that stand for pupils. Keyed, so that nobody holding only the database can
confirm a guessed UPN; still personal data, since the key holder can.

A pupil is one programme's: each programme knows a child by a pseudonym of its own,
HMAC(key, "programme <id>:" + HMAC(key, UPN)), so no upload, preview or query of one
programme can find, count or change the pupils of another, and the database alone cannot
link a child across programmes. The pseudonym is built on the UPN's own keyed hash (the one
pupils were stored by before pupils were per programme) so that stored pupils could be split
by programme without their UPNs, which are never kept (migration 0007)."""

import functools
import logging
import os
from collections import deque

from django.conf import settings

from .keyed import Keyed
from .pseudonym_helper import HelperProcess, HelperStopped, InProcess
from .upn import normalise_upn

logger = logging.getLogger(__name__)
# A chunk of a file with this many well-formed UPNs starts the helper process: a smaller file
# (a school's year group) is hashed before the helper would have started.
HELPER_ROWS = 5_000
# The helper only helps where there is another core for it (and, on the database's machine,
# for the database).
MANY_CORES = (
    len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
) > 1  # the cores this process may use, where the system says (Linux), else the machine's


def programme_prefix(programme_id: int) -> bytes:
    return b"programme %d:" % programme_id


class Pseudonyms:
    """The pseudonyms of one programme's pupils."""

    def __init__(self, *, programme_id: int):
        self.key = settings.PUPIL_KEY_SECRET.encode()
        self.prefix = programme_prefix(programme_id)
        self.upn = Keyed(self.key)
        self.programme = Keyed(self.key, self.prefix)

    def digest(self, upn: str) -> bytes:
        """The pseudonym of a UPN already normalised (upn.normalise_upn)."""
        return self.programme.digest(self.upn.digest(upn.encode()))


def _wanted(upns: list[str], valid: list[bool]) -> list[bytes]:
    return [upn.encode() for upn, ok in zip(upns, valid, strict=True) if ok]


def _placed(digests: list[bytes], valid: list[bool]) -> list[bytes]:
    found = iter(digests)
    return [next(found) if ok else b"" for ok in valid]


class ChunkPseudonyms:
    """The pseudonyms of a file's UPNs, a chunk at a time: each chunk submitted, then its
    digests collected, in the order submitted, once the check needs them. On a machine of
    more than one core, the first chunk of HELPER_ROWS well-formed UPNs starts the helper
    process (pseudonym_helper), which hashes that chunk and the ones after it while the check
    goes on; should it not start, the chunks are hashed here."""

    def __init__(self, pseudonyms: Pseudonyms):
        self.pseudonyms = pseudonyms
        self.here = InProcess(pseudonyms.upn, pseudonyms.programme)
        self.helper: HelperProcess | None = None
        self.helper_wanted = MANY_CORES
        self.pending: deque[tuple[InProcess | HelperProcess, list[bool]]] = deque()

    def submit(self, upns: list[str], valid: list[bool]) -> None:
        wanted = _wanted(upns, valid)
        hasher = self._hasher(len(wanted))
        hasher.submit(wanted)
        self.pending.append((hasher, valid))

    def collect(self) -> list[bytes]:
        """The pseudonym of each UPN of the oldest chunk not yet collected, b"" for each
        one not well formed."""
        hasher, valid = self.pending.popleft()
        return _placed(hasher.collect(), valid)

    def _hasher(self, count: int) -> InProcess | HelperProcess:
        if self.helper is None and self.helper_wanted and count >= HELPER_ROWS:
            self.helper_wanted = False  # once: a helper that cannot start is not tried again
            try:
                self.helper = HelperProcess(self.pseudonyms.key, self.pseudonyms.prefix)
            except (OSError, HelperStopped):
                logger.warning("The pseudonym helper did not start: hashing in this process")
            else:
                logger.info("Pupils hashed by a helper process (pid %d)", self.helper.process.pid)
        return self.helper or self.here

    def close(self) -> None:
        self.pending.clear()
        self.here.close()
        if self.helper is not None:
            self.helper.close()
            self.helper = None


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
