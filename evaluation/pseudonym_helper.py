"""A file's UPNs hashed on the machine's other core. Hashing a million UPNs into pseudonyms
takes a sixth of a file's check, and a process of Python does one thing at a time (threads
would not help: hashlib keeps the interpreter for messages as short as a UPN). So a large
file's check hands its UPNs, a chunk at a time, to a helper process started for the check,
and does the rest of each chunk while the helper hashes.

The helper runs this module with `python -m` and nothing but the standard library: no
Django, no settings. The key reaches it down its pipe, never in its arguments or its
environment. It stops when its input closes, as it does if the check's process dies."""

import contextlib
import struct
import subprocess
import sys
import threading
from collections import deque
from pathlib import Path
from queue import SimpleQueue

from .keyed import Keyed, chained

UPN_LENGTH = 13  # a well-formed UPN: 13 ASCII characters (upn.valid_upns)
DIGEST = 32
COUNT = struct.Struct(">I")
PROJECT = Path(__file__).resolve().parent.parent


class HelperStopped(RuntimeError):
    """The helper process ended before it gave back every digest asked of it."""


class InProcess:
    """Digests of chunks of UPNs (bytes, well formed) in this process, in the order asked."""

    def __init__(self, first: Keyed, second: Keyed):
        self.first, self.second = first, second
        self.done: deque[list[bytes]] = deque()

    def submit(self, upns: list[bytes]) -> None:
        self.done.append(chained(self.first, self.second, upns))

    def collect(self) -> list[bytes]:
        """The digests of the oldest chunk submitted and not yet collected."""
        return self.done.popleft()

    def close(self) -> None:
        self.done.clear()


class HelperProcess:
    """The same, worked out by a helper process while this one goes on. A thread takes the
    helper's answers as they come, so that neither process ever waits on a full pipe for
    the other (the check asks for a chunk before it collects the one before)."""

    def __init__(self, key: bytes, prefix: bytes):
        self.process = subprocess.Popen(  # noqa: S603 - this interpreter, on our own module
            [sys.executable, "-m", "evaluation.pseudonym_helper"],
            cwd=PROJECT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        try:
            self._write(COUNT.pack(len(key)) + key + COUNT.pack(len(prefix)) + prefix)
        except HelperStopped:
            self.process.kill()  # it ended as it started: reaped before the check goes on
            self.process.wait()
            raise
        self.counts: SimpleQueue[int | None] = SimpleQueue()
        self.answers: SimpleQueue[list[bytes] | None] = SimpleQueue()
        self.reader = threading.Thread(target=self._read, name="pseudonyms", daemon=True)
        self.reader.start()

    def submit(self, upns: list[bytes]) -> None:
        self.counts.put(len(upns))
        self._write(COUNT.pack(len(upns)) + b"".join(upns))

    def collect(self) -> list[bytes]:
        answer = self.answers.get()
        if answer is None:
            raise HelperStopped(f"the pseudonym helper stopped (exit code {self.process.poll()})")
        return answer

    def _write(self, data: bytes) -> None:
        try:
            self.process.stdin.write(data)
            self.process.stdin.flush()
        except (BrokenPipeError, ValueError) as error:
            raise HelperStopped("the pseudonym helper stopped taking UPNs") from error

    def _read(self) -> None:
        while (count := self.counts.get()) is not None:
            data = self.process.stdout.read(count * DIGEST)
            if len(data) != count * DIGEST:
                self.answers.put(None)
                return
            self.answers.put([data[i : i + DIGEST] for i in range(0, len(data), DIGEST)])

    def close(self) -> None:
        """Close the helper's input and wait for it to end (it answers what it was asked
        first); kill it if it has not ended in ten seconds."""
        self.counts.put(None)
        if not self.process.stdin.closed:
            with contextlib.suppress(BrokenPipeError):  # it may have stopped already
                self.process.stdin.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.reader.join()
        self.process.stdout.close()


def _read_exactly(stream, size: int) -> bytes:
    data = stream.read(size)
    if len(data) != size:
        raise SystemExit(0)  # the check closed the pipe: nothing more is asked
    return data


def main() -> None:
    """The helper: the key and the programme's prefix, then chunks of UPNs, each answered
    with their pseudonyms, DIGEST bytes each, in order."""
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    key = _read_exactly(stdin, COUNT.unpack(_read_exactly(stdin, COUNT.size))[0])
    prefix = _read_exactly(stdin, COUNT.unpack(_read_exactly(stdin, COUNT.size))[0])
    first, second = Keyed(key), Keyed(key, prefix)
    while header := stdin.read(COUNT.size):
        (count,) = COUNT.unpack(header)
        data = _read_exactly(stdin, count * UPN_LENGTH)
        upns = (data[i : i + UPN_LENGTH] for i in range(0, len(data), UPN_LENGTH))
        stdout.write(b"".join(chained(first, second, upns)))
        stdout.flush()


if __name__ == "__main__":
    main()
