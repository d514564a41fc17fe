"""`manage.py send_reminders`: the embedded default's way to send what is due, in-process."""

from io import StringIO

from django.core.management import call_command

from .conftest import sent


def test_it_sends_what_is_due_and_nothing_the_second_time(term):
    out = StringIO()
    call_command("send_reminders", stdout=out)
    assert len(sent("mathslead.a@example.org", "An action is overdue")) == 1
    first = out.getvalue()
    call_command("send_reminders", stdout=(again := StringIO()))
    assert "0 reminders newly due, 0 e-mails sent" in again.getvalue()
    # Due soon and overdue to the maths lead, overdue visit to the SLE, the workshop to the
    # teacher, the Monday summary to the hub lead: five.
    assert "5 reminders newly due, 5 e-mails sent" in first
