"""Migration 0007 splits each pupil stored before pupils were per programme into one pupil per
programme that holds them, without their UPN (never stored): each programme's copy of their
details as its own uploads last wrote them, each result with its programme's pupil."""

import hashlib
import hmac
from datetime import UTC, date, datetime

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.models import F

from evaluation import staging
from evaluation.models import AssessmentUpload, Pupil, PupilYear, PupilYearRevision, Result
from evaluation.pseudonym import upn_hash

from ..factories import EnrolmentFactory, SchoolFactory
from .files import make_upn

BEFORE = [("evaluation", "0006_upload_files_expired")]
AFTER = [("evaluation", "0007_pupils_per_programme")]
YEAR = ("school_id", "year_group", "disadvantaged", "send", "eal", "gender", "upload_id")


def _stored_hash(serial: int) -> str:
    """How pupils were stored before: the keyed hash of the UPN, the same in every programme."""
    key = settings.PUPIL_KEY_SECRET.encode()
    return hmac.new(key, make_upn(serial).encode(), hashlib.sha256).hexdigest()


class _Old:
    """Rows made with the models as they were before the migration."""

    def __init__(self, apps):
        self.models = {name: apps.get_model("evaluation", name) for name in (
            "Pupil", "PupilYear", "Result", "AssessmentUpload", "AssessmentWindow",
            "PupilYearRevision")}  # fmt: skip

    def window(self, programme, day):
        model = self.models["AssessmentWindow"]
        return model.objects.create(
            programme_id=programme.pk, slug="baseline", name="Baseline", kind="baseline", date=day
        )

    def upload(self, window, hour):
        return self.models["AssessmentUpload"].objects.create(
            window_id=window.pk, file_name=f"{hour}.csv", file_sha256="0" * 64,
            status="imported", imported_at=datetime(2025, 10, 20, hour, tzinfo=UTC),
        )  # fmt: skip

    def pupil(self, serial, first_upload=None):
        return self.models["Pupil"].objects.create(
            upn_hash=_stored_hash(serial), first_upload_id=getattr(first_upload, "pk", None)
        )

    def year(self, pupil, school, year_group, upload=None, **details):
        return self.models["PupilYear"].objects.create(
            pupil_id=pupil.pk, academic_year=2025, school_id=school.pk, year_group=year_group,
            disadvantaged=details.get("disadvantaged", False), send=details.get("send", "N"),
            eal=details.get("eal"), gender="F", upload_id=getattr(upload, "pk", None),
        )  # fmt: skip

    def revision(self, year, upload, previous, school, year_group, send="N"):
        """What `upload` found, as `previous` had written it."""
        return self.models["PupilYearRevision"].objects.create(
            upload_id=upload.pk, pupil_year_id=year.pk, school_id=school.pk,
            year_group=year_group, disadvantaged=False, send=send, eal=None, gender="F",
            previous_upload_id=previous.pk,
        )  # fmt: skip

    def result(self, pupil, window, score, upload):
        return self.models["Result"].objects.create(
            pupil_id=pupil.pk, window_id=window.pk, score=score, upload_id=upload.pk
        )


def _pupil(serial, programme) -> Pupil:
    return Pupil.objects.get(
        programme=programme, upn_hash=upn_hash(make_upn(serial), programme_id=programme.pk)
    )


def _year(pupil) -> tuple:
    return PupilYear.objects.filter(pupil=pupil).values_list(*YEAR).get()


def _make_old_rows(old, a, b, school_a, school_b):
    """Child 1 is in both programmes: A's upload put them at school A, B's moved them to
    school B. Child 5 too, and A moved them back afterwards. Child 2 is A's only; child 3
    has details but no result, at a school of A's; child 4 is held by no programme."""
    window_a, window_b = old.window(a, date(2025, 9, 22)), old.window(b, date(2025, 10, 6))
    ua, ub, ua2 = old.upload(window_a, 9), old.upload(window_b, 10), old.upload(window_a, 11)
    one = old.pupil(1, first_upload=ua)
    moved = old.year(one, school_b, 3, ub, disadvantaged=True)
    old.revision(moved, ub, ua, school_a, 2, send="K")
    old.result(one, window_a, 100, ua)
    old.result(one, window_b, 90, ub)
    five = old.pupil(5, first_upload=ua)
    back = old.year(five, school_a, 2, ua2, send="E")
    old.revision(back, ub, ua, school_a, 2)
    old.revision(back, ua2, ub, school_b, 4)
    old.result(five, window_a, 104, ua2)
    old.result(five, window_b, 95, ub)
    old.year(two := old.pupil(2, first_upload=ua), school_a, 2, ua)
    old.result(two, window_a, 99, ua)
    old.year(old.pupil(3), school_a, 1)
    old.year(old.pupil(4), SchoolFactory(), 1)
    return ua, ub, ua2


