from celery import shared_task

from .models import SchoolRegisterImport
from .services import school_register_import_run


@shared_task
def run_school_register_import(register_import_id: int) -> None:
    register_import = SchoolRegisterImport.objects.filter(pk=register_import_id).first()
    if register_import is not None:
        school_register_import_run(register_import=register_import)
