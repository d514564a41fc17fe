"""A programme's first file, whose every pupil is new, is written by COPY straight from the
kept rows (evaluation/new_pupils.py). What it stores must be what the file says, and what the
merge of staged rows would have stored, whatever the file's mess."""

from decimal import Decimal
from unittest import mock

import pytest
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evaluation import new_pupils, services, staging
from evaluation.kept_rows import read_kept
from evaluation.models import AssessmentUpload, Pupil, PupilYear, Result, UploadStatus
from evaluation.pseudonym import upn_hash
from schools.year_groups import YEAR_GROUP_LABELS
from tests.services import require_postgresql

from .files import HEADER, make_upn, pupil_row, results_csv

pytestmark = pytest.mark.django_db(transaction=False)


class _Discard(Exception):
    pass


def _imported(world, window, content: bytes) -> AssessmentUpload:
    upload = services.upload_store(
        uploaded_by=world.hub_lead, window=window, school=None,
        file=ContentFile(content, "results.csv"),
    )  # fmt: skip
    services.upload_validate(upload=upload)
    upload.refresh_from_db()
    assert upload.status == UploadStatus.READY, upload.errors
    services.upload_import_now(upload=AssessmentUpload.objects.get(pk=upload.pk), user=None)
    upload.refresh_from_db()
    assert upload.status == UploadStatus.IMPORTED, upload.errors
    return upload


def _stored(programme_id: int) -> dict:
    """Each pupil's year and result, by UPN hash, as the tables hold them."""
    years = {
        y.pupil.upn_hash: (
            y.programme_id, y.academic_year, y.school_id, y.year_group, y.disadvantaged,
            y.send, y.eal, y.gender,
        )
        for y in PupilYear.objects.select_related("pupil")
    }  # fmt: skip
    results = {
        r.pupil.upn_hash: (r.window_id, r.score, r.standard)
        for r in Result.objects.select_related("pupil")
    }
    assert set(Pupil.objects.values_list("programme_id", flat=True)) <= {programme_id}
    return {"years": years, "results": results, "pupils": Pupil.objects.count()}


def _expected(world, window, rows: list[dict], columns: list[str]) -> dict:
    """What the file says, by the definitions of its columns (not by the import's code)."""
    year_of = {label: number for number, label in YEAR_GROUP_LABELS.items()}
    school = {world.school_a.urn: world.school_a.pk}
    years, results = {}, {}
    for row in rows:
        key = upn_hash(row["UPN"], programme_id=world.programme.pk)
        eal = {"Y": True, "N": False}.get(row["EAL"]) if "EAL" in columns else None
        years[key] = (
            world.programme.pk, 2025, school[int(row["URN"])], year_of[row["Year Group"]],
            row["Pupil Premium"] == "Y", row["SEN"] or "N", eal,
            row["Gender"] if "Gender" in columns else "",
        )  # fmt: skip
        score = Decimal(row["Scaled Score"]) if row["Scaled Score"] else None
        results[key] = (window.pk, score, row["TA"])
    return {"years": years, "results": results, "pupils": len(rows)}


def _import_and_read(world, window, content: bytes, *, merge: bool) -> dict:
    """Import the file in a savepoint that is then rolled back, by the merge or by COPY."""
    blocked = mock.patch.object(new_pupils, "pupil_ids", return_value=None) if merge else None
    try:
        with transaction.atomic():
            with blocked or mock.patch.object(new_pupils, "CHUNK", 300):
                _imported(world, window, content)
            stored = _stored(world.programme.pk)
            raise _Discard
    except _Discard:
        return stored


