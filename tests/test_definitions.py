"""Each definition that used to be written more than once (the academic year, the UPN's
normalisation before hashing, the year-group labels, the teacher-assessment codes) is written
once: these tests check that every user of one gives what the definition says."""

import re
from datetime import date
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.template import Context, Template
from django.urls import reverse

from dashboards.figures import YEAR_NAMES
from evaluation.cell_readings import YEAR_GROUPS
from evaluation.models import (
    AssessmentUpload,
    AssessmentWindow,
    Pupil,
    PupilYear,
    TeacherAssessment,
    UploadStatus,
)
from evaluation.pseudonym import upn_hash
from evaluation.reports import RESULT_COLUMNS
from evaluation.services import later_upload
from evaluation.standards import CODES, STANDARDS, in_words
from evaluation.upn import normalise_upn
from evaluation.validation import ResultsValidator
from schools.academic_year import academic_year_label, academic_year_of, academic_year_start
from schools.year_groups import YEAR_GROUP_LABELS, YEAR_GROUP_SHORT_LABELS
from visits.forms import VisitForm

from .evaluation.files import make_upn
from .factories import StaffMemberFactory, WorkGroupFactory

# The academic year


@pytest.mark.parametrize(
    ("day", "year"),
    [(date(2025, 8, 31), 2024), (date(2025, 9, 1), 2025), (date(2026, 7, 31), 2025)],
)
def test_it_dates_the_academic_year_from_september(day, year):
    assert academic_year_of(day) == year
    assert academic_year_start(year) <= day < academic_year_start(year + 1)


def test_it_names_a_year_as_schools_do():
    assert academic_year_label(2025) == "2025/26"
    assert academic_year_label(2099) == "2099/00"


@pytest.mark.django_db
def test_it_gives_the_models_and_the_work_group_list_the_one_label(client, world):
    work_group = WorkGroupFactory(programme=world.programme, name="Cluster", academic_year=2025)
    assert str(work_group) == "Cluster (2025/26)"
    assert str(PupilYear(pupil=Pupil(upn_hash="ab" * 32), academic_year=2025)) == (
        "Pupil abababab in 2025/26"
    )
    client.force_login(world.hub_lead)
    page = client.get(reverse("workgroups:list", args=[world.programme.slug])).content.decode()
    assert "2025/26" in page


@pytest.mark.django_db
def test_it_starts_the_governor_report_at_the_academic_year_of_today(client, world):
    client.force_login(world.governor_a)
    url = reverse("dashboards:governor_report", args=[world.school_a.urn])
    for today, start in [("2026-08-31", "2025-09-01"), ("2026-09-01", "2026-09-01")]:
        with time_machine.travel(f"{today} 12:00", tick=False):
            form = client.get(url).context["form"]
        assert form["start"].value() == date.fromisoformat(start)


@pytest.mark.django_db
def test_it_finds_a_later_upload_of_the_same_academic_year_only(world):
    def imported(day: date, at: str) -> AssessmentUpload:
        other = AssessmentWindow.objects.create(
            programme=world.programme, slug=f"w-{day}", name=str(day), kind="interim", date=day
        )
        upload = AssessmentUpload.objects.create(
            window=other, uploaded_by=world.hub_lead, status=UploadStatus.IMPORTED
        )
        AssessmentUpload.objects.filter(pk=upload.pk).update(imported_at=at)
        upload.refresh_from_db()
        return upload

    first = imported(date(2025, 9, 1), "2026-01-01T00:00Z")
    imported(date(2026, 9, 1), "2026-02-01T00:00Z")  # the next academic year
    assert later_upload(first) is None
    same_year = imported(date(2026, 8, 31), "2026-03-01T00:00Z")
    assert later_upload(first) == same_year


# The UPN's normalisation before hashing


def test_it_normalises_a_upn_the_same_way_for_the_upload_and_the_hash():
    upn = make_upn(1)
    typed = f" {upn[:4].lower()} {upn[4:]}\t"
    assert normalise_upn(typed) == upn
    validator = ResultsValidator(window=AssessmentWindow(programme_id=7), schools={100001: 11})
    header = ["UPN", "URN", "Year group", "Disadvantaged", "Score"]
    (row,) = validator.clean([header, [typed, "100001", "2", "N", "104"]])
    assert row.upn_hash == upn_hash(typed, programme_id=7) == upn_hash(upn, programme_id=7)


# Year groups


def test_it_reads_back_every_year_group_label_the_portal_writes():
    for labels in (YEAR_GROUP_LABELS, YEAR_GROUP_SHORT_LABELS):
        assert {YEAR_GROUPS[label.replace(" ", "").lower()] for label in labels.values()} == set(
            range(14)
        )
        assert all(YEAR_GROUPS[label.replace(" ", "").lower()] == n for n, label in labels.items())


def test_it_gives_the_charts_and_templates_the_one_label():
    assert {n: YEAR_NAMES[n] for n in range(14)} == YEAR_GROUP_LABELS
    template = Template("{% load school_years %}{{ n|year_group }}|{{ none|year_group }}")
    assert template.render(Context({"n": 0, "none": None})) == "Reception|"
    assert Template("{% load school_years %}{{ 6|year_group }}").render(Context()) == "Year 6"


@pytest.mark.django_db
def test_it_labels_the_visit_form_and_the_staff_list_the_one_way(client, world):
    form = VisitForm(school=world.school_a, programmes=[], open_actions=[])
    assert dict(form.fields["year_groups"].choices)[0] == YEAR_GROUP_LABELS[0]
    StaffMemberFactory(school=world.school_a, full_name="Ada Reception", year_group=0)
    client.force_login(world.head_a)
    page = client.get(reverse("schools:staff", args=[world.school_a.urn])).content.decode()
    assert re.search(r"Ada Reception.*?, Reception</td>", page, re.S)


# Teacher-assessment codes


def test_it_takes_the_choices_and_their_order_from_the_one_list():
    assert TeacherAssessment.values == list(STANDARDS)
    assert list(CODES) == ["", *STANDARDS]
    assert [CODES[code] for code in STANDARDS] == [1, 2, 3, 4]
    assert in_words() == "PKF, WTS, EXS or GDS"


@pytest.mark.django_db
def test_it_ranks_the_stored_codes_in_sql_as_the_engine_does():
    sql, _ = RESULT_COLUMNS["code"]
    values = ", ".join(f"('{code}')" for code in CODES)
    with connection.cursor() as cursor:
        # A common table expression names the column on SQLite too.
        cursor.execute(f"WITH t(standard) AS (VALUES {values}) SELECT standard, {sql} FROM t")  # noqa: S608
        assert dict(cursor.fetchall()) == CODES


@pytest.mark.django_db
def test_it_lists_the_codes_on_the_pages_and_in_the_readme(client, world):
    client.force_login(world.head_a)
    for name in ("evaluation:upload_new", "evaluation:method"):
        assert in_words() in client.get(reverse(name)).content.decode()
    readme = (Path(settings.BASE_DIR) / "README.md").read_text()
    assert "/".join(STANDARDS) in readme
    assert ", ".join(STANDARDS) in readme
