"""Enrolling a school shows its pages to the programme's hub leads, so a hub lead only invites:
the school joins when its headteacher (or a site admin) accepts. School B, here, is in another
programme (Q) with figures of its own; the hub lead leads world.programme (P)."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditAction, AuditEvent, Role
from programmes import services
from programmes.models import (
    ComparisonSchool,
    Enrolment,
    EnrolmentInvitation,
    InvitationKind,
    InvitationStatus,
)
from tests.factories import (
    EnrolmentFactory,
    RecordOfVisitFactory,
    SchoolFactory,
    StaffMemberFactory,
    give_role,
)
from tests.queries import queries_for
from tests.stored_reports import stored_school_report


@pytest.fixture
def other_programme(world):
    """Programme Q: school B takes part, with a visit and a report of its own."""
    enrolment = EnrolmentFactory(school=world.school_b, cohort__programme__name="Quadrant Maths")
    programme = enrolment.programme
    stored_school_report(programme, world.school_b, comparison=False)
    RecordOfVisitFactory(programme=programme, school=world.school_b, strengths="Q's own visit")
    StaffMemberFactory(school=world.school_b, full_name="Bea Staff")
    world.school_b.actions.create(description="Q's own action")
    return programme


def _school_pages(school) -> list[str]:
    return [
        reverse(name, args=[school.urn])
        for name in (
            "dashboards:school",
            "schools:staff",
            "schools:staff_create",
            "visits:action_plan",
            "visits:action_create",
            "dashboards:governor_report",
        )
    ]


def _governor_report(school) -> str:
    url = reverse("dashboards:governor_report", args=[school.urn])
    return f"{url}?start=2025-09-01&end=2026-08-31"


def _invite(client, world, school, **form):
    client.force_login(world.hub_lead)
    return client.post(
        reverse("programmes:enrol", args=[world.programme.slug]),
        {"cohort": world.cohort.pk, "schools": str(school.urn), "allocation": "uniform",
         "sle_days": "3", "funding": "1500", **form},
    )  # fmt: skip


def _answer(client, person, invitation, answer: str):
    client.force_login(person)
    return client.post(reverse("invitations:answer", args=[invitation.pk]), {"answer": answer})


def test_it_opens_an_invited_school_to_the_hub_lead_only_once_its_headteacher_accepts(
    client, world, other_programme
):
    response = _invite(client, world, world.school_b)
    assert response["Location"] == reverse("dashboards:enrolments", args=[world.programme.slug])
    assert not Enrolment.objects.filter(programme=world.programme, school=world.school_b).exists()
    for url in _school_pages(world.school_b):
        assert client.get(url).status_code == 404, url
    page = client.get(reverse("dashboards:enrolments", args=[world.programme.slug]))
    assert "Awaiting an answer" in page.content.decode()

    invitation = EnrolmentInvitation.objects.get(school=world.school_b)
    assert (invitation.sle_days_allocated, invitation.funding_allocated) == (3, 1500)
    response = _answer(client, world.head_b, invitation, "accept")
    assert response["Location"] == reverse("invitations:list")
    enrolment = Enrolment.objects.get(programme=world.programme, school=world.school_b)
    assert (enrolment.cohort, enrolment.sle_days_allocated) == (world.cohort, 3)

    client.force_login(world.hub_lead)
    for url in _school_pages(world.school_b):
        assert client.get(url).status_code == 200, url
    dashboard = client.get(reverse("dashboards:school", args=[world.school_b.urn]))
    assert world.programme.name in dashboard.content.decode()
    assert "Quadrant Maths" not in dashboard.content.decode()  # not Q's enrolment, nor figures
    report = client.get(_governor_report(world.school_b)).content.decode()
    assert "Q&#x27;s own visit" not in report
    assert "Quadrant Maths" not in report
    # The school's staff and action plan are the school's, shared with each programme it
    # accepted.
    staff = client.get(reverse("schools:staff", args=[world.school_b.urn])).content.decode()
    assert "Bea Staff" in staff
    plan = client.get(reverse("visits:action_plan", args=[world.school_b.urn])).content.decode()
    assert "Q&#x27;s own action" in plan

    client.force_login(world.head_b)  # the school's own people see every programme
    page = client.get(reverse("dashboards:school", args=[world.school_b.urn])).content.decode()
    assert "Attainment and gaps: Quadrant Maths" in page
    assert world.programme.name in page
    assert "Q&#x27;s own visit" in client.get(_governor_report(world.school_b)).content.decode()


def test_each_person_sees_only_the_programmes_of_a_school_theirs_to_see(client, world):
    """School A takes part in the hub lead's programme and in Q: its own people and site
    admins see both; the hub lead and the SLE (both of P only) see P's side of it only."""
    other = EnrolmentFactory(school=world.school_a, cohort__programme__name="Quadrant Maths")
    RecordOfVisitFactory(programme=other.programme, school=world.school_a, strengths="Q's visit")
    dashboard = reverse("dashboards:school", args=[world.school_a.urn])
    for persona, sees_q in [("hub_lead", False), ("sle", False), ("head_a", True),
                            ("governor_a", True), ("admin", True)]:  # fmt: skip
        client.force_login(getattr(world, persona))
        page = client.get(dashboard).content.decode()
        report = client.get(_governor_report(world.school_a)).content.decode()
        assert world.programme.name in page, persona
        assert ("Quadrant Maths" in page) is sees_q, persona
        assert ("Q&#x27;s visit" in report) is sees_q, persona


