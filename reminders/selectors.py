"""What is due to be e-mailed on a day, and to whom: each a `Due`, which the services record in
the ledger before sending. Every read is set-based: a fixed number of queries, however many
schools, actions or events. No e-mail names a pupil or gives a figure about pupils."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from accounts.models import Role, RoleAssignment
from programmes.models import Enrolment
from schools.academic_year import academic_year_of
from schools.models import StaffMember, StaffRole
from visits.models import Action
from visits.selectors import next_visits
from workgroups.models import Event, EventKind

from .models import EmailPreference, Kind

# An action's owner is told this many days before it is due.
ACTION_NOTICE_DAYS = 7

# Events have no field for it yet: what each kind of event usually asks people to bring.
WHAT_TO_BRING = {
    EventKind.LAUNCH_TRAINING: "A laptop or tablet, and your school's maths long-term plan.",
    EventKind.CLUSTER_WORKSHOP: "A few books of pupils' work from your class.",
    EventKind.WORK_GROUP_WORKSHOP: "Your gap task from the last workshop and some pupils' work.",
    EventKind.NETWORK_MEETING: "Your school's maths action plan.",
    EventKind.GOVERNOR_TRAINING: "Your school's latest governor report, if you have one.",
    EventKind.PARENT_WORKSHOP: "Nothing: resources are provided.",
    EventKind.CATCH_UP_CPD: "A laptop or tablet.",
}


@dataclass(frozen=True)
class Due:
    kind: str
    about: str
    email: str
    subject: str
    link: str
    lines: list[str] = field(default_factory=list)
    programme_id: int | None = None


def _day(value: date) -> str:
    return date_format(value, "l j F Y")


def _maths_leads(school_ids, today: date) -> dict[int, set[str]]:
    """The addresses of each school's maths leads: their accounts, and staff records."""
    leads: dict[int, set[str]] = {}
    accounts = RoleAssignment.objects.filter(
        role=Role.MATHS_LEAD, school__in=school_ids, user__is_active=True
    )
    for school_id, email in accounts.values_list("school_id", "user__email"):
        leads.setdefault(school_id, set()).add(email.lower())
    staff = StaffMember.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=today),
        school__in=school_ids,
        role=StaffRole.MATHS_LEAD,
    ).exclude(email="")
    for school_id, email in staff.values_list("school_id", "email"):
        leads.setdefault(school_id, set()).add(email.lower())
    return leads


def _actions_of_open_programmes(today: date):
    """Actions of schools still in a running programme; one raised at a visit, only while that
    visit's programme runs."""
    running = Enrolment.objects.filter(school=OuterRef("school"), programme__end_date__gte=today)
    return (
        Action.objects.filter(Exists(running))
        .filter(
            Q(raised_at_visit__isnull=True) | Q(raised_at_visit__programme__end_date__gte=today)
        )
        .select_related("school", "owner_account", "raised_at_visit")
    )


def actions_due(*, today: date) -> list[Due]:
    """A week before an action is due, and once it is overdue, to its owner: their account, or
    else the school's maths lead."""
    actions = _actions_of_open_programmes(today)
    found = [(Kind.ACTION_DUE, a) for a in actions.due_within(today, ACTION_NOTICE_DAYS)]
    found += [(Kind.ACTION_OVERDUE, a) for a in actions.overdue_on(today)]
    leads = _maths_leads({action.school_id for _, action in found}, today)
    dues = []
    for kind, action in found:
        owner = action.owner_account
        emails = {owner.email.lower()} if owner else leads.get(action.school_id, set())
        when = "is overdue" if kind == Kind.ACTION_OVERDUE else "is due soon"
        # Not the action's own words: written freely at a visit, they might name a pupil.
        raised = action.raised_at_visit
        lines = [
            f"School: {action.school.name}",
            f"Raised at the visit of {_day(raised.visit_date)}" if raised else "Added to the plan",
            f"Due: {_day(action.due_date)}",
        ]
        dues += [
            Due(
                kind=kind,
                about=f"action {action.pk} due {action.due_date}",
                email=email,
                subject=f"An action {when}: {action.school.name}",
                link=reverse("visits:action_plan", args=[action.school.urn]),
                lines=lines,
                programme_id=action.raised_at_visit.programme_id
                if action.raised_at_visit
                else None,
            )
            for email in sorted(emails)
        ]
    return dues


