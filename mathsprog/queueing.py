"""Putting tasks on the broker's queue once the transaction that asked for them commits,
without letting a broker that is down turn a change already saved into an error page.

Tasks are named ("evaluation.tasks.validate_upload"), not imported: a task module imports
the services it wraps, so a service that imported its task would close a cycle."""

import importlib
import logging
import threading
from collections import deque
from collections.abc import Callable
from contextlib import suppress
from contextvars import ContextVar
from dataclasses import dataclass

from celery import Task
from django.conf import settings
from django.db import connections, transaction
from kombu.exceptions import OperationalError

from .celery import app

logger = logging.getLogger(__name__)


def task_named(name: str) -> Task:
    """The registered task. A web process imports no tasks module of its own accord (only a
    worker does, as it starts): the first look-up imports the task's own module, and failing
    that (a task registered under another module's name) loads them all as a worker would.
    Not all at first: outside a worker, Celery's loader runs Django's system checks too,
    importing every URL and view (half a second of an import from the command line)."""
    if name not in app.tasks:
        with suppress(ImportError):
            importlib.import_module(name.rpartition(".")[0])
    if name not in app.tasks:
        app.loader.import_default_modules()
    return app.tasks[name]


def enqueue(name: str, *args, on_failure: Callable[[Exception], None] | None = None) -> bool:
    """Send the task now; whether it went. The broker not answering (after the few quick
    tries of CELERY_TASK_PUBLISH_RETRY_POLICY) is logged, and `on_failure` records it where
    the person waiting for the task will see it, and a sweep can find it to send it again.
    Only publishing errors are caught: a task run in-process (no broker) raises its own."""
    task = task_named(name)
    if _after_response.get():
        in_background.put(task, args)
        return True
    try:
        task.apply_async(args)
    except OperationalError as error:
        logger.exception("Could not queue %s%s: the broker does not answer", name, args)
        if on_failure is not None:
            on_failure(error)
        return False
    return True


# Whether a task queued now runs on the background thread (see TasksAfterResponse).
_after_response: ContextVar[bool] = ContextVar("tasks_after_response", default=False)


class TasksAfterResponse:
    """With no broker (the embedded default) and TASKS_IN_BACKGROUND, the tasks a request
    queues run on a thread of the web process rather than in the request, so that its page
    answers at once and shows their progress. Only a request's: a command (load_demo) still
    runs its tasks as it goes, and ends once they are done."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _after_response.set(app.conf.task_always_eager and settings.TASKS_IN_BACKGROUND)
        try:
            return self.get_response(request)
        finally:
            _after_response.reset(token)


class _Background:
    """One thread, running tasks one at a time in the order queued, as one worker would
    (SQLite takes one writer at a time); it ends when none is left, and the process waits for
    it before exiting. A task a task queues runs on it at once (it runs inline there)."""

    def __init__(self):
        self.waiting: deque[tuple[Task, tuple]] = deque()
        self.lock = threading.Lock()
        self.thread: threading.Thread | None = None

    def put(self, task: Task, args: tuple) -> None:
        with self.lock:
            self.waiting.append((task, args))
            if self.thread is None:
                self.thread = threading.Thread(target=self._work, name="mathsprog-tasks")
                self.thread.start()

    def _next(self) -> tuple[Task, tuple] | None:
        with self.lock:
            if self.waiting:
                return self.waiting.popleft()
            self.thread = None
            return None

    def _work(self) -> None:
        while (item := self._next()) is not None:
            task, args = item
            try:
                task.apply(args, throw=True)
            except Exception:
                # As a worker would: the task has recorded what it could (an upload, failed).
                logger.exception("Task %s%s failed", task.name, args)
            finally:
                connections.close_all()

    def wait(self) -> None:
        """Until every task put so far has run (for tests)."""
        while (thread := self.thread) is not None:
            thread.join()


in_background = _Background()


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
