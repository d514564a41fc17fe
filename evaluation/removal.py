"""What a rollback or a retention deletion would remove, counted before anyone confirms it:
the same rows as evaluation.staging.roll_back and evaluation.retention delete, each count in
one query whatever the size of the data."""

from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery

from programmes.models import ComparisonSchool, Enrolment, Programme
from schools.academic_year import academic_year_of
from schools.models import School

from .models import (
    AssessmentUpload,
    AssessmentWindow,
    Pupil,
    PupilYear,
    Result,
    ResultRevision,
    UploadStatus,
)


@dataclass(frozen=True)
class SchoolResults:
    name: str
    removed: int
    restored: int


@dataclass(frozen=True)
class RollbackRemoval:
    """An upload's rollback: the results it added (removed) and those it changed (put back as
    they were), by school, and the pupils only it named."""

    schools: list[SchoolResults]
    pupils: int

    @property
    def removed(self) -> int:
        return sum(school.removed for school in self.schools)

    @property
    def restored(self) -> int:
        return sum(school.restored for school in self.schools)


def upload_rollback_removal(*, upload: AssessmentUpload) -> RollbackRemoval:
    revised = Exists(ResultRevision.objects.filter(upload=upload, result=OuterRef("pk")))
    school_that_year = PupilYear.objects.filter(
        pupil=OuterRef("pupil"), academic_year=academic_year_of(upload.window.date)
    ).values("school__name")[:1]
    by_school = (
        Result.objects.filter(upload=upload)
        .annotate(school_name=Subquery(school_that_year))
        .values("school_name")
        .annotate(removed=Count("pk", filter=~revised), restored=Count("pk", filter=revised))
        .order_by("school_name")
    )
    # A pupil first named by this upload stays only if a later upload (of another year) also
    # has them: the rollback keeps what others wrote.
    pupils = (
        Pupil.objects.filter(first_upload=upload)
        .exclude(Exists(Result.objects.filter(pupil=OuterRef("pk")).exclude(upload=upload)))
        .exclude(Exists(PupilYear.objects.filter(pupil=OuterRef("pk")).exclude(upload=upload)))
    )
    schools = [
        SchoolResults(row["school_name"] or "No school recorded", row["removed"], row["restored"])
        for row in by_school
    ]
    return RollbackRemoval(schools=schools, pupils=pupils.count())


@dataclass(frozen=True)
class PupilDataRemoval:
    """A retention deletion: results, pupils' details for a year, pupils, and the uploads
    whose files and problem lists go too; `programmes` have their reports recalculated."""

    results: int
    pupil_years: int
    pupils: int
    uploads: int
    programmes: list[str] = field(default_factory=list)


def _school_results(school: School) -> Q:
    """The results retention.school_pupil_data_delete deletes: of each window, those of the
    pupils who were at the school in that window's academic year."""
    by_year: dict[int, list[int]] = {}
    for pk, day in AssessmentWindow.objects.values_list("pk", "date"):
        by_year.setdefault(academic_year_of(day), []).append(pk)
    chosen = Q(pk__in=[])
    for year, window_ids in by_year.items():
        at_school = PupilYear.objects.filter(school=school, academic_year=year)
        chosen |= Q(window_id__in=window_ids, pupil_id__in=at_school.values("pupil_id"))
    return chosen


def school_pupil_data_removal(*, school: School) -> PupilDataRemoval:
    deleted = _school_results(school)
    results = Result.objects.filter(deleted)
    per_programme = results.values("window__programme_id", "window__programme__name")
    by_programme = list(per_programme.annotate(n=Count("pk")))
    # Every pupil left with neither a result nor a year's details is deleted.
    pupils = Pupil.objects.exclude(
        Exists(PupilYear.objects.filter(pupil=OuterRef("pk")).exclude(school=school))
    ).exclude(Exists(Result.objects.filter(pupil=OuterRef("pk")).exclude(deleted)))
    return PupilDataRemoval(
        results=sum(row["n"] for row in by_programme),
        pupil_years=PupilYear.objects.filter(school=school).count(),
        pupils=pupils.count(),
        uploads=school_uploads_touched(
            school=school, programme_ids=results.values("window__programme_id")
        ).count(),
        programmes=sorted(row["window__programme__name"] for row in by_programme),
    )


def school_uploads_touched(*, school: School, programme_ids) -> QuerySet[AssessmentUpload]:
    """The uploads that hold or may hold the school's pupils: its own leaders', and hub leads'
    (for no one school) to the given programmes (ids, or a query of them) and to every
    programme it takes part in."""
    programmes = Programme.objects.filter(
        Q(pk__in=programme_ids)
        | Q(pk__in=Enrolment.objects.filter(school=school).values("programme_id"))
        | Q(pk__in=ComparisonSchool.objects.filter(school=school).values("programme_id"))
    )
    return AssessmentUpload.objects.filter(
        Q(school=school) | Q(school__isnull=True, window__programme__in=programmes)
    )


def programme_pupil_data_removal(*, programme: Programme) -> PupilDataRemoval:
    uploads = AssessmentUpload.objects.filter(window__programme=programme).exclude(
        status=UploadStatus.DELETED
    )
    return PupilDataRemoval(
        results=Result.objects.filter(window__programme=programme).count(),
        pupil_years=PupilYear.objects.filter(programme=programme).count(),
        pupils=Pupil.objects.filter(programme=programme).count(),
        uploads=uploads.count(),
        programmes=[programme.name],
    )
