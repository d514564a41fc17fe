"""The cycle collector runs less often while files are checked, and as before once no check
is under way, however checks on several threads overlap."""

import gc
import threading

from mathsprog.memory import CHECK_THRESHOLD, fewer_collections


def test_a_check_raises_the_threshold_and_puts_it_back():
    before = gc.get_threshold()
    with fewer_collections():
        assert gc.get_threshold() == (CHECK_THRESHOLD, *before[1:])
    assert gc.get_threshold() == before


def test_overlapping_checks_put_it_back_only_when_the_last_ends():
    before = gc.get_threshold()
    first_in, second_in, first_out = threading.Event(), threading.Event(), threading.Event()

    def first():
        with fewer_collections():
            first_in.set()
            second_in.wait(5)
        first_out.set()

    thread = threading.Thread(target=first)
    thread.start()
    first_in.wait(5)
    with fewer_collections():
        second_in.set()
        first_out.wait(5)
        # The first check ended while this one goes on: still fewer collections.
        assert gc.get_threshold()[0] == CHECK_THRESHOLD
    thread.join(5)
    assert gc.get_threshold() == before


def test_a_check_that_fails_puts_it_back():
    before = gc.get_threshold()
    try:
        with fewer_collections():
            raise ValueError
    except ValueError:
        pass
    assert gc.get_threshold() == before