pupils = st.lists(
    st.fixed_dictionaries(
        {
            "Year Group": st.sampled_from(["Year 1", "Year 2", "Year 6"]),
            "Pupil Premium": st.sampled_from("YN"),
            "SEN": st.sampled_from(["", "K", "E"]),
            "EAL": st.sampled_from(["", "Y", "N"]),
            "Gender": st.sampled_from(["M", "F"]),
            "Scaled Score": st.sampled_from(["", "80", "99", "100", "120"]),
            "TA": st.sampled_from(["", "WTS", "EXS", "GDS"]),
        }
    ).filter(lambda row: row["Scaled Score"] or row["TA"]),
    min_size=1,
    max_size=40,
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(pupils=pupils, serials=st.randoms(use_true_random=False), without=st.sets(
    st.sampled_from(["EAL", "Gender"])))  # fmt: skip
def test_the_copy_of_new_pupils_stores_what_the_file_says_as_the_merge_would(
    world, window, media, pupils, serials, without
):
    numbers = serials.sample(range(1, 999), len(pupils))  # pupils in no order of theirs
    rows = [
        {**pupil_row(n, world.school_a.urn), **pupil}
        for n, pupil in zip(numbers, pupils, strict=True)
    ]
    columns = [column for column in HEADER if column not in without]
    content = results_csv(rows, header=columns)
    by_copy = _import_and_read(world, window, content, merge=False)
    assert by_copy == _expected(world, window, rows, columns)
    assert by_copy == _import_and_read(world, window, content, merge=True)


def test_a_first_file_is_copied_without_staging(world, window, media):
    require_postgresql()  # SQLite has no COPY: its files are always merged
    rows = [pupil_row(n, world.school_a.urn) for n in range(5)]
    with CaptureQueriesContext(connection) as queries:
        upload = _imported(world, window, results_csv(rows))
    written = [q["sql"] for q in queries.captured_queries]
    import_started = next(i for i, sql in enumerate(written) if "FOR UPDATE" in sql)
    assert not any(staging.STAGING in sql for sql in written[import_started:])
    # The COPYs run on the driver's own cursor, which Django does not see: the ids taken for
    # them, and the rows written, show that they ran.
    assert sum("generate_series" in sql for sql in written[import_started:]) == 1
    assert upload.created == upload.new_pupils == 5
    assert Result.objects.filter(upload=upload).count() == 5


def test_a_file_with_a_stored_pupil_is_merged(world, window, media):
    Pupil.objects.create(
        programme=world.programme, upn_hash=upn_hash(make_upn(3), programme_id=world.programme.pk)
    )
    rows = [pupil_row(n, world.school_a.urn) for n in range(5)]
    with mock.patch.object(new_pupils, "NewPupils", side_effect=AssertionError("copied")):
        upload = _imported(world, window, results_csv(rows))
    assert (upload.created, upload.new_pupils) == (5, 4)


def test_the_ids_taken_are_a_block_of_the_pupils_sequence(world):
    require_postgresql()  # SQLite has no COPY: its files are always merged
    ids = new_pupils.pupil_ids(1_000)
    assert len(ids) == 1_000
    assert Pupil.objects.create(programme=world.programme, upn_hash="a" * 64).pk == ids[-1] + 1


def test_a_miscount_of_kept_rows_writes_nothing(world, window, media):
    require_postgresql()  # SQLite has no COPY: its files are always merged
    rows = [pupil_row(n, world.school_a.urn) for n in range(4)]
    real = new_pupils.writer

    def one_short(upload, merge, *, rows):
        return real(upload, merge, rows=rows - 1)

    with mock.patch.object(new_pupils, "writer", one_short), pytest.raises(RuntimeError):
        _imported(world, window, results_csv(rows))
    assert not Pupil.objects.exists()


def test_a_first_files_preview_counts_without_joining_what_a_join_would_count(
    world, window, school_c, previewed
):
    """With no pupil in the programme yet, the preview counts each school's rows (every one a
    new pupil with a new result) without statistics or joins: the counts the joins give."""
    urns = [world.school_a.urn, school_c.urn]
    upload = previewed(window, [pupil_row(n, urns[n % 3 == 0]) for n in range(1, 12)])
    merge = staging.Merge(upload, columns=set(upload.summary["columns"]), academic_year=2025)
    with transaction.atomic():
        with upload.staged.open("rb") as kept, read_kept(kept) as text:
            staging.stage_kept(text)
        assert not Pupil.objects.filter(programme=world.programme).exists()
        counted = sorted(merge._counted_all_new())
        assert counted == sorted(merge._counted())
    assert counted == sorted([(world.school_a.pk, 8, 8, 8, 0, 0), (school_c.pk, 3, 3, 3, 0, 0)])
    assert upload.summary["stored"] == {"pupils": 0, "results": 0, "years": 0}
