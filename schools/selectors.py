from django.db.models import QuerySet
from django.utils import timezone

from .models import School, SchoolRegisterImport, StaffMember


def schools_with_local_authority(schools: QuerySet[School]) -> QuerySet[School]:
    return schools.select_related("local_authority").order_by("local_authority__name", "name")


def register_imports() -> QuerySet[SchoolRegisterImport]:
    # The file itself can be tens of megabytes: never load it to show a status.
    return SchoolRegisterImport.objects.defer("content").select_related("uploaded_by")


def recent_register_imports(limit: int = 10) -> QuerySet[SchoolRegisterImport]:
    return register_imports()[:limit]


def staff_of(*, school: School) -> tuple[list[StaffMember], list[StaffMember]]:
    """Current and former staff of a school: former ones stay on record so that staff
    changes can be seen."""
    today = timezone.localdate()
    staff = list(school.staff.order_by("role", "full_name"))
    current = [s for s in staff if s.end_date is None or s.end_date >= today]
    former = [s for s in staff if s.end_date is not None and s.end_date < today]
    return current, former
