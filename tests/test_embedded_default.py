"""`make run` on a fresh machine: no DATABASE_URL nor CELERY_BROKER_URL, so SQLite and tasks
run in-process. The demo is loaded through the whole upload pipeline (check, preview, import,
report), so this is where that pipeline is seen to work on SQLite as well as on PostgreSQL."""

import os
import subprocess
import sys

from django.conf import settings

COUNT = (
    "from evaluation.models import Result, ReportSnapshot; "
    "print(Result.objects.count(), ReportSnapshot.objects.count())"
)


def test_the_demo_loads_and_reports_on_the_embedded_default(tmp_path):
    env = {key: value for key, value in os.environ.items() if key not in ("CELERY_BROKER_URL",)}
    env |= {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "DJANGO_SETTINGS_MODULE": "mathsprog.settings.local",
    }

    def manage(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout

    manage("migrate", "--noinput", "-v0")
    assert "head.100100@example.org" in manage("load_demo")
    results, reports = map(int, manage("shell", "-c", COUNT).split()[-2:])
    assert results > 1_000
    assert reports >= 1
