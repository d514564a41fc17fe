from django.db.models import Count, QuerySet

from schools.models import LocalAuthority

from .models import Cohort, Programme


def cohorts_with_school_counts(*, programme: Programme) -> QuerySet[Cohort]:
    return programme.cohorts.annotate(school_count=Count("enrolments")).order_by("start_date")


def local_authorities_with_school_counts(*, programme: Programme) -> QuerySet[LocalAuthority]:
    return (
        LocalAuthority.objects.filter(schools__enrolments__cohort__programme=programme)
        .annotate(school_count=Count("schools__enrolments"))
        .order_by("-school_count", "name")
    )


def programmes_with_school_counts(programmes: QuerySet[Programme]) -> QuerySet[Programme]:
    return programmes.annotate(school_count=Count("cohorts__enrolments")).order_by(
        "-start_date", "name"
    )
