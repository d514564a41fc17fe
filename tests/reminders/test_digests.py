"""The weekly e-mails: the hub leads' Monday summary, in a fixed number of queries however
many programmes they lead; and one digest a week for those who chose it."""

from datetime import UTC, date, datetime
from decimal import Decimal

import time_machine
from django.core import mail

from accounts.models import Role
from evaluation.models import AssessmentUpload, AssessmentWindow, ReportFailure, UploadStatus
from reminders.digest import hub_digests
from reminders.models import EmailPreference, Frequency, Kind, Reminder
from reminders.services import reminders_run
from visits.models import Action

from ..factories import (
    BudgetLineFactory,
    EnrolmentFactory,
    ProgrammeFactory,
    SpendEntryFactory,
    UserFactory,
    give_role,
)
from .conftest import TODAY, sent

MONDAY = date(2026, 3, 2)


def _programme_with_work(lead, n: int):
    programme = ProgrammeFactory(visit_interval_days=42)
    give_role(lead, Role.HUB_LEAD, programme=programme)
    school = EnrolmentFactory(cohort__programme=programme).school
    Action.objects.create(school=school, description="Plan", due_date=date(2026, 1, 9))
    window = AssessmentWindow.objects.create(
        programme=programme, slug=f"w{n}", name="Baseline", kind="baseline", date=date(2025, 9, 22)
    )
    AssessmentUpload.objects.create(window=window, school=school, status=UploadStatus.READY)
    SpendEntryFactory(budget_line=BudgetLineFactory(programme=programme), amount=Decimal("250"))
    return programme


def test_a_hub_lead_of_40_programmes_costs_a_fixed_number_of_queries(
    frozen, django_assert_max_num_queries
):
    lead = UserFactory(email="busy.lead@example.org")
    for n in range(2):
        _programme_with_work(lead, n)
    with django_assert_max_num_queries(9) as few:
        (two,) = hub_digests(today=TODAY, monday=MONDAY)
    for n in range(2, 40):
        _programme_with_work(lead, n)
    with django_assert_max_num_queries(len(few.captured_queries)):
        (forty,) = hub_digests(today=TODAY, monday=MONDAY)
    # Each programme: its one action due 9 January (overdue), its school never visited and
    # due by 13 October 2025 (overdue), one upload to confirm, £250 spent of £1,000 (25%).
    assert forty.lines.count("  1 action overdue") == 40
    assert forty.lines.count("  1 school overdue for a visit") == 40
    assert forty.lines.count("  1 upload waiting for confirmation") == 40
    assert forty.lines.count("  Spend £250 of a £1,000 budget (25%)") == 40
    assert len(two.lines) * 20 == len(forty.lines)


def test_the_summary_says_when_a_report_failed_and_a_school_is_over_its_days(term, run):
    ReportFailure.objects.create(
        programme=term.programme, data_version=1, error="x", failed_at=datetime.now(UTC), attempts=3
    )
    term.school_a.enrolments.update(sle_days_allocated=Decimal("0.0"))  # used half a day
    run()
    (summary,) = sent("lead@example.org", "Your programmes this week")
    assert "The evaluation report failed" in summary.body
    assert "1 school with more SLE days used than allocated" in summary.body
    assert "2 actions overdue" not in summary.body
    assert "1 action overdue" in summary.body


def test_it_sends_no_summary_before_monday_seven_oclock(term):
    with time_machine.travel(datetime(2026, 3, 2, 6, 30, tzinfo=UTC), tick=False):
        reminders_run()
    assert sent("lead@example.org", "Your programmes") == []


def test_a_weekly_digest_gathers_the_weeks_reminders_into_one_email(term):
    EmailPreference.objects.create(email="mathslead.a@example.org", frequency=Frequency.WEEKLY)
    reminders_run()
    reminders_run()
    (digest,) = sent("mathslead.a@example.org")
    assert "An action is due soon" in digest.body
    assert "An action is overdue" in digest.body
    # A reminder due after this week's digest waits for next week's.
    Action.objects.create(school=term.school_a, description="New", due_date=date(2026, 3, 5))
    reminders_run()
    assert len(sent("mathslead.a@example.org")) == 1
    waiting = Reminder.objects.get(email="mathslead.a@example.org", about__contains="2026-03-05")
    assert waiting.sent_at is None
    mail.outbox.clear()
    with time_machine.travel(datetime(2026, 3, 9, 8, tzinfo=UTC), tick=False):
        reminders_run()
    (next_week,) = sent("mathslead.a@example.org", "Your reminders for the week of 9 March")
    assert "Due: Thursday 5 March 2026" in next_week.body
    assert Reminder.objects.filter(kind=Kind.WEEKLY_DIGEST).count() == 2


def test_an_event_reminder_does_not_wait_for_the_weekly_digest(term):
    EmailPreference.objects.create(email="teacher.a@example.org", frequency=Frequency.WEEKLY)
    reminders_run()
    (message,) = sent("teacher.a@example.org")
    assert message.subject == "Coming up on Wednesday 4 March 2026: Fluency workshop 3"


def test_a_weekly_digest_leaves_out_what_is_no_longer_due(term):
    EmailPreference.objects.create(email="mathslead.a@example.org", frequency=Frequency.WEEKLY)
    with time_machine.travel(datetime(2026, 3, 2, 6, tzinfo=UTC), tick=False):
        reminders_run()  # before 07:00 on Monday: recorded, waiting for the digest
    assert Reminder.objects.filter(email="mathslead.a@example.org", sent_at=None).count() == 2
    term.overdue.status = "done"
    term.overdue.save()
    reminders_run()
    (digest,) = sent("mathslead.a@example.org")
    assert "Due: Friday 20 February 2026" not in digest.body  # the one now done
    assert "Due: Friday 6 March 2026" in digest.body
