"""On the real broker: a beat process on a schedule of seconds and a worker, which sends a
reminder due now; the e-mail is written to files this test reads."""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.formats import date_format

from visits.models import Action

from ..workers import ROOT, Workers, wait_for

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True, databases="__all__")]


def test_beat_and_a_worker_send_a_scheduled_reminder_once(world, tmp_path):
    today = timezone.localdate()
    world.programme.end_date = today + timedelta(days=200)
    world.programme.save()
    Action.objects.create(
        school=world.school_a, description="Try number talks", due_date=today + timedelta(days=3)
    )
    outbox = tmp_path / "outbox"
    workers = Workers(EMAIL_FILE_PATH=str(outbox), REMINDER_SWEEP_SECONDS="2")
    workers.start("reminders")
    beat = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "mathsprog", "beat", "--loglevel=INFO",
         "--schedule", str(tmp_path / "beat-schedule")],
        cwd=ROOT, env=workers.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True,
    )  # fmt: skip
    try:

        def reminder_sent():
            files = list(outbox.glob("*.log")) if outbox.exists() else []
            return [f for f in files if "An action is due soon" in f.read_text()]

        (written,) = wait_for(reminder_sent, seconds=90)
        # Three more sweeps, two seconds apart: still one e-mail of it.
        time.sleep(7)
        assert beat.poll() is None
        assert len(reminder_sent()) == 1
        text = written.read_text()
        assert "To: mathslead.a@example.org" in text
        assert f"Due: {date_format(today + timedelta(days=3), 'l j F Y')}" in text
    finally:
        os.killpg(beat.pid, signal.SIGTERM)
        beat_output, _ = beat.communicate(timeout=30)
        workers.stop()
    assert "send-due-reminders" in beat_output
