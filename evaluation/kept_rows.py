"""The file of an upload's clean rows, kept gzipped from its preview to its import (see
"Checked once" in the README): written on a thread of its own while the check goes on, and
read back as bytes straight into the staging COPY."""

import gzip
from concurrent.futures import Future, ThreadPoolExecutor
from typing import BinaryIO

COMPRESS_LEVEL = 1  # the rows are kept for a day at most: speed counts more than size


class KeptRows:
    """Staged text written gzipped to `file`, a chunk at a time. Each chunk is compressed on
    a thread while the next one is checked: zlib lets go of the interpreter as it works, so
    the compression costs the check no time on a machine of two cores. One chunk at most
    waits, so memory stays that of a chunk."""

    def __init__(self, file: BinaryIO):
        self.gzip = gzip.GzipFile(fileobj=file, mode="wb", compresslevel=COMPRESS_LEVEL)
        self.thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kept-rows")
        self.pending: Future | None = None

    def write(self, text: str) -> None:
        self._wait()
        self.pending = self.thread.submit(self._write, text)

    def _write(self, text: str) -> None:
        self.gzip.write(text.encode())

    def _wait(self) -> None:
        if self.pending is not None:
            self.pending.result()  # raises here what the thread raised
            self.pending = None

    def __enter__(self) -> "KeptRows":
        return self

    def __exit__(self, *error) -> None:
        try:
            self._wait()
        finally:
            self.thread.shutdown()
            self.gzip.close()


def read_kept(file: BinaryIO) -> gzip.GzipFile:
    """The kept rows, as the bytes COPY reads."""
    return gzip.GzipFile(fileobj=file, mode="rb")
