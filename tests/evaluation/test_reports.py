"""The stored report, computed from results that went through the real upload pipeline:
the same six pupils and four comparison pupils as test_engine, worked out by hand there."""

import json
import os
import subprocess
import sys
import threading
from datetime import date
from io import StringIO
from math import sqrt

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse

from evaluation import reports, selectors
from evaluation.models import AssessmentWindow, PupilYear, ReportEntry, ReportSnapshot

from ..services import require_postgresql
from .files import make_upn, pupil_row, results_csv
from .test_engine import COMPARISON, SCHOOL_1


@pytest.fixture
def second_window(world):
    return AssessmentWindow.objects.create(
        programme=world.programme, slug="end", name="End", kind="end", date=date(2026, 6, 22)
    )


def _rows(world, comparison, column):
    rows = []
    for pupil, values in SCHOOL_1.items():
        rows.append(
            {
                "UPN": make_upn(pupil),
                "URN": world.school_a.urn,
                "Year Group": "Y2",
                "Pupil Premium": "Y" if values[2] else "N",
                "SEN": "K" if values[3] else "",
                "Scaled Score": values[column],
            }
        )
    for pupil, values in COMPARISON.items():
        rows.append(
            {
                "UPN": make_upn(pupil),
                "URN": comparison.urn,
                "Year Group": "Y2",
                "Pupil Premium": "N",
                "Scaled Score": values[column],
            }
        )
    return rows


@pytest.fixture
def imported(client, world, window, second_window, comparison, send_file, act):
    client.force_login(world.hub_lead)
    for target, column in ((window, 0), (second_window, 1)):
        act(send_file(target, results_csv(_rows(world, comparison, column))), "confirm")
    world.programme.refresh_from_db()
    return world.programme


def _entry(snapshot, **criteria):
    return snapshot.entries.get(**criteria).figures


def test_each_import_recomputes_the_report_from_the_stored_results(imported, settings):
    assert imported.data_version == 2
    snapshot = selectors.report_status(programme=imported).snapshot
    assert (snapshot.data_version, snapshot.results) == (2, 20)
    assert ReportSnapshot.objects.count() == 1  # older versions are dropped
    baseline = _entry(
        snapshot, kind="attainment", scope_type="programme", year_group=None, window="baseline"
    )
    assert baseline["groups"]["all"] == {
        "n": 6,
        "mean": 102.5,
        "sd": round(sqrt(587.5 / 5), 2),
        "pct_expected": 66.7,
        "pct_higher": 33.3,
        "pct_expected_ci": [30.0, 90.3],  # Wilson for 4 of 6
    }
    # Two disadvantaged pupils: withheld at the default threshold of 5.
    assert baseline["groups"]["disadvantaged"]["suppressed"] is True
    progress = _entry(
        snapshot,
        kind="progress",
        scope_type="programme",
        year_group=2,
        from_window="baseline",
        window="end",
    )
    assert progress["n_matched"] == 6
    assert progress["groups"]["all"]["mean_gain"] == 2.5
    assert progress["effect_size"]["all"] == {"suppressed": True}  # 4 comparison pupils


def test_the_figures_agree_with_the_hand_worked_ones_when_nothing_is_withheld(imported, settings):
    settings.SUPPRESSION_THRESHOLD = 1
    # Computed with another threshold, the stored report is out of date: a new version.
    snapshot = reports.report_compute(programme_id=imported.pk)
    assert (snapshot.data_version, snapshot.threshold) == (3, 1)
    baseline = _entry(
        snapshot,
        kind="attainment",
        scope_type="school",
        scope_id=imported.enrolments.get().school_id,
        year_group=None,
        window="baseline",
    )
    gap = baseline["gap"]["disadvantaged"]
    assert {k: gap[k] for k in ("mean_points", "pct_expected_points", "gap_index")} == {
        "mean_points": 11.25,
        "pct_expected_points": 25.0,
        "gap_index": 6.25,
    }
    # The intervals of these pupils, as tests/evaluation/test_engine.py works them out.
    assert (gap["pct_expected_points_ci"], gap["mean_points_ci"]) == (
        [-35.5, 70.4],
        [-11.31, 33.81],
    )
    effect = _entry(
        snapshot,
        kind="progress",
        scope_type="programme",
        year_group=None,
        from_window="baseline",
        window="end",
    )["effect_size"]["all"]
    pooled = sqrt((382 + 150) / 8)
    g = (1 - 3 / 31) * 2 / pooled
    assert (effect["hedges_g"], effect["months_progress"]) == (round(g, 3), 3)


