"""A SIGTERM whose exception Python swallows (it landed in a `__del__` or a garbage-collector
callback) still stops the run at the next document."""

from __future__ import annotations

import os
import signal

import pytest

from docstore.signals import Interrupted, raise_if_terminated, terminate_as_interrupt


class _SignalsInDel:
    def __del__(self) -> None:
        os.kill(os.getpid(), signal.SIGTERM)
        for _ in range(1000):  # the handler runs here, inside __del__
            pass


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_a_swallowed_sigterm_is_raised_at_the_next_check() -> None:
    with pytest.raises(Interrupted), terminate_as_interrupt():
        obj = _SignalsInDel()
        del obj  # Python reports the Interrupted as "ignored in __del__" and goes on
        reached = True
        raise_if_terminated()
    assert reached


def test_no_check_raises_without_a_signal() -> None:
    with terminate_as_interrupt():
        raise_if_terminated()
    raise_if_terminated()


def test_a_delivered_sigterm_is_not_raised_twice() -> None:
    with pytest.raises(Interrupted), terminate_as_interrupt():
        os.kill(os.getpid(), signal.SIGTERM)
        for _ in range(1000):
            pass
    with terminate_as_interrupt():
        raise_if_terminated()
