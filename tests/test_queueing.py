"""Tasks are queued by name (mathsprog/queueing.py): the process that queues one need not
have imported it."""

import os
import subprocess
import sys

from django.conf import settings

# A process as the web server has it: Django set up, no tasks module imported by anyone.
WEB_PROCESS = """
import sys
import django
from django.apps import apps

django.setup()
from mathsprog.queueing import task_named

loaded = [app.name for app in apps.get_app_configs() if f"{app.name}.tasks" in sys.modules]
assert not loaded, f"tasks of {loaded} loaded already"
print(task_named("evaluation.tasks.validate_upload").name)
print(task_named("schools.tasks.run_school_register_import").name)
# Found through its own module: Celery's loader would also have run Django's system checks,
# which import every URL and view.
assert "mathsprog.urls" not in sys.modules
# A task registered under another module's name is found as a worker finds it.
print(task_named("schools.tasks.process_visit_photo").name)
"""


def test_it_finds_a_task_in_a_process_that_imported_no_tasks():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "mathsprog.settings.test"}
    found = subprocess.run(
        [sys.executable, "-c", WEB_PROCESS],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert found.stdout.split() == [
        "evaluation.tasks.validate_upload",
        "schools.tasks.run_school_register_import",
        "schools.tasks.process_visit_photo",
    ]
