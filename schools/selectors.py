from django.db.models import QuerySet

from programmes.models import Enrolment

from .models import School, SchoolRegisterImport


def school_enrolments(*, school: School) -> QuerySet[Enrolment]:
    return school.enrolments.select_related("cohort__programme").order_by("-cohort__start_date")


def schools_with_local_authority(schools: QuerySet[School]) -> QuerySet[School]:
    return schools.select_related("local_authority").order_by("local_authority__name", "name")


def register_imports() -> QuerySet[SchoolRegisterImport]:
    # The file itself can be tens of megabytes: never load it to show a status.
    return SchoolRegisterImport.objects.defer("content").select_related("uploaded_by")


def recent_register_imports(limit: int = 10) -> QuerySet[SchoolRegisterImport]:
    return register_imports()[:limit]
