"""Giving memory back to the system between two large jobs in one process, and keeping the
cycle collector out of the way of a job that makes millions of short-lived objects.

After an import of a million rows, memory the process has freed stays in the C allocator's
heap (held by its arenas for reuse), and a report computed next in the same process, as
`import_assessments` does without a broker, grows on top of it: the two together reached
537 MB, against 274 MB and 359 MB apart. glibc's malloc_trim hands the free part back."""

import ctypes
import ctypes.util
import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager


def _trim():
    name = ctypes.util.find_library("c")
    try:
        return ctypes.CDLL(name).malloc_trim if name else None
    except (OSError, AttributeError):  # not glibc (musl, macOS): nothing to give back this way
        return None


_MALLOC_TRIM = _trim()


def give_back_memory() -> None:
    """Collect unreachable objects, then return the allocator's free memory to the system."""
    gc.collect()
    if _MALLOC_TRIM is not None:
        _MALLOC_TRIM(0)


# Objects the cycle collector lets be made between two of its youngest collections while a
# file is checked: more than a chunk of rows makes (some 30,000 lists and tuples), so that a
# chunk's rows are freed, as they all are, by their counts, before any collection sees them.
CHECK_THRESHOLD = 100_000


_checks = 0  # checks under way in this process (each web or worker thread may run one)
_before = gc.get_threshold()
_lock = threading.Lock()


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Collect cycles less often while a file's rows are checked, then as before once no
    check of this process is under way. Each of a check's rows is a handful of lists,
    tuples and strings that live until its chunk is done and form no cycle; at the default
    threshold (700) the collector ran every few rows and walked the chunk, and every object
    of the process, over and over: a fifth of a million-row check (19.9 s against 15.2 s
    without collections). Cyclic garbage made meanwhile waits at most CHECK_THRESHOLD
    objects."""
    global _checks, _before
    with _lock:
        if not _checks:
            _before = gc.get_threshold()
            gc.set_threshold(CHECK_THRESHOLD, *_before[1:])
        _checks += 1
    try:
        yield
    finally:
        with _lock:
            _checks -= 1
            if not _checks:
                gc.set_threshold(*_before)
