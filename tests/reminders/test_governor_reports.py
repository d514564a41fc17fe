"""Headteachers and governors hear when a term's governor report is ready: once, not after
unsubscribing, and not for a school whose programme has closed."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse

from reminders.models import Reminder
from reminders.services import reminders_run

from .conftest import sent

# 2 April 2026, 09:00 in London (BST): the spring term (1 January to 31 March) ended yesterday.
SPRING_ENDED = datetime(2026, 4, 2, 8, tzinfo=UTC)
SUBJECT = "The governor report for the spring term is ready"


@pytest.fixture
def spring_ended(world):
    with time_machine.travel(SPRING_ENDED, tick=False):
        yield world


def test_it_tells_the_head_and_governors_once(spring_ended):
    reminders_run()
    reminders_run()
    for person in ("head.a@example.org", "governor.a@example.org"):
        (message,) = sent(person, SUBJECT)
        assert (
            "Period: spring term Thursday 1 January 2026 to Tuesday 31 March 2026" in message.body
        )
        url = reverse("dashboards:governor_report", args=[spring_ended.school_a.urn])
        assert f"{url}?start=2026-01-01&amp;end=2026-03-31" in message.alternatives[0].content
    # School B is in no programme; the maths lead is not a reader of the report.
    assert sent("head.b@example.org", SUBJECT) == []
    assert sent("mathslead.a@example.org", SUBJECT) == []


def test_it_sends_nothing_after_unsubscribing(spring_ended):
    reminders_run()
    token = Reminder.objects.get(email="governor.a@example.org").token
    Client().post(reverse("reminders:unsubscribe", args=[token]))
    Reminder.objects.all().delete()
    mail.outbox.clear()
    reminders_run()
    assert sent("governor.a@example.org", SUBJECT) == []
    assert len(sent("head.a@example.org", SUBJECT)) == 1


def test_it_sends_nothing_for_a_closed_programme(spring_ended):
    spring_ended.programme.end_date = date(2026, 4, 1)
    spring_ended.programme.save()
    reminders_run()
    assert sent("head.a@example.org", SUBJECT) == []


def test_it_sends_nothing_mid_term_or_long_after(world):
    for when in (datetime(2026, 3, 20, 9, tzinfo=UTC), datetime(2026, 4, 20, 9, tzinfo=UTC)):
        with time_machine.travel(when, tick=False):
            reminders_run()
    assert sent("head.a@example.org", "The governor report") == []
