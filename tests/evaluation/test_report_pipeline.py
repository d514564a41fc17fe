"""The reference's figures through the real upload pipeline: a few generated programmes are
set up in the database, each window written out as a CSV or Excel file of the kind an
information system exports (names and dates of birth included, rows shuffled), uploaded,
checked and confirmed as a hub lead would, and the stored report compared with the answer key
(tests/reference/) entry by entry."""

import dataclasses
import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from accounts.models import Role
from evaluation import selectors
from evaluation.models import AssessmentWindow, NationalReference
from programmes.models import ComparisonSchool, Enrolment
from tests.reference import reference_report
from tests.reference.compare import attainment_key, compare_entries, progress_key
from tests.reference.generate import programmes
from tests.reference.model import Programme
from workgroups.services import work_group_catalogue_ensure

from ..factories import (
    CohortFactory,
    LocalAuthorityFactory,
    ProgrammeFactory,
    SchoolFactory,
    UserFactory,
    WorkGroupFactory,
    give_role,
)
from .files import HEADER, make_upn, results_csv, results_xlsx

CODES = {1: "PKF", 2: "WTS", 3: "EXS", 4: "GDS"}


def _in_database(described: Programme) -> tuple[Programme, dict]:
    """The programme's schools, scopes and windows in the database; the description with
    the database's ids in place of the generated ones, and the windows by slug. Rows at a
    school outside the programme are left out: a hub's file cannot hold them."""
    programme = ProgrammeFactory(name=described.name)
    authority_of = {s: la for la, _, schools in described.local_authorities for s in schools}
    authorities = {la: LocalAuthorityFactory(code=900 + la, name=name)
                   for la, name, _ in described.local_authorities}  # fmt: skip
    school = {
        s: SchoolFactory(
            name=described.school_names[s],
            urn=300000 + n,
            local_authority=authorities.get(authority_of.get(s)) or LocalAuthorityFactory(code=990),
        )  # fmt: skip
        for n, s in enumerate(described.enrolled + described.comparison)
    }
    cohorts = {}
    for cohort_id, name, schools in described.cohorts:
        cohorts[cohort_id] = CohortFactory(programme=programme, name=name)
        for s in schools:
            Enrolment.objects.create(programme=programme, cohort=cohorts[cohort_id],
                                     school=school[s])  # fmt: skip
    for s in described.comparison:
        ComparisonSchool.objects.create(programme=programme, school=school[s])
    groups = {}
    for group_id, name, schools in described.work_groups:
        groups[group_id] = WorkGroupFactory(programme=programme, name=name)
        groups[group_id].schools.set([school[s] for s in schools])
    windows = {w.slug: _window(programme, w, n) for n, w in enumerate(described.windows)}

    def ids(parts, made):
        return tuple((made[i].pk, name, tuple(school[s].pk for s in schools))
                     for i, name, schools in parts)  # fmt: skip

    def rows(window):
        return tuple(dataclasses.replace(r, school=school[r.school].pk)
                     for r in window.rows if r.school in school)  # fmt: skip

    translated = dataclasses.replace(
        described, id=programme.pk, enrolled=tuple(school[s].pk for s in described.enrolled),
        comparison=tuple(school[s].pk for s in described.comparison),
        cohorts=ids(described.cohorts, cohorts),
        local_authorities=ids(described.local_authorities, authorities),
        work_groups=ids(described.work_groups, groups),
        school_names={school[s].pk: name for s, name in described.school_names.items()
                      if s in school},
        windows=tuple(dataclasses.replace(w, rows=rows(w)) for w in described.windows),
    )  # fmt: skip
    return translated, windows


