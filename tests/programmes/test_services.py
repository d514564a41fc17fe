from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from accounts.models import AuditAction, AuditEvent, Role, RoleAssignment
from programmes import services
from programmes.models import AllocationBand, ComparisonSchool, Enrolment, StrandUptake
from tests.factories import (
    CohortFactory,
    EnrolmentFactory,
    SchoolFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
BY_SITE = {"enrolled_by": None, "source": "test"}
ADDED = {"added_by": None, "source": "test"}


def test_it_makes_whoever_creates_a_programme_its_hub_lead():
    user = UserFactory()
    programme = services.programme_create(
        created_by=user,
        name="Mastery Readiness 2026",
        slug="mr-2026",
        start_date="2026-09-01",
        end_date="2027-07-20",
    )
    assert RoleAssignment.objects.filter(
        user=user, role=Role.HUB_LEAD, programme=programme
    ).exists()


def test_it_refuses_a_programme_that_ends_before_it_starts():
    with pytest.raises(ValidationError):
        services.programme_create(
            created_by=UserFactory(),
            name="X",
            slug="x",
            start_date="2026-09-01",
            end_date="2026-08-01",
        )


def test_it_enrols_schools_with_one_uniform_offer():
    cohort = CohortFactory()
    schools = SchoolFactory.create_batch(3)
    allocation = services.Allocation(sle_days=Decimal("4.5"), funding=Decimal("2000"))
    assert (
        services.schools_enrol(cohort=cohort, schools=schools, allocation=allocation, **BY_SITE)
        == 3
    )
    assert set(
        Enrolment.objects.values_list(
            "programme", "cohort", "sle_days_allocated", "funding_allocated"
        )
    ) == {(cohort.programme_id, cohort.pk, Decimal("4.5"), Decimal("2000"))}


def test_it_scales_the_offer_by_school_size():
    cohort = CohortFactory()
    bands = [(209, 3, 2000), (419, 4, 2500), (None, 6, 3500)]
    for up_to, days, funding in bands:
        AllocationBand.objects.create(
            programme=cohort.programme, up_to_pupils=up_to, sle_days=days, funding=funding
        )
    rolls = {"tiny": 90, "edge": 209, "middle": 210, "large": 900, "unknown": None}
    schools = {name: SchoolFactory(number_on_roll=roll) for name, roll in rolls.items()}
    services.schools_enrol(
        cohort=cohort,
        schools=list(schools.values()),
        allocation=services.Allocation(by_size=True),
        **BY_SITE,
    )
    days = dict(Enrolment.objects.values_list("school_id", "sle_days_allocated"))
    assert {name: days[school.pk] for name, school in schools.items()} == {
        "tiny": 3,
        "edge": 3,
        "middle": 4,
        "large": 6,
        "unknown": 3,
    }


def test_it_gives_the_largest_band_when_no_band_is_open_ended():
    cohort = CohortFactory()
    AllocationBand.objects.create(
        programme=cohort.programme, up_to_pupils=300, sle_days=2, funding=0
    )
    AllocationBand.objects.create(
        programme=cohort.programme, up_to_pupils=600, sle_days=5, funding=0
    )
    school = SchoolFactory(number_on_roll=1000)
    services.schools_enrol(
        cohort=cohort, schools=[school], allocation=services.Allocation(by_size=True), **BY_SITE
    )
    assert Enrolment.objects.get().sle_days_allocated == 5


def test_it_asks_for_bands_before_allocating_by_size():
    with pytest.raises(ValidationError, match="allocation bands"):
        services.schools_enrol(
            cohort=CohortFactory(),
            schools=[SchoolFactory()],
            allocation=services.Allocation(by_size=True),
            **BY_SITE,
        )


def test_it_enrols_nobody_when_one_school_is_already_in_the_programme():
    existing = EnrolmentFactory()
    other_cohort = CohortFactory(programme=existing.programme)
    comparison = SchoolFactory()
    ComparisonSchool.objects.create(programme=existing.programme, school=comparison)
    newcomer = SchoolFactory()
    with pytest.raises(ValidationError) as error:
        services.schools_enrol(
            cohort=other_cohort,
            schools=[newcomer, existing.school, comparison],
            allocation=services.Allocation(sle_days=Decimal(1)),
            **BY_SITE,
        )
    assert sorted(error.value.messages) == sorted(
        [
            f"URN {existing.school.urn} is already enrolled in this programme.",
            f"URN {comparison.urn} is a comparison school in this programme.",
        ]
    )
    assert not Enrolment.objects.filter(school=newcomer).exists()


def test_it_enrols_a_school_in_several_programmes():
    school = SchoolFactory()
    for _ in range(2):
        services.schools_enrol(
            cohort=CohortFactory(),
            schools=[school],
            allocation=services.Allocation(sle_days=1),
            **BY_SITE,
        )
    assert school.enrolments.count() == 2


def test_it_moves_a_school_only_within_its_programme():
    enrolment = EnrolmentFactory()
    later = CohortFactory(programme=enrolment.programme)
    services.enrolment_update(enrolment=enrolment, cohort=later, sle_days_allocated=Decimal(7))
    enrolment.refresh_from_db()
    assert (enrolment.cohort, enrolment.sle_days_allocated) == (later, 7)
    with pytest.raises(ValidationError, match="same programme"):
        services.enrolment_update(enrolment=enrolment, cohort=CohortFactory())


def test_it_adds_comparison_schools_once_and_never_enrolled_ones():
    enrolment = EnrolmentFactory()
    programme = enrolment.programme
    a, b = SchoolFactory(), SchoolFactory()
    assert services.comparison_schools_add(programme=programme, schools=[a, b], **ADDED) == 2
    assert services.comparison_schools_add(programme=programme, schools=[a], **ADDED) == 0
    with pytest.raises(ValidationError, match="enrolled in the programme"):
        services.comparison_schools_add(programme=programme, schools=[enrolment.school], **ADDED)
    assert programme.comparison_schools.count() == 2


def test_it_replaces_a_strands_uptake():
    enrolment = EnrolmentFactory()
    programme = enrolment.programme
    second = EnrolmentFactory(cohort=enrolment.cohort)
    outsider = SchoolFactory()
    strand = programme.strands.create(name="Same-day intervention")
    a, b = str(enrolment.school_id), str(second.school_id)
    services.strand_uptakes_replace(strand=strand, taken_up={a, b, str(outsider.pk)}, continued={a})
    assert set(StrandUptake.objects.values_list("school_id", "continued_after_programme")) == {
        (enrolment.school_id, True),
        (second.school_id, False),
    }
    # Continuing needs taking up; unticking a school removes it.
    services.strand_uptakes_replace(strand=strand, taken_up={b}, continued={a, b})
    assert set(StrandUptake.objects.values_list("school_id", "continued_after_programme")) == {
        (second.school_id, True)
    }


def test_it_records_each_enrolment_and_un_enrolment_in_the_audit_log():
    cohort = CohortFactory()
    a, b = SchoolFactory.create_batch(2)
    allocation = services.Allocation(sle_days=Decimal(2))
    services.schools_enrol(cohort=cohort, schools=[a, b], allocation=allocation, **BY_SITE)
    enrolled = AuditEvent.objects.filter(action=AuditAction.SCHOOL_ENROLLED)
    assert sorted(enrolled.values_list("school", "actor_name", "programme")) == [
        (a.pk, "system", cohort.programme_id),
        (b.pk, "system", cohort.programme_id),
    ]
    admin = UserFactory()
    services.enrolment_remove(enrolment=a.enrolments.get(), removed_by=admin)
    removed = AuditEvent.objects.get(action=AuditAction.SCHOOL_UNENROLLED)
    assert (removed.actor, removed.school, removed.programme) == (admin, a, cohort.programme)


def test_it_leaves_a_school_invited_to_answer_for_itself():
    enrolment = EnrolmentFactory()
    invited = SchoolFactory()
    services.comparison_invitations_send(
        programme=enrolment.programme, schools=[invited], invited_by=UserFactory()
    )
    allocation = services.Allocation(sle_days=Decimal(1))
    with pytest.raises(ValidationError, match="awaiting its answer"):
        services.schools_enrol(
            cohort=enrolment.cohort, schools=[invited], allocation=allocation, **BY_SITE
        )
    with pytest.raises(ValidationError, match="awaiting its answer"):
        services.comparison_schools_add(programme=enrolment.programme, schools=[invited], **ADDED)
