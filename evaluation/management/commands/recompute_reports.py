from django.core.management.base import BaseCommand

from evaluation.lifecycle import reports_of_another_threshold_queue


class Command(BaseCommand):
    help = (
        "Queue the report of every programme whose latest report was computed with another "
        "suppression threshold than SUPPRESSION_THRESHOLD now says (workers do this as they "
        "start; without a broker, as under `make run`, the reports are computed here)."
    )

    def handle(self, *args, **options):
        queued = reports_of_another_threshold_queue()
        self.stdout.write(f"{len(queued)} report(s) of another threshold queued")