def _window(programme, described, number: int) -> AssessmentWindow:
    """Windows of one academic year a month or so apart, from late September."""
    national = None
    if described.national:
        national = NationalReference.objects.create(
            name=described.national["name"], academic_year=2024,
            pct_expected_non_disadvantaged=Decimal(
                str(described.national["pct_expected_non_disadvantaged"])),
            pct_expected_non_send=Decimal(str(described.national["pct_expected_non_send"])),
        )  # fmt: skip
    return AssessmentWindow.objects.create(
        programme=programme, slug=described.slug, name=described.slug, kind="interim",
        date=date(described.academic_year, 9, 20) + timedelta(days=40 * number),
        expected_threshold=described.expected, higher_threshold=described.higher,
        scale_min=described.expected - 5, scale_max=described.higher + 3,
        teacher_assessment=any(r.code for r in described.rows), national_reference=national,
    )  # fmt: skip


def _file_rows(window, urns: dict[int, int], serials: dict[int, int]) -> list[dict]:
    """The window's rows as an information system exports them; a row with neither a score
    nor a code is no result, and no school would send it."""
    rows = []
    for r in window.rows:
        if r.score is None and not r.code:
            continue
        score = "" if r.score is None else str(r.score.numerator / r.score.denominator)
        rows.append({
            "UPN": make_upn(serials[r.pupil]), "Forename": "Zoë", "Surname": "O’Connor",
            "DOB": "2017-03-14", "URN": str(urns[r.school]),
            "Year Group": "R" if r.year_group == 0 else f"Year {r.year_group}",
            "Pupil Premium": "Y" if r.disadvantaged else "N", "SEN": "K" if r.send else "",
            "EAL": {-1: "", 0: "N", 1: "Y"}[r.eal], "Gender": {0: "", 1: "F", 2: "M"}[r.gender],
            "Scaled Score": score.removesuffix(".0"), "TA": CODES.get(r.code, ""),
        })  # fmt: skip
    return rows


def _upload_all(described: Programme, windows: dict, send_file, act, shuffle) -> None:
    urns = dict(Enrolment.objects.values_list("school_id", "school__urn"))
    urns |= dict(ComparisonSchool.objects.values_list("school_id", "school__urn"))
    pupils = sorted({r.pupil for w in described.windows for r in w.rows})
    serials = {pupil: n for n, pupil in enumerate(pupils)}
    for window in described.windows:
        rows = _file_rows(window, urns, serials)
        if not rows:
            continue
        shuffle.shuffle(rows)
        as_excel = shuffle.random() < 0.5
        content = results_xlsx(rows, HEADER) if as_excel else results_csv(rows)
        upload = send_file(windows[window.slug], content,
                           name="results.xlsx" if as_excel else "results.csv")  # fmt: skip
        assert upload.status == "ready", (upload.status, upload.errors[:5])
        act(upload, "confirm")
        assert upload.status == "imported", upload.failure


# Each example uploads and imports two or three files: a handful, and no shrinking of a
# failure (hypothesis prints the failing programme whole; test_engine_reference shrinks).
@settings(
    max_examples=10,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(generated=programmes(), seed=st.integers(0, 1000))
def test_the_uploaded_files_give_the_reference_figures(
    generated, seed, client, send_file, act, settings
):
    settings.SUPPRESSION_THRESHOLD = generated.threshold
    with transaction.atomic():  # each example on an empty database
        work_group_catalogue_ensure()  # a transactional test before this one may have emptied it
        described, windows = _in_database(generated)
        lead = UserFactory()
        give_role(lead, Role.HUB_LEAD, programme=windows[described.windows[0].slug].programme)
        client.force_login(lead)
        _upload_all(described, windows, send_file, act, random.Random(seed))
        programme = windows[described.windows[0].slug].programme
        programme.refresh_from_db()
        snapshot = selectors.report_status(programme=programme).snapshot
        document = selectors.report_document(snapshot) if snapshot else {}
        attainment, progress = reference_report(described)
        found = compare_entries("attainment", attainment, document.get("attainment", []),
                                attainment_key)  # fmt: skip
        found += compare_entries("progress", progress, document.get("progress", []),
                                 progress_key)  # fmt: skip
        transaction.set_rollback(True)
    assert not found, f"{len(found)} differences:\n" + "\n".join(found[:60])
