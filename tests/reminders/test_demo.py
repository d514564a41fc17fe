"""The demo gives each e-mail something to send (the governor report's, in the two weeks
after a term ends: 1 to 14 January here)."""

from datetime import UTC, datetime

import time_machine
from django.core import mail

from demo import loader
from reminders.models import Kind, Reminder
from reminders.services import reminders_run


def test_the_demo_has_something_for_every_email(db):
    with time_machine.travel(datetime(2027, 1, 6, 9, tzinfo=UTC), tick=False):
        loader.load_demo()  # its e-mail data among the rest (demo.reminders)
        reminders_run()
    kinds = set(Reminder.objects.values_list("kind", flat=True))
    assert kinds == set(Kind.values)
    # sle01 and the first school's maths lead take their e-mails one at a time.
    assert any(m.to == ["sle01@example.org"] and "overdue" in m.subject for m in mail.outbox)
    assert any(m.subject.startswith("Coming up on Thursday 7 January 2027") for m in mail.outbox)