@pytest.mark.django_db(transaction=True, databases="__all__")
def test_a_worker_reads_pupils_on_a_second_connection_as_of_the_reports_moment(imported):
    """Outside any transaction, as in a worker, the report reads its pupils' details on a
    second connection given the snapshot of its own: a change committed after the report's
    moment is seen by neither connection, and the figures are those of one connection."""
    require_postgresql()
    snapshot = reports.report_compute(programme_id=imported.pk)
    assert reports.compute(imported)[0].attainment == [
        entry.figures for entry in snapshot.entries.filter(kind="attainment").order_by("pk")
    ]
    window = imported.assessment_windows.get(slug="baseline")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        cursor.execute("SELECT pg_export_snapshot()")
        moment = cursor.fetchone()[0]
        elsewhere = threading.Thread(target=_untick_disadvantaged_elsewhere)
        elsewhere.start()
        elsewhere.join()
        assert reports._window_rows(window, moment).disadvantaged.sum() == 2
    assert reports._window_rows(window, None).disadvantaged.sum() == 0


def _untick_disadvantaged_elsewhere():
    try:
        PupilYear.objects.update(disadvantaged=False)
    finally:
        connection.close()


def test_a_rollback_changes_the_data_version_and_the_report(client, world, imported, act):
    upload = world.programme.assessment_windows.get(slug="end").uploads.get()
    act(upload, "rollback")
    imported.refresh_from_db()
    assert imported.data_version == 3
    snapshot = selectors.report_status(programme=imported).snapshot
    assert snapshot.data_version == 3
    assert not snapshot.entries.filter(kind="progress").exists()


def test_a_report_is_stale_until_the_new_one_is_stored(imported):
    imported.data_version += 1
    imported.save(update_fields=["data_version"])
    status = selectors.report_status(programme=imported)
    assert status.stale
    assert status.snapshot.data_version == 2
    reports.report_compute(programme_id=imported.pk)
    assert not selectors.report_status(programme=imported).stale


def test_a_report_overtaken_by_newer_data_is_dropped(imported, monkeypatch):
    from programmes.models import Programme

    real = reports.compute

    def compute_while_an_import_lands(programme, snapshot):
        result = real(programme, snapshot)
        Programme.objects.filter(pk=programme.pk).update(data_version=99)
        return result

    monkeypatch.setattr(reports, "compute", compute_while_an_import_lands)
    ReportSnapshot.objects.all().delete()
    assert reports.report_compute(programme_id=imported.pk) is None
    assert not ReportSnapshot.objects.exists()


def test_it_prints_the_report_as_documented(imported):
    out = StringIO()
    call_command("evaluation_report", "--programme", imported.slug, stdout=out)
    document = json.loads(out.getvalue())
    assert set(document) == {
        "programme", "data_version", "computed_at", "threshold", "attainment", "progress"
    }  # fmt: skip
    assert (document["programme"], document["data_version"]) == (imported.slug, 2)
    assert document["threshold"] == 5  # what it was computed with
    entry = document["attainment"][0]
    assert set(entry) == {"scope", "year_group", "window", "groups", "gap", "coverage"}
    assert entry["coverage"] == {"pupils": entry["groups"]["all"]["n"],
                                 "assessed": entry["groups"]["all"]["n"]}  # fmt: skip
    assert set(entry["groups"]) == {
        "all",
        "disadvantaged",
        "other",
        "send",
        "non_send",
        "eal",
        "non_eal",
        "female",
        "male",
    }
    progress = document["progress"][0]
    assert set(progress) == {
        "scope",
        "year_group",
        "from",
        "to",
        "n_matched",
        "groups",
        "gap_change",
        "effect_size",
        "attrition",
        "bands",
        "transitions",
    }
    assert progress["attrition"]["all"] == {"lost": 0, "of": progress["n_matched"]}
    # Issue 18's figures, as the README's contract gives them.
    all_pupils = entry["groups"]["all"]
    assert set(all_pupils) == {"n", "mean", "sd", "pct_expected", "pct_higher", "pct_expected_ci"}
    low, high = all_pupils["pct_expected_ci"]
    assert low <= all_pupils["pct_expected"] <= high
    assert {"pct_expected_points_ci", "mean_points_ci"} <= set(entry["gap"]["disadvantaged"])
    assert "mean_points_ci" in progress["gap_change"]["disadvantaged"]
    assert len(document["attainment"]) == ReportEntry.objects.filter(kind="attainment").count()


def test_the_dashboard_shows_the_headlines_and_recomputes_on_demand(
    client, world, imported, django_capture_on_commit_callbacks
):
    client.force_login(world.hub_lead)
    page = client.get(reverse("dashboards:programme", args=[imported.slug])).content.decode()
    assert "Calculated" in page
    assert "from 20 results" in page
    assert '<td class="text-end">102.50</td>' in page  # averages to two decimals
    assert "By cohort, at the latest assessment" in page
    assert '"label": "SEND gap"' in page  # the chart's data, with its table beside it
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("evaluation:report_recompute", args=[imported.slug]))
    imported.refresh_from_db()
    assert (
        selectors.report_status(programme=imported).snapshot.data_version
        == imported.data_version
        == 3
    )
    client.force_login(world.head_a)
    assert (
        client.post(reverse("evaluation:report_recompute", args=[imported.slug])).status_code == 404
    )


