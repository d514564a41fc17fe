"""A real Celery worker process, on the real broker and database, doing a real import."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection

from mathsprog.celery import app
from schools.models import ImportStatus, School, SchoolRegisterImport
from schools.tasks import run_school_register_import

from .schools.gias import gias_csv, school_row
from .services import redis_url, require_postgresql

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def worker(transactional_db):
    """A worker on a queue of its own, connected to this test's database."""
    require_postgresql()
    broker = redis_url()
    queue = f"mathsprog-test-{uuid.uuid4().hex[:8]}"
    database = connection.settings_dict
    credentials = database["USER"] + (f":{database['PASSWORD']}" if database["PASSWORD"] else "")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "mathsprog.settings.base",
        "DATABASE_URL": (
            f"postgres://{credentials}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
        ),
        "CELERY_BROKER_URL": broker,
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "mathsprog",
            "worker",
            "-Q",
            queue,
            "--concurrency=1",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        yield broker, queue
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=30)
        print(output)  # shown by pytest when the test fails


def _send(broker: str, queue: str, register_import_id: int) -> None:
    with app.connection_for_write(broker) as broker_connection:
        app.send_task(
            run_school_register_import.name,
            args=[register_import_id],
            queue=queue,
            connection=broker_connection,
        )


def _wait_until_finished(register_import: SchoolRegisterImport, seconds: float = 60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        register_import.refresh_from_db()
        if register_import.is_finished:
            return
        time.sleep(0.2)
    pytest.fail(f"the worker did not finish the import within {seconds} s")


@pytest.mark.services
def test_a_real_worker_imports_the_register(worker):
    broker, queue = worker
    content = gias_csv([school_row(100001), school_row(100002, EstablishmentName="Oakfield")])
    register_import = SchoolRegisterImport.objects.create(file_name="gias.csv", content=content)
    _send(broker, queue, register_import.pk)
    _wait_until_finished(register_import)
    assert register_import.status == ImportStatus.DONE
    assert (register_import.created, register_import.updated) == (2, 0)
    assert dict(School.objects.values_list("urn", "name")) == {
        100001: "St Mary’s Primary School",
        100002: "Oakfield",
    }
    # Delivered twice (as late acknowledgement allows), the task changes nothing more.
    _send(broker, queue, register_import.pk)
    _send(broker, queue, 0)  # an upload deleted meanwhile is skipped, not an error
    later = SchoolRegisterImport.objects.create(file_name="again.csv", content=content)
    _send(broker, queue, later.pk)
    _wait_until_finished(later)
    assert (later.created, later.updated, later.unchanged) == (0, 0, 2)
    assert School.objects.count() == 2
