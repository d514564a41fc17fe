"""A school term in which each kind of reminder has something to send: frozen on Tuesday
3 March 2026, 09:00 (GMT), with the shared world's programme running until 31 July 2026."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.core import mail

from reminders.services import reminders_run
from schools.models import StaffRole
from visits.models import Action, ActionStatus
from workgroups.models import Attendance, EventKind

from ..factories import EventFactory, RecordOfVisitFactory, StaffMemberFactory

NOW = datetime(2026, 3, 3, 9, tzinfo=UTC)
TODAY = date(2026, 3, 3)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def term(world, frozen):
    """An action due on Friday (in 3 days), one overdue since 20 February though still
    "green", school A last visited on 5 January under a six-week interval (so due by
    16 February: overdue), and a workshop tomorrow with one teacher on its register."""
    world.programme.visit_interval_days = 42
    world.programme.save()
    due_soon = Action.objects.create(
        school=world.school_a, description="Use bar models in Y4", due_date=date(2026, 3, 6)
    )
    overdue = Action.objects.create(
        school=world.school_a,
        description="Review the calculation policy",
        due_date=date(2026, 2, 20),
        status=ActionStatus.GREEN,
    )
    RecordOfVisitFactory(
        programme=world.programme, school=world.school_a, sle=world.sle, visit_date=date(2026, 1, 5)
    )
    teacher = StaffMemberFactory(
        school=world.school_a, email="teacher.a@example.org", role=StaffRole.CLASS_TEACHER
    )
    event = EventFactory(
        programme=world.programme,
        kind=EventKind.WORK_GROUP_WORKSHOP,
        title="Fluency workshop 3",
        venue="Hub room, Oak Lane",
        starts_at=datetime(2026, 3, 4, 13, 30, tzinfo=UTC),
    )
    Attendance.objects.create(event=event, staff_member=teacher, present=False)
    world.due_soon, world.overdue, world.event, world.teacher = due_soon, overdue, event, teacher
    return world


def sent(to: str, subject_starts: str = "") -> list:
    return [
        message
        for message in mail.outbox
        if message.to == [to] and message.subject.startswith(subject_starts)
    ]


@pytest.fixture
def run():
    return lambda: reminders_run()
