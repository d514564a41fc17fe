import hashlib
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, Q
from django.urls import reverse
from stdnum.gb import upn

from accounts.models import Role, RoleAssignment, User
from demo import loader
from demo.delivery import DEMO_TODAY
from evaluation.models import AssessmentUpload, Pupil, PupilYear, Result
from evaluation.pseudonym import upn_hash
from programmes.models import Cohort, Enrolment, Programme
from reminders.models import EmailPreference
from schools.models import LocalAuthority, School, StaffMember, StaffRole

pytestmark = pytest.mark.django_db


def _fingerprint() -> str:
    rows = [
        list(School.objects.order_by("urn").values_list("urn", "name", "postcode")),
        list(
            StaffMember.objects.order_by("school__urn", "full_name", "year_group").values_list(
                "school__urn", "full_name", "year_group"
            )
        ),
        # Not the pupils' hashes: they are the programme's, and a programme loaded again has
        # another id.
        list(
            PupilYear.objects.order_by(
                "school__urn", "year_group", "disadvantaged", "send", "eal"
            ).values_list("school__urn", "year_group", "disadvantaged", "send", "eal")
        ),
        list(User.objects.order_by("email").values_list("email", "full_name")),
    ]
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def test_it_loads_a_london_ks1_mastery_project():
    loader.load_demo()
    programme = Programme.objects.get(slug=loader.DEMO_SLUG)
    assert Cohort.objects.filter(programme=programme).count() == 4
    assert Enrolment.objects.filter(cohort__programme=programme).count() == 120
    assert programme.local_authorities.count() == 24
    enrolled_in = LocalAuthority.objects.filter(schools__enrolments__programme=programme)
    assert enrolled_in.distinct().count() == 24
    assert programme.comparison_schools.count() == 24
    in_post = Q(staff__end_date__isnull=True) | Q(staff__end_date__gte=DEMO_TODAY)
    teachers = Q(staff__role=StaffRole.CLASS_TEACHER) & in_post
    per_school = School.objects.filter(enrolments__programme=programme).annotate(
        teachers=Count("staff", filter=teachers, distinct=True),
        pupils=Count("pupil_years", distinct=True),
    )
    # 120 KS1 pupils in each school in 2025/26; the 60 whose cohorts started that year gained
    # two more, and had 122 in 2024/25 too (demo.last_year).
    assert {(s.teachers, s.pupils) for s in per_school} == {(4, 120), (4, 122 + 122)}
    # 120 KS1 pupils in each of the 120 schools and the 24 comparison schools, and two who
    # joined each of the 84 schools assessed; and 2024/25's 122 in each of those 84.
    assert Pupil.objects.count() == 17_280 + 84 * 2 + 84 * 122
    # Baseline, interim and end results for the cohorts started in 2025/26 (60 schools) and
    # the comparison schools, imported through the upload service: four of each school's
    # pupils left after the baseline, and two joined. The same schools' baseline and end
    # results of 2024/25, and 2025/26's Year 2 teacher assessments (tests/demo/test_demo_years).
    this_year = (60 + 24) * (120 + 2 * (120 - 4 + 2))
    last_year = (60 + 24) * (120 + (120 - 4 + 2))
    assessed = Result.objects.exclude(window__slug="ta-2026").count()
    assert assessed == this_year + last_year
    assert set(AssessmentUpload.objects.values_list("status", flat=True)) == {"imported"}
    assert set(PupilYear.objects.values_list("year_group", flat=True)) == {0, 1, 2}
    roles = dict(
        RoleAssignment.objects.values_list("role").annotate(n=Count("id")).order_by("role")
    )
    assert roles == {
        Role.SITE_ADMIN: 1,
        Role.HUB_LEAD: 2,
        Role.SLE: 120,
        Role.HEADTEACHER: 120,
        Role.MATHS_LEAD: 120,
        Role.GOVERNOR: 120,
    }


def test_it_stores_pupils_only_as_keyed_hashes_of_valid_upns():
    loader.load_demo()
    first_school = School.objects.order_by("urn").first()
    la_code = first_school.local_authority.code
    expected_upn = loader._demo_upn(la_code, 2000, 0)
    assert upn.is_valid(expected_upn)
    programme = Programme.objects.get()
    assert Pupil.objects.filter(upn_hash=upn_hash(expected_upn, programme_id=programme.pk)).exists()
    assert not Pupil.objects.filter(upn_hash__startswith=expected_upn[:4]).exists()


def test_it_is_deterministic():
    loader.load_demo()
    first = _fingerprint()
    for model in [Programme, RoleAssignment, User, PupilYear, Pupil, School, EmailPreference]:
        model.objects.all().delete()
    loader.load_demo()
    assert _fingerprint() == first


def test_it_loads_once_and_prints_logins_that_work(client):
    out = StringIO()
    call_command("load_demo", stdout=out)
    call_command("load_demo", stdout=out)
    assert "Demo data loaded." in out.getvalue()
    assert "Demo data is already loaded." in out.getvalue()
    assert Programme.objects.count() == 1
    logins = loader.demo_logins()
    for login in logins:
        assert login.email in out.getvalue()
        signed_in = client.post(
            reverse("login"), {"username": login.email, "password": loader.DEMO_PASSWORD}
        )
        assert signed_in.status_code == 302, login.email
        home = client.get("/", follow=True)
        assert home.status_code == 200, login.email
        assert home.redirect_chain, login.email
        client.logout()
