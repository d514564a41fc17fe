"""The file of an upload's clean rows, kept compressed (Zstandard) from its preview to its
import (see "Checked once" in the README). They are written from the staging table once the
file has passed its check, in the order of the pupils' hashes: the order in which an import
writes pupils, so that each index of the pupils and their results grows at its end rather
than all over it (new_pupils copies the kept rows in the order they come). They are read
back as bytes, straight into a COPY."""

import gzip
import io
from concurrent.futures import Future, ThreadPoolExecutor
from typing import BinaryIO

import zstandard
from django.db import connection

from .staged_text import tsv_text
from .staging import BATCH, STAGING

# The rows are kept for a day at most: speed counts more than size. Zstandard at level 1
# packs a million rows' 100 MB into 45 MB in 0.24 s, where gzip took 1.0 s for 52 MB, and
# gives them back in a third of gzip's time.
COMPRESS_LEVEL = 1
GZIP_MAGIC = b"\x1f\x8b"  # rows kept before Zstandard, by a preview before an upgrade
BLOCK = 1 << 20  # bytes compressed at a time


def keep_staged(file: BinaryIO) -> None:
    """Write the staged rows, in the order of their pupils' hashes, compressed to `file`."""
    with KeptRows(file) as kept, io.BufferedWriter(kept, buffer_size=BLOCK) as blocks:
        ordered = f"SELECT * FROM {STAGING} ORDER BY upn_hash"  # noqa: S608 - our table
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # Each row comes as a write of its own: the buffer makes blocks of them.
                cursor.cursor.copy_expert(f"COPY ({ordered}) TO STDOUT", blocks, size=BLOCK)
                return
            cursor.execute(ordered)  # SQLite, which has no COPY
            while batch := cursor.fetchmany(BATCH):
                blocks.write(tsv_text(list(zip(*batch, strict=True))).encode())


class KeptRows(io.RawIOBase):
    """Blocks of bytes, each compressed on a thread while the next is read: Zstandard lets
    go of the interpreter as it works, so on a machine of two cores the compression
    costs the reading no time. One block at most waits, so memory stays that of a block."""

    def __init__(self, file: BinaryIO):
        self.packed = zstandard.ZstdCompressor(level=COMPRESS_LEVEL).stream_writer(
            file, closefd=False
        )
        self.thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kept-rows")
        self.pending: Future | None = None

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self._wait()
        self.pending = self.thread.submit(self.packed.write, bytes(data))
        return len(data)

    def _wait(self) -> None:
        if self.pending is not None:
            self.pending.result()  # raises here what the thread raised
            self.pending = None

    def close(self) -> None:
        if self.closed:
            return
        try:
            self._wait()
        finally:
            self.thread.shutdown()
            self.packed.close()
            super().close()


def read_kept(file: BinaryIO) -> BinaryIO:
    """The kept rows, as the bytes COPY reads."""
    if file.read(len(GZIP_MAGIC)) == GZIP_MAGIC:
        file.seek(0)
        return gzip.GzipFile(fileobj=file, mode="rb")
    file.seek(0)
    return zstandard.ZstdDecompressor().stream_reader(file, closefd=False)