def test_it_records_the_invitation_the_answer_and_the_enrolment(client, world):
    version = world.programme.data_version
    _invite(client, world, world.school_b)
    world.programme.refresh_from_db()
    assert world.programme.data_version == version  # an invitation changes no report
    invitation = EnrolmentInvitation.objects.get()
    _answer(client, world.head_b, invitation, "accept")
    world.programme.refresh_from_db()
    assert world.programme.data_version == version + 1  # the enrolment does
    events = list(
        AuditEvent.objects.filter(school=world.school_b)
        .order_by("pk")
        .values_list("action", "actor", "programme")
    )
    assert events == [
        (AuditAction.SCHOOL_INVITED, world.hub_lead.pk, world.programme.pk),
        (AuditAction.INVITATION_ACCEPTED, world.head_b.pk, world.programme.pk),
        (AuditAction.SCHOOL_ENROLLED, world.head_b.pk, world.programme.pk),
    ]
    enrolled = AuditEvent.objects.get(action=AuditAction.SCHOOL_ENROLLED)
    assert enrolled.details == {
        "cohort": world.cohort.name, "sle_days": "3.0", "funding": "1500.00",
        "source": "invitation",
    }  # fmt: skip
    client.force_login(world.admin)
    log = client.get(reverse("audit_log")).content.decode()
    assert "Invited a school to a programme" in log
    assert "Enrolled a school in a programme" in log


def test_it_lets_no_other_schools_people_answer(client, world):
    _invite(client, world, world.school_b)
    invitation = EnrolmentInvitation.objects.get()
    for persona in ["head_a", "maths_lead_a", "governor_a", "sle", "hub_lead", "outsider"]:
        response = _answer(client, getattr(world, persona), invitation, "accept")
        assert response.status_code == 404, persona
    give_role(world.outsider, Role.MATHS_LEAD, school=world.school_b)
    assert _answer(client, world.outsider, invitation, "accept").status_code == 404
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.PENDING
    assert not world.programme.enrolments.filter(school=world.school_b).exists()
    client.force_login(world.head_a)
    page = client.get(reverse("invitations:list")).content.decode()
    assert world.school_b.name not in page


def test_a_declined_invitation_enrols_nothing_and_is_answered_once(client, world):
    _invite(client, world, world.school_b)
    invitation = EnrolmentInvitation.objects.get()
    _answer(client, world.head_b, invitation, "decline")
    invitation.refresh_from_db()
    assert (invitation.status, invitation.decided_by) == (InvitationStatus.DECLINED, world.head_b)
    assert not Enrolment.objects.filter(school=world.school_b, programme=world.programme).exists()
    assert _answer(client, world.head_b, invitation, "accept").status_code == 404
    assert AuditEvent.objects.filter(action=AuditAction.INVITATION_DECLINED).count() == 1
    client.force_login(world.hub_lead)
    assert client.get(reverse("dashboards:school", args=[world.school_b.urn])).status_code == 404
    page = client.get(reverse("dashboards:enrolments", args=[world.programme.slug]))
    assert "Declined" in page.content.decode()
    with pytest.raises(Exception, match="answered already"):
        services.invitation_decide(invitation=invitation, decided_by=world.admin, accept=True)


def test_a_site_admin_answers_for_a_school_with_no_headteacher_account(client, world):
    newcomer = SchoolFactory(name="Newcomer Primary")
    _invite(client, world, newcomer)
    client.force_login(world.admin)
    page = client.get(reverse("invitations:list")).content.decode()
    assert "Newcomer Primary" in page
    assert "No headteacher account" in page
    _answer(client, world.admin, EnrolmentInvitation.objects.get(), "accept")
    assert world.programme.enrolments.filter(school=newcomer).exists()
    assert AuditEvent.objects.get(action=AuditAction.SCHOOL_ENROLLED).actor == world.admin


