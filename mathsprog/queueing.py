"""Putting tasks on the broker's queue once the transaction that asked for them commits,
without letting a broker that is down turn a change already saved into an error page.

Tasks are named ("evaluation.tasks.validate_upload"), not imported: a task module imports
the services it wraps, so a service that imported its task would close a cycle."""

import logging
from collections.abc import Callable
from dataclasses import dataclass

from celery import Task
from django.db import transaction
from kombu.exceptions import OperationalError

from .celery import app

logger = logging.getLogger(__name__)


def task_named(name: str) -> Task:
    """The registered task. A web process imports no tasks module of its own accord (only a
    worker does, as it starts), so the first look-up loads them all as the worker would."""
    if name not in app.tasks:
        app.loader.import_default_modules()
    return app.tasks[name]


def enqueue(name: str, *args, on_failure: Callable[[Exception], None] | None = None) -> bool:
    """Send the task now; whether it went. The broker not answering (after the few quick
    tries of CELERY_TASK_PUBLISH_RETRY_POLICY) is logged, and `on_failure` records it where
    the person waiting for the task will see it, and a sweep can find it to send it again.
    Only publishing errors are caught: a task run in-process (no broker) raises its own."""
    task = task_named(name)
    try:
        task.apply_async(args)
    except OperationalError as error:
        logger.exception("Could not queue %s%s: the broker does not answer", name, args)
        if on_failure is not None:
            on_failure(error)
        return False
    return True


@dataclass
class Sending:
    """A task to be sent once the transaction commits (at once, outside one): `error` says
    why it could not be, once it was tried."""

    error: Exception | None = None


def enqueue_on_commit(
    name: str, *args, on_failure: Callable[[Exception], None] | None = None
) -> Sending:
    """A worker would not see the change before the commit, so send the task after it."""
    sending = Sending()

    def failed(error: Exception) -> None:
        sending.error = error
        if on_failure is not None:
            on_failure(error)

    transaction.on_commit(lambda: enqueue(name, *args, on_failure=failed))
    return sending
