"""Demo data for the e-mails: the programme's visit interval, an action due within the week
with its owner's account, a work-group workshop tomorrow whose participants have addresses,
and a mix of choices (most maths leads and SLEs take the weekly digest). Dated from the day
the demo is loaded, since reminders follow the real calendar; the old actions and the visits
of the demo's year already give overdue actions and visits, and the hub leads their Monday
summary. The governor report e-mail has something to send in the two weeks after each term
ends (see reminders.selectors.governor_terms)."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from accounts.models import Role, RoleAssignment
from programmes.models import Programme, VisitInterval
from reminders.models import EmailPreference, Frequency
from visits.models import Action, ActionStatus
from workgroups.models import Event, EventKind, WorkGroup

# These keep their e-mails coming one at a time, so that `send_reminders` shows each kind.
AT_ONCE = ("sle01@example.org",)


def load(programme: Programme, users: dict) -> None:
    today = timezone.localdate()
    programme.visit_interval_days = VisitInterval.HALF_TERM
    programme.save(update_fields=["visit_interval_days"])
    school = programme.enrolments.order_by("school__urn").first().school
    maths_lead = users[f"mathslead.{school.urn}@example.org"]
    Action.objects.create(
        school=school,
        description="Run a staff meeting on the calculation policy",
        owner=maths_lead.full_name,
        owner_account=maths_lead,
        due_date=today + timedelta(days=5),
        status=ActionStatus.GREEN,
    )
    _workshop_tomorrow(programme, today)
    weekly = (
        RoleAssignment.objects.filter(role__in=(Role.SLE, Role.MATHS_LEAD), programme=programme)
        | RoleAssignment.objects.filter(
            role=Role.MATHS_LEAD, school__enrolments__programme=programme
        )
    ).exclude(user__email__in=(maths_lead.email, *AT_ONCE))
    emails = {email.lower() for email in weekly.values_list("user__email", flat=True)}
    EmailPreference.objects.bulk_create(
        EmailPreference(email=email, frequency=Frequency.WEEKLY) for email in emails
    )


def _workshop_tomorrow(programme: Programme, today) -> None:
    work_group = WorkGroup.objects.filter(programme=programme).order_by("name").first()
    participants = list(
        work_group.participants.select_related("staff_member", "staff_member__school")
    )
    for participant in participants:
        member = participant.staff_member
        first = member.full_name.split(" ")[0].lower()
        member.email = f"{first}.{member.pk}@{member.school.urn}.example.org"
        member.save(update_fields=["email"])
    starts = timezone.make_aware(datetime.combine(today + timedelta(days=1), time(13)))
    Event.objects.create(
        programme=programme,
        work_group=work_group,
        kind=EventKind.WORK_GROUP_WORKSHOP,
        title=f"{work_group.name}: extra workshop",
        starts_at=starts,
        venue="Hub training centre, Southwark",
        facilitator=work_group.lead.full_name,
    )