@pytest.mark.django_db(transaction=True)
def test_the_migration_splits_a_pupil_shared_by_two_programmes():
    school_a, school_b = SchoolFactory(), SchoolFactory()
    a = EnrolmentFactory(school=school_a).programme
    b = EnrolmentFactory(school=school_b).programme
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        ua, ub, ua2 = _make_old_rows(_Old(executor.loader.project_state(BEFORE).apps), a, b,
                                     school_a, school_b)  # fmt: skip
        MigrationExecutor(connection).migrate(AFTER)
    finally:
        MigrationExecutor(connection).migrate(executor.loader.graph.leaf_nodes())

    assert Pupil.objects.count() == 6  # 1 and 5 twice, 2 and 3 once, 4 not at all
    ours, theirs = _pupil(1, a), _pupil(1, b)
    # A's copy of child 1 is as A's upload left it, before B moved them; B's as B's has it.
    assert _year(ours) == (school_a.pk, 2, False, "K", None, "F", ua.pk)
    assert _year(theirs) == (school_b.pk, 3, True, "N", None, "F", ub.pk)
    assert list(ours.results.values_list("window__programme", "score")) == [(a.pk, 100)]
    assert list(theirs.results.values_list("window__programme", "score")) == [(b.pk, 90)]
    assert (ours.first_upload_id, theirs.first_upload_id) == (ua.pk, ub.pk)
    # Child 5: A wrote them twice; A's copy keeps the revision between its own two uploads.
    assert _year(_pupil(5, a)) == (school_a.pk, 2, False, "E", None, "F", ua2.pk)
    assert _year(_pupil(5, b)) == (school_b.pk, 4, False, "N", None, "F", ub.pk)
    revision = PupilYearRevision.objects.get()
    assert (revision.pupil_year.pupil, revision.upload_id, revision.previous_upload_id) == (
        _pupil(5, a), ua2.pk, ua.pk,
    )  # fmt: skip
    assert (revision.school, revision.year_group, revision.send) == (school_a, 2, "N")
    assert _year(_pupil(2, a))[0] == school_a.pk
    assert _year(_pupil(3, a)) == (school_a.pk, 1, False, "N", None, "F", None)
    assert PupilYear.objects.count() == 6
    assert not PupilYear.objects.exclude(programme=F("pupil__programme")).exists()
    assert Result.objects.count() == 5

    # Rolling B's upload back now takes B's pupils away, and nothing of A's.
    before = list(PupilYear.objects.filter(pupil__programme=a).order_by("pk").values_list())
    with transaction.atomic():
        staging.roll_back(AssessmentUpload.objects.get(pk=ub.pk))
    assert not Pupil.objects.filter(programme=b).exists()
    assert list(PupilYear.objects.filter(pupil__programme=a).order_by("pk").values_list()) == before


@pytest.mark.django_db(transaction=True)
def test_the_migration_is_undone_only_with_no_pupils_stored():
    school = SchoolFactory()
    programme = EnrolmentFactory(school=school).programme
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)  # with no pupils
    MigrationExecutor(connection).migrate(AFTER)
    Pupil.objects.create(programme=programme, upn_hash="a" * 64)
    with pytest.raises(RuntimeError, match="cannot be undone while pupils are stored"):
        MigrationExecutor(connection).migrate(BEFORE)
    assert Pupil.objects.count() == 1
    MigrationExecutor(connection).migrate(executor.loader.graph.leaf_nodes())
