"""Each reminder e-mail: sent once even when the sweep runs twice; not sent after
unsubscribing; nothing for a programme that has closed."""

from datetime import date

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from reminders.models import Reminder

from .conftest import sent

# (fixture's recipient, how its subject starts, what its body must say): worked out from the
# term fixture by hand, not from the code.
EMAILS = {
    "action due": ("mathslead.a@example.org", "An action is due soon", "Due: Friday 6 March 2026"),
    "action overdue": (
        "mathslead.a@example.org",
        "An action is overdue",
        "Due: Friday 20 February 2026",
    ),
    "visit overdue": (
        "sle@example.org",
        "Test Primary School",  # the factory's school name
        "Next visit due by: Monday 16 February 2026",
    ),
    "event tomorrow": (
        "teacher.a@example.org",
        "Coming up on Wednesday 4 March 2026",
        "Where: Hub room, Oak Lane",
    ),
    "hub digest": ("lead@example.org", "Your programmes this week", "1 school overdue for a visit"),
}


@pytest.mark.parametrize("name", EMAILS)
def test_it_sends_each_email_once_even_when_the_sweep_runs_twice(term, run, name):
    to, subject, says = EMAILS[name]
    run()
    run()
    found = sent(to, subject)
    assert len(found) == 1
    body = found[0].body
    assert says in body
    html = found[0].alternatives[0].content
    assert says.split(": ")[-1] in html
    assert "/e-mails/unsubscribe/" in body
    assert "/e-mails/unsubscribe/" in html
    assert found[0].extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


@pytest.mark.parametrize("name", EMAILS)
def test_it_sends_nothing_after_unsubscribing(term, run, name):
    to, subject, _ = EMAILS[name]
    run()
    (first,) = sent(to, subject)
    token = Reminder.objects.get(email=to, subject=first.subject).token
    Client().post(reverse("reminders:unsubscribe", args=[token]))
    Reminder.objects.filter(email=to).delete()  # as if never sent: only the choice stops it
    mail.outbox.clear()
    run()
    assert sent(to, subject) == []


@pytest.mark.parametrize("name", EMAILS)
def test_it_sends_nothing_for_a_closed_programme(term, run, name):
    term.programme.end_date = date(2026, 3, 2)  # closed yesterday
    term.programme.save()
    to, subject, _ = EMAILS[name]
    run()
    assert sent(to, subject) == []


def test_it_tells_the_sle_a_week_before_a_visit_falls_due(term, run):
    # Visited 23 January: due by 6 March, three days away.
    term.school_a.visits.update(visit_date=date(2026, 1, 23))
    run()
    (message,) = sent("sle@example.org", "Test Primary School")
    assert "is due a visit" in message.subject
    assert "Next visit due by: Friday 6 March 2026" in message.body


def test_it_emails_the_owners_account_rather_than_the_maths_lead(term, run):
    term.due_soon.owner_account = term.head_a
    term.due_soon.save()
    run()
    assert len(sent("head.a@example.org", "An action is due soon")) == 1
    assert sent("mathslead.a@example.org", "An action is due soon") == []


def test_an_actions_email_leaves_out_its_own_words(term, run):
    # Written freely at a visit, an action's words might name a pupil.
    term.due_soon.description = "Extra fluency practice for Jamie in Y4"
    term.due_soon.save()
    run()
    (message,) = sent("mathslead.a@example.org", "An action is due soon")
    assert "Jamie" not in message.body
    assert "Jamie" not in message.alternatives[0].content
