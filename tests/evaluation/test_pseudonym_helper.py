"""A large file's UPNs are hashed by a helper process while the check goes on: its pseudonyms
are the ones this process would give, chunk by chunk and in order, whatever it is asked at
once; the key never shows in its arguments or environment; and it never outlives the check,
even when it stops or is stopped halfway."""

import hashlib
import hmac
import logging
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from evaluation import pseudonym
from evaluation.pseudonym import ChunkPseudonyms, Pseudonyms
from evaluation.pseudonym_helper import PROJECT, HelperStopped

from .files import make_upn

PROGRAMME = 5


def expected(upn: str) -> bytes:
    """The pseudonym by its definition: HMAC(key, "programme 5:" + HMAC(key, UPN))."""
    key = settings.PUPIL_KEY_SECRET.encode()
    keyed = hmac.new(key, upn.encode(), hashlib.sha256).digest()
    return hmac.new(key, b"programme %d:" % PROGRAMME + keyed, hashlib.sha256).digest()


def _chunk_pseudonyms(monkeypatch, *, helper: bool):
    monkeypatch.setattr(pseudonym, "HELPER_ROWS", 1 if helper else 10**9)
    monkeypatch.setattr(pseudonym, "MANY_CORES", True)  # whatever the machine running the tests
    return ChunkPseudonyms(Pseudonyms(programme_id=PROGRAMME))


@pytest.fixture(params=["here", "helper"])
def chunks(request, monkeypatch):
    """Chunk pseudonyms hashed in this process, or by the helper from the first chunk on."""
    hashed = _chunk_pseudonyms(monkeypatch, helper=request.param == "helper")
    yield hashed
    hashed.close()


@pytest.fixture
def helped(monkeypatch):
    """Chunk pseudonyms hashed by the helper from the first chunk on."""
    hashed = _chunk_pseudonyms(monkeypatch, helper=True)
    yield hashed
    hashed.close()


def test_a_chunks_pseudonyms_are_each_upns_and_none_for_a_bad_one(chunks):
    upns, valid = [make_upn(1), "NOT A UPN", make_upn(2)], [True, False, True]
    chunks.submit(upns, valid)
    assert chunks.collect() == [expected(upns[0]), b"", expected(upns[2])]
    assert (chunks.helper is not None) == (pseudonym.HELPER_ROWS == 1)


def test_chunks_asked_for_at_once_come_back_in_order(chunks):
    """The check asks for a chunk before collecting the one before: answers larger than a
    pipe holds (30,000 pupils' are 960 kB) must neither block the two processes nor mix."""
    sizes = [30_000, 1, 0, 12_345, 30_000]
    batches, first = [], 1
    for size in sizes:
        batches.append([make_upn(n) for n in range(first, first + size)])
        first += size
    for upns in batches[:3]:
        chunks.submit(upns, [True] * len(upns))
    got = [chunks.collect()]
    for upns in batches[3:]:
        chunks.submit(upns, [True] * len(upns))
    got += [chunks.collect() for _ in range(4)]
    for upns, digests in zip(batches, got, strict=True):
        assert digests == [expected(upn) for upn in upns]


def test_a_small_file_is_hashed_here_and_a_large_one_by_the_helper(monkeypatch):
    hashed = _chunk_pseudonyms(monkeypatch, helper=True)
    monkeypatch.setattr(pseudonym, "HELPER_ROWS", 3)
    try:
        upns = [make_upn(n) for n in range(1, 5)]
        hashed.submit(upns[:2] + ["bad"], [True, True, False])  # two well formed: here
        assert hashed.helper is None
        hashed.submit(upns, [True] * 4)
        assert hashed.helper is not None
        assert hashed.collect() == [expected(upns[0]), expected(upns[1]), b""]
        assert hashed.collect() == [expected(upn) for upn in upns]
    finally:
        hashed.close()


@pytest.mark.skipif(not Path("/proc/self").exists(), reason="reads a process's /proc (Linux)")
def test_the_key_never_shows_in_the_helpers_arguments_or_environment(helped):
    helped.submit([make_upn(1)], [True])
    process = Path(f"/proc/{helped.helper.process.pid}")
    key = settings.PUPIL_KEY_SECRET.encode()
    assert key not in (process / "cmdline").read_bytes()
    assert key not in (process / "environ").read_bytes()
    assert helped.collect() == [expected(make_upn(1))]


def test_it_ends_with_the_check(chunks):
    chunks.submit([make_upn(1)], [True])
    helper = chunks.helper
    chunks.close()
    if helper is not None:
        assert helper.process.returncode == 0
        assert not helper.reader.is_alive()


def test_a_helper_that_stops_halfway_stops_the_check_and_is_reaped(helped):
    upns = [make_upn(n) for n in range(1, 101)]
    helped.submit(upns, [True] * 100)
    assert helped.collect() == [expected(upn) for upn in upns]
    helper = helped.helper
    helper.process.kill()
    helper.process.wait()

    def ask_again():
        helped.submit(upns, [True] * 100)  # refused here, or when collected
        return helped.collect()

    with pytest.raises(HelperStopped, match="the pseudonym helper stopped"):
        ask_again()
    helped.close()
    assert helper.process.returncode is not None
    assert not helper.reader.is_alive()


def test_a_helper_that_cannot_start_leaves_the_hashing_here(monkeypatch, caplog):
    hashed = _chunk_pseudonyms(monkeypatch, helper=True)
    monkeypatch.setattr("sys.executable", "/nonexistent/python")
    with caplog.at_level(logging.WARNING, logger="evaluation.pseudonym"):
        hashed.submit([make_upn(1)], [True])
        hashed.submit([make_upn(2)], [True])
    assert hashed.helper is None
    assert hashed.collect() == [expected(make_upn(1))]
    assert hashed.collect() == [expected(make_upn(2))]
    assert "did not start" in caplog.text
    hashed.close()


def test_a_machine_of_one_core_hashes_here(monkeypatch):
    monkeypatch.setattr(pseudonym, "HELPER_ROWS", 1)
    monkeypatch.setattr(pseudonym, "MANY_CORES", False)
    hashed = ChunkPseudonyms(Pseudonyms(programme_id=PROGRAMME))
    hashed.submit([make_upn(1)], [True])
    assert hashed.helper is None
    assert hashed.collect() == [expected(make_upn(1))]


def test_the_helper_starts_without_django():
    """It starts in a few milliseconds, and never reads the settings (the key comes down
    its pipe)."""
    loaded = subprocess.run(
        [sys.executable, "-c", "import sys, evaluation.pseudonym_helper; print(list(sys.modules))"],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "'evaluation.keyed'" in loaded
    assert "django" not in loaded