def test_the_method_page_explains_the_figures(client, world, settings):
    settings.SUPPRESSION_THRESHOLD = 6
    client.force_login(world.governor_a)
    page = client.get(reverse("evaluation:method")).content.decode()
    for phrase in [
        "A positive gap means the group is behind",
        "Hedges",
        "months",
        "Any figure about fewer than 6 pupils is withheld",
        "gap index",
    ]:
        assert phrase in page


def test_dashboards_read_the_stored_report_in_a_constant_number_of_queries(
    client, world, imported, window, send_file, act
):
    from tests.factories import EnrolmentFactory
    from tests.queries import queries_for

    urls = {
        "head_a": reverse("dashboards:school", args=[world.school_a.urn]),
        "governor_a": reverse("dashboards:governor_report", args=[world.school_a.urn]),
        "hub_lead": reverse("dashboards:programme", args=[imported.slug]),
    }

    def count():
        result = {}
        for persona, url in urls.items():
            client.force_login(getattr(world, persona))
            result[persona] = queries_for(client, url)
        return result

    before = count()
    client.force_login(world.hub_lead)
    rows = []
    for n in range(8):
        school = EnrolmentFactory(cohort=world.cohort, school__urn=310000 + n).school
        rows += _rows_for(school, 100 + 10 * n)
    act(send_file(window, results_csv(rows), name="more.csv"), "confirm")
    assert (
        ReportEntry.objects.filter(scope_type="school").values("scope_id").distinct().count() >= 9
    )
    assert count() == before


def _rows_for(school, first):
    return [
        {
            "UPN": make_upn(first + k),
            "URN": school.urn,
            "Year Group": "Y2",
            "Pupil Premium": "N",
            "Scaled Score": 100 + k,
        }
        for k in range(6)
    ]


def test_entries_keep_names_with_commas_quotes_and_backslashes_intact(imported, world):
    """On PostgreSQL the entries go in by COPY, as text: a name must survive its escaping."""
    name = 'St Mary\'s, "Upper" \\ Lower\nSchool\t\\N \\\\t'
    world.school_a.name = name
    world.school_a.save()
    ReportSnapshot.objects.all().delete()
    snapshot = reports.report_compute(programme_id=imported.pk)
    entry = snapshot.entries.get(
        kind="attainment", scope_type="school", scope_id=world.school_a.pk,
        year_group=None, window="baseline",
    )  # fmt: skip
    assert entry.figures["scope"]["name"] == name
    assert (entry.from_window, entry.year_group) == ("", None)
    assert snapshot.entries.filter(kind="progress").exclude(from_window="").exists()
    report, _ = reports.compute(imported)
    assert snapshot.entries.count() == len(report.attainment) + len(report.progress)


def test_each_pupils_details_come_back_from_the_database_as_uploaded(
    client, world, window, send_file, act
):
    """The report reads a pupil's year group, disadvantage, SEN, EAL and gender packed into
    one number: each comes back as it went in, unknowns included."""
    details = [  # year group, pupil premium, SEN, EAL, gender
        ("Year 3", "Y", "K", "Y", "F"),
        ("Year 5", "N", "", "N", "M"),
        ("Year 6", "N", "E", "", ""),
        ("Reception", "Y", "", "Y", "M"),
    ]
    rows = [
        pupil_row(n, world.school_a.urn, **{"Year Group": year, "Pupil Premium": premium,
                                            "SEN": sen, "EAL": eal, "Gender": gender})
        for n, (year, premium, sen, eal, gender) in enumerate(details)
    ]  # fmt: skip
    client.force_login(world.hub_lead)
    act(send_file(window, results_csv(rows)), "confirm")
    read = reports._window_rows(window, None)
    assert sorted(
        zip(read.year_group.tolist(), read.disadvantaged.tolist(), read.send.tolist(),
            read.eal.tolist(), read.gender.tolist(), strict=True)
    ) == [(0, True, False, 1, 2), (3, True, True, 1, 1), (5, False, False, 0, 2),
          (6, False, True, -1, 0)]  # fmt: skip


def test_the_portals_processes_leave_numpy_huge_pages_off():
    """Huge pages made a worker's first report slower (mathsprog/__init__.py)."""
    environment = {k: v for k, v in os.environ.items() if k != "NUMPY_MADVISE_HUGEPAGE"}
    check = "import mathsprog, numpy; print(numpy._core.multiarray._get_madvise_hugepage())"
    result = subprocess.run(  # noqa: S603 - this interpreter, a fixed script
        [sys.executable, "-c", check], env=environment, capture_output=True, text=True
    )
    assert result.stdout.strip() == "False", result.stderr
