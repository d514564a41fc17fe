from celery import shared_task
from django.utils import timezone

from .services import reminders_run


@shared_task
def send_due_reminders() -> dict[str, int]:
    """Beat sends this every few minutes. Safe to run twice, or late after a worker was down:
    the ledger sends each reminder once."""
    return reminders_run(now=timezone.now())