def test_it_refuses_to_invite_a_school_twice_or_one_in_the_programme(client, world):
    _invite(client, world, world.school_b)
    page = _invite(client, world, world.school_b).content.decode()
    assert "has an invitation to this programme awaiting its answer" in page
    page = _invite(client, world, world.school_a).content.decode()
    assert f"URN {world.school_a.urn} is already enrolled in this programme." in page
    assert EnrolmentInvitation.objects.count() == 1


def test_a_site_admin_enrols_at_once_and_it_is_recorded(client, world):
    newcomer = SchoolFactory()
    client.force_login(world.admin)
    page = client.get(reverse("programmes:enrol", args=[world.programme.slug])).content.decode()
    assert "Enrol schools" in page
    client.post(
        reverse("programmes:enrol", args=[world.programme.slug]),
        {"cohort": world.cohort.pk, "schools": str(newcomer.urn), "allocation": "uniform",
         "sle_days": "2"},
    )  # fmt: skip
    assert world.programme.enrolments.filter(school=newcomer).exists()
    event = AuditEvent.objects.get(action=AuditAction.SCHOOL_ENROLLED)
    assert (event.actor, event.school, event.details["source"]) == (
        world.admin,
        newcomer,
        "site admin",
    )
    assert not EnrolmentInvitation.objects.exists()


def test_comparison_schools_are_invited_too(client, world, other_programme):
    client.force_login(world.hub_lead)
    url = reverse("programmes:comparison", args=[world.programme.slug])
    client.post(url, {"schools": str(world.school_b.urn)})
    assert not ComparisonSchool.objects.filter(programme=world.programme).exists()
    invitation = EnrolmentInvitation.objects.get()
    assert (invitation.kind, invitation.cohort) == (InvitationKind.COMPARE, None)
    assert world.school_b.name in client.get(url).content.decode()
    _answer(client, world.head_b, invitation, "accept")
    assert ComparisonSchool.objects.filter(programme=world.programme, school=world.school_b)
    # A comparison school shows only as a group: its pages stay closed to the hub lead.
    client.force_login(world.hub_lead)
    assert client.get(reverse("dashboards:school", args=[world.school_b.urn])).status_code == 404
    actions = AuditEvent.objects.filter(school=world.school_b).values_list("action", flat=True)
    assert sorted(actions) == sorted(
        [AuditAction.SCHOOL_INVITED, AuditAction.INVITATION_ACCEPTED, AuditAction.COMPARISON_ADDED]
    )
    client.post(
        reverse("programmes:comparison_remove", args=[world.programme.slug, world.school_b.urn])
    )
    assert AuditEvent.objects.filter(action=AuditAction.COMPARISON_REMOVED).count() == 1


def test_it_shows_a_headteacher_their_schools_invitations(client, world):
    _invite(client, world, world.school_b)
    client.force_login(world.head_b)
    page = client.get(reverse("dashboards:school", args=[world.school_b.urn])).content.decode()
    assert "1 invitation to a programme awaiting your answer" in page
    assert reverse("invitations:list") in page
    page = client.get(reverse("invitations:list")).content.decode()
    assert world.programme.name in page
    answer = client.get(reverse("invitations:answer", args=[EnrolmentInvitation.objects.get().pk]))
    assert "3 SLE days and £1,500.00" in answer.content.decode()


def test_it_keeps_the_invitations_page_to_a_constant_number_of_queries(client, world):
    def invite(count):
        services.enrolment_invitations_send(
            cohort=world.cohort,
            schools=SchoolFactory.create_batch(count),
            allocation=services.Allocation(sle_days=1),
            invited_by=world.hub_lead,
        )

    client.force_login(world.admin)
    invite(3)
    small = queries_for(client, reverse("invitations:list"))
    invite(37)
    for invitation in EnrolmentInvitation.objects.all()[:5]:
        services.invitation_decide(invitation=invitation, decided_by=world.admin, accept=False)
    assert queries_for(client, reverse("invitations:list")) == small <= 12


def test_the_database_keeps_one_pending_invitation_per_school_and_a_cohort_to_take_part():
    enrolment = EnrolmentFactory()
    school, programme = SchoolFactory(), enrolment.programme

    def invitation(**fields):
        fields = {"programme": programme, "school": school, "kind": InvitationKind.ENROL,
                  "cohort": enrolment.cohort, **fields}  # fmt: skip
        return EnrolmentInvitation.objects.create(**fields)

    invitation()
    for refused in [
        {},  # a second invitation awaiting an answer
        {"school": SchoolFactory(), "cohort": None},
        {"school": SchoolFactory(), "kind": InvitationKind.COMPARE},
        {"school": SchoolFactory(), "status": InvitationStatus.ACCEPTED},  # answered: when?
        {"school": SchoolFactory(), "sle_days_allocated": -1},
    ]:
        with pytest.raises(IntegrityError), transaction.atomic():
            invitation(**refused)
    invitation(status=InvitationStatus.DECLINED, decided_at=timezone.now())
