"""Real Celery worker processes for tests: on the real broker and this test's database, each
on a queue of the test's own."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from mathsprog.celery import app

from .services import redis_url, require_postgresql

ROOT = Path(__file__).resolve().parent.parent


class Workers:
    def __init__(self, **env):
        require_postgresql()
        self.broker = redis_url()
        self.queue = f"mathsprog-test-{uuid.uuid4().hex[:8]}"
        database = connection.settings_dict
        credentials = database["USER"] + (
            f":{database['PASSWORD']}" if database["PASSWORD"] else ""
        )
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "mathsprog.settings.base",
            "DATABASE_URL": f"postgres://{credentials}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
            "CELERY_BROKER_URL": self.broker,
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
            # Tasks the workers queue themselves (a report after an import) stay on this queue.
            "CELERY_QUEUE": self.queue,
            **env,
        }
        self.processes: list[subprocess.Popen] = []

    def start(self, name: str) -> subprocess.Popen:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "mathsprog",
                "worker",
                "-Q",
                self.queue,
                "-n",
                f"{name}@%h",
                "--concurrency=1",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        self.processes.append(process)
        return process

    def send(self, task, *args) -> None:
        with app.connection_for_write(self.broker) as broker:
            app.send_task(task.name, args=list(args), queue=self.queue, connection=broker)

    def stop(self) -> list[str]:
        """Stop every worker; return each one's output."""
        outputs = []
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
            output, _ = process.communicate(timeout=60)
            outputs.append(output)
        return outputs


def wait_for(predicate, seconds: float = 90, every: float = 0.2):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(every)
    pytest.fail(f"not done within {seconds} s")


def pool_children(process: subprocess.Popen) -> list[int]:
    """The pool processes of a prefork worker (the ones that run tasks)."""
    found = subprocess.run(["pgrep", "-P", str(process.pid)], capture_output=True, text=True)
    return [int(pid) for pid in found.stdout.split()]
