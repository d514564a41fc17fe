"""Each programme knows a pupil by a pseudonym of its own, built on the UPN's keyed hash so
that pupils stored before could be split by programme without their UPNs."""

import hashlib
import hmac
import importlib

import pytest
from django.conf import settings

from evaluation.keyed import Keyed
from evaluation.pseudonym import Pseudonyms, upn_hash

from .files import make_upn

split = importlib.import_module("evaluation.migrations.0007_pupils_per_programme")


@pytest.mark.parametrize("key", [b"", b"short key", b"k" * 64, b"a much longer key " * 9])
@pytest.mark.parametrize("prefix", [b"", b"programme 12:"])
def test_it_is_hmac_sha256(key, prefix):
    for message in [b"", b"A123456789012", bytes(range(32)), b"x" * 200]:
        expected = hmac.new(key, prefix + message, hashlib.sha256).digest()
        assert Keyed(key, prefix).digest(message) == expected


def test_it_is_the_hmac_of_the_programme_and_the_upns_keyed_hash():
    key, upn = settings.PUPIL_KEY_SECRET.encode(), make_upn(1)
    keyed = hmac.new(key, upn.encode(), hashlib.sha256).digest()
    expected = hmac.new(key, b"programme 3:" + keyed, hashlib.sha256).hexdigest()
    assert upn_hash(upn, programme_id=3) == expected
    assert Pseudonyms(programme_id=3).digest(upn).hex() == expected
    # As migration 0007 works it out from the keyed hash that pupils were stored by.
    assert split.pseudonym(keyed.hex(), 3) == expected


def test_one_child_has_another_pseudonym_in_each_programme():
    upn = make_upn(1)
    assert upn_hash(upn, programme_id=1) != upn_hash(upn, programme_id=2)
    assert upn_hash(upn, programme_id=1) != upn_hash(upn, programme_id=11)
    assert upn_hash(f" {upn.lower()} ", programme_id=1) == upn_hash(upn, programme_id=1)


def test_a_changed_key_is_never_served_from_the_cache(settings):
    upn = make_upn(1)
    before = upn_hash(upn, programme_id=3)
    settings.PUPIL_KEY_SECRET = "another key altogether"
    keyed = hmac.new(b"another key altogether", upn.encode(), hashlib.sha256).digest()
    expected = hmac.new(b"another key altogether", b"programme 3:" + keyed, hashlib.sha256)
    assert upn_hash(upn, programme_id=3) == expected.hexdigest() != before
