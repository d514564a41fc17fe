"""Sending tasks to a broker in a test, rather than running them in-process: the real Redis,
or an address where nothing listens ("the broker is down")."""

from contextlib import contextmanager

from kombu import pools

from mathsprog.celery import app

NOBODY_LISTENS = "redis://127.0.0.1:6399/0"


def _reset_broker_pools() -> None:
    # Celery keeps its broker connections (and producers on them) for the life of the app.
    pools.reset()
    app._pool = app.amqp._producer_pool = None


@contextmanager
def broker(url: str, queue: str = "celery"):
    """Send tasks to this broker and queue, rather than run them in-process."""
    conf = app.conf
    # The write URL: CELERY_BROKER_URL in the environment (as in CI) overrides broker_url.
    saved = conf.get("broker_write_url"), conf.task_always_eager, conf.task_default_queue
    conf.broker_write_url, conf.task_always_eager, conf.task_default_queue = url, False, queue
    _reset_broker_pools()
    try:
        yield
    finally:
        conf.broker_write_url, conf.task_always_eager, conf.task_default_queue = saved
        _reset_broker_pools()