def visits_due(*, today: date) -> list[Due]:
    """To each school's SLE in the programme, a week before its next visit falls due and once
    it is overdue."""
    schedule = [
        n
        for n in next_visits(enrolments=Enrolment.objects.all(), today=today)
        if n.due_soon or n.overdue
    ]
    sles: dict[tuple[int, int], set[str]] = {}
    assigned = RoleAssignment.objects.filter(
        role=Role.SLE, school__in={n.enrolment.school_id for n in schedule}, user__is_active=True
    ).values_list("programme_id", "school_id", "user__email")
    for programme_id, school_id, email in assigned:
        sles.setdefault((programme_id, school_id), set()).add(email.lower())
    dues = []
    for visit in schedule:
        enrolment = visit.enrolment
        kind = Kind.VISIT_OVERDUE if visit.overdue else Kind.VISIT_DUE
        last = _day(visit.last_visit) if visit.last_visit else "none yet"
        state = "is overdue for a visit" if visit.overdue else "is due a visit"
        dues += [
            Due(
                kind=kind,
                about=f"visit {enrolment.programme_id}/{enrolment.school_id} due {visit.due_on}",
                email=email,
                subject=f"{enrolment.school.name} {state}",
                link=reverse("visits:new", args=[enrolment.school.urn]),
                lines=[
                    f"School: {enrolment.school.name}",
                    f"Programme: {enrolment.programme.name}",
                    f"Last visit: {last}",
                    f"Next visit due by: {_day(visit.due_on)}",
                ],
                programme_id=enrolment.programme_id,
            )
            for email in sorted(sles.get((enrolment.programme_id, enrolment.school_id), ()))
        ]
    return dues


def _participants(event: Event) -> set[str]:
    """Those on the event's register, and for a work group's workshop, its participants."""
    staff = [line.staff_member for line in event.register.all()]
    if event.work_group is not None:
        staff += [p.staff_member for p in event.work_group.participants.all()]
    return {member.email.lower() for member in staff if member.email}


def events_tomorrow(*, now: datetime) -> list[Due]:
    """The day before an event (or on its day, if the reminder ran late), to everyone
    registered: its date, time, venue and what to bring."""
    today = timezone.localdate(now)
    until = timezone.make_aware(datetime.combine(today + timedelta(days=2), time.min))
    events = (
        Event.objects.filter(starts_at__gt=now, starts_at__lt=until, programme__end_date__gte=today)
        .select_related("programme", "work_group")
        .prefetch_related("register__staff_member", "work_group__participants__staff_member")
    )
    dues = []
    for event in events:
        starts = timezone.localtime(event.starts_at)
        lines = [
            f"Event: {event.title}",
            f"When: {_day(starts.date())} at {starts:%H:%M}",
            f"Where: {event.venue or 'to be confirmed'}",
            f"Please bring: {WHAT_TO_BRING.get(event.kind, 'nothing special')}",
        ]
        dues += [
            Due(
                kind=Kind.EVENT_TOMORROW,
                about=f"event {event.pk} at {event.starts_at:%Y-%m-%d %H:%M}",
                email=email,
                subject=f"Coming up on {_day(starts.date())}: {event.title}",
                link=reverse("workgroups:event", args=[event.programme.slug, event.pk]),
                lines=lines,
                programme_id=event.programme_id,
            )
            for email in sorted(_participants(event))
        ]
    return dues


def email_preference_of(*, email: str) -> EmailPreference:
    """Unsaved, with the defaults, for someone who has never chosen."""
    found = EmailPreference.objects.filter(email=email.lower()).first()
    return found or EmailPreference(email=email.lower())


# The governor report takes any period; these are the terms it is e-mailed for, each ready the
# day after it ends, as (name, first day, last day) of the academic year starting in `year`.
def governor_terms(year: int) -> list[tuple[str, date, date]]:
    return [
        ("autumn term", date(year, 9, 1), date(year, 12, 31)),
        ("spring term", date(year + 1, 1, 1), date(year + 1, 3, 31)),
        ("summer term", date(year + 1, 4, 1), date(year + 1, 7, 31)),
    ]


# A sweep this late after a term's end still sends its e-mail; later, it is old news.
GOVERNOR_REPORT_SENT_WITHIN = timedelta(days=14)


def _term_just_ended(today: date) -> tuple[str, date, date] | None:
    year = academic_year_of(today)
    for name, start, end in governor_terms(year - 1) + governor_terms(year):
        if end < today <= end + GOVERNOR_REPORT_SENT_WITHIN:
            return name, start, end
    return None


def governor_reports_ready(*, today: date) -> list[Due]:
    """To the headteachers and governors of schools in a running programme, when a term's
    governor report is ready, with a link to it for that term."""
    term = _term_just_ended(today)
    if term is None:
        return []
    name, start, end = term
    running = Enrolment.objects.filter(school=OuterRef("school"), programme__end_date__gte=today)
    readers = (
        RoleAssignment.objects.filter(Exists(running), role__in=(Role.HEADTEACHER, Role.GOVERNOR))
        .filter(user__is_active=True)
        .select_related("school", "user")
        .order_by("school__name", "user__email")
    )
    label = f"{name} {_day(start)} to {_day(end)}"
    return [
        Due(
            kind=Kind.GOVERNOR_REPORT,
            about=f"governor report {role.school_id} {start} to {end}",
            email=role.user.email.lower(),
            subject=f"The governor report for the {name} is ready: {role.school.name}",
            link=reverse("dashboards:governor_report", args=[role.school.urn])
            + f"?start={start}&end={end}",
            lines=[
                f"School: {role.school.name}",
                f"Period: {label}",
                "The report covers the programme's visits, actions and CPD in the school.",
            ],
        )
        for role in readers
    ]
