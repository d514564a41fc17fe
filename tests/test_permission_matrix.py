"""Every URL of the portal, as every role, on objects inside and outside their scope."""

from datetime import date

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client, override_settings
from django.urls import path, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from evaluation import services
from evaluation.models import AssessmentWindow
from programmes.models import AllocationBand, ComparisonSchool, EnrolmentInvitation, InvitationKind
from reminders.models import Kind, Reminder
from schools.models import SchoolRegisterImport
from workgroups.models import WorkGroupType

from .factories import (
    BudgetLineFactory,
    CohortFactory,
    EnrolmentFactory,
    EventFactory,
    KpiFactory,
    RecordOfVisitFactory,
    SchoolFactory,
    StaffMemberFactory,
    WorkGroupFactory,
)
from .permission_matrix import MATRIX, PUBLIC, missing_from_matrix


def _programme_objects(programme, cohort, school, prefix):
    """One of everything a programme holds, with the URL kwargs that name each."""
    kpi = KpiFactory(programme=programme)
    band = AllocationBand.objects.create(programme=programme, sle_days=3, funding=0)
    comparison = ComparisonSchool.objects.create(programme=programme, school=SchoolFactory())
    strand = programme.strands.create(name=f"{prefix} strand")
    line = BudgetLineFactory(programme=programme)
    staff = StaffMemberFactory(school=school)
    work_group = WorkGroupFactory(programme=programme)
    work_group.schools.add(school)
    participant = work_group.participants.create(staff_member=staff)
    event = EventFactory(programme=programme)
    window = AssessmentWindow.objects.create(
        programme=programme,
        slug="baseline",
        name="Baseline",
        kind="baseline",
        date=date(2025, 9, 22),
    )
    upload = services.upload_store(
        uploaded_by=None,
        window=window,
        school=school,
        file=ContentFile(b"UPN,URN\r\n", name="r.csv"),
    )
    visit = RecordOfVisitFactory(programme=programme, school=school)
    action = school.actions.create(description=f"{prefix} action")
    risk = school.risks.create(description=f"{prefix} risk")
    slug = {"slug": programme.slug}
    return {
        "visit": {"pk": visit.pk},
        "action": {"urn": school.urn, "pk": action.pk},
        "risk": {"urn": school.urn, "pk": risk.pk},
        "slug": slug,
        "cohort": {**slug, "pk": cohort.pk},
        "kpi": {**slug, "pk": kpi.pk},
        "band": {**slug, "pk": band.pk},
        "enrolment": {**slug, "urn": school.urn},
        "comparison": {**slug, "urn": comparison.school.urn},
        "strand": {**slug, "pk": strand.pk},
        "budget_line": {**slug, "pk": line.pk},
        "work_group": {**slug, "pk": work_group.pk},
        "participant": {**slug, "pk": work_group.pk, "participant_pk": participant.pk},
        "event": {**slug, "pk": event.pk},
        "urn": {"urn": school.urn},
        "staff": {"urn": school.urn, "pk": staff.pk},
        "upload": {"pk": upload.pk},
    }


@pytest.fixture
def kwargs(world):
    inside = _programme_objects(world.programme, world.cohort, world.school_a, "In")
    other = EnrolmentFactory(school=world.school_b)
    outside = _programme_objects(other.programme, other.cohort, world.school_b, "Out")
    found = inside | {f"other_{name}": value for name, value in outside.items()}
    found["reset"] = {
        "uidb64": urlsafe_base64_encode(force_bytes(world.head_a.pk)),
        "token": default_token_generator.make_token(world.head_a),
    }
    found["register_import"] = {
        "pk": SchoolRegisterImport.objects.create(file_name="gias.csv", content=b"").pk
    }
    found["work_group_type"] = {"pk": WorkGroupType.objects.first().pk}
    # Invitations awaiting an answer: school A's (from a programme it is not in) and B's.
    for name, school in (("invitation", world.school_a), ("other_invitation", world.school_b)):
        cohort = CohortFactory()
        invitation = EnrolmentInvitation.objects.create(
            programme=cohort.programme, cohort=cohort, school=school, kind=InvitationKind.ENROL
        )
        found[name] = {"pk": invitation.pk}
    reminder = Reminder.objects.create(
        kind=Kind.ACTION_DUE,
        about="matrix",
        email=world.head_a.email,
        subject="An action",
        link="/",
    )
    found["unsubscribe"] = {"token": reminder.token}
    return found


def _request(world, persona: str, method: str, url: str):
    """One request as one person, undone afterwards so that every person meets the same data."""
    client = Client()
    if persona != "anonymous":
        client.force_login(getattr(world, persona))
    with transaction.atomic():
        response = getattr(client, method)(url)
        transaction.set_rollback(True)
    return response


def _sent_to_login(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_each_url_lets_in_exactly_whom_it_should(world, kwargs, name):
    rule = MATRIX[name]
    url = reverse(name, kwargs=kwargs.get(rule.inside, {}))
    for persona in sorted(PUBLIC):
        response = _request(world, persona, rule.method, url)
        where = f"{name} as {persona}: {response.status_code}"
        if persona in rule.allowed:
            assert response.status_code in (200, 302), where
            assert name == "logout" or not _sent_to_login(response), where
        elif persona == "anonymous":
            assert _sent_to_login(response), where
        else:
            assert response.status_code in rule.refused, where
    if rule.outside:
        outside = reverse(name, kwargs=kwargs[rule.outside])
        for persona in sorted(rule.allowed - {"admin", "anonymous"}):
            response = _request(world, persona, rule.method, outside)
            assert response.status_code == 404, f"{name} outside scope as {persona}"
        assert _request(world, "admin", rule.method, outside).status_code in (200, 302)


def test_the_data_admin_is_for_staff_only(world):
    assert _sent_to_admin_login(_request(world, "hub_lead", "get", reverse("admin:index")))
    world.admin.is_staff = True
    world.admin.save()
    assert _request(world, "admin", "get", reverse("admin:index")).status_code == 200


def _sent_to_admin_login(response) -> bool:
    return response.status_code == 302 and "/admin/login/" in response["Location"]


def test_every_url_has_an_entry():
    assert missing_from_matrix() == set()


def probe(request):
    return None


urlpatterns = [path("probe/", probe, name="probe"), *__import__("mathsprog.urls").urls.urlpatterns]


@override_settings(ROOT_URLCONF=__name__)
def test_a_new_url_without_an_entry_fails():
    assert missing_from_matrix() == {"probe"}
