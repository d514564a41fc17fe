from celery import shared_task

from .models import SchoolRegisterImport
from .photos import visit_photo_fail, visit_photo_process
from .services import school_register_import_run


@shared_task
def run_school_register_import(register_import_id: int) -> None:
    register_import = SchoolRegisterImport.objects.filter(pk=register_import_id).first()
    if register_import is not None:
        school_register_import_run(register_import=register_import)


@shared_task
def process_visit_photo(photo_id: int) -> None:
    """Safe to run twice (see visit_photo_process)."""
    try:
        visit_photo_process(photo_id=photo_id)
    except Exception:
        # Say so on the photo, then let Celery record the error.
        visit_photo_fail(photo_id=photo_id)
        raise
