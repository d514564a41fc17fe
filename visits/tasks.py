from celery import shared_task

from .photos import visit_photo_fail, visit_photo_process


@shared_task
def process_visit_photo(photo_id: int) -> None:
    """Safe to run twice (see visit_photo_process)."""
    try:
        visit_photo_process(photo_id=photo_id)
    except Exception:
        # Say so on the photo, then let Celery record the error.
        visit_photo_fail(photo_id=photo_id)
        raise


# A photo queued before the task moved here from schools/ names it by its old name: that
# message still finds it. Once no such message can be waiting (a release later), this goes.
process_visit_photo_by_old_name = shared_task(name="schools.tasks.process_visit_photo")(
    process_visit_photo.run
)
