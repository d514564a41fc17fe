from django.core.management.base import BaseCommand

from evaluation.lifecycle import reports_out_of_date_queue


class Command(BaseCommand):
    help = (
        "Queue the report of every programme whose latest report is out of date: computed "
        "with another suppression threshold than SUPPRESSION_THRESHOLD now says, or by an "
        "engine that gave fewer figures (workers do this as they start; without a broker, "
        "as under `make run`, the reports are computed here)."
    )

    def handle(self, *args, **options):
        queued = reports_out_of_date_queue()
        self.stdout.write(f"{len(queued)} report(s) out of date queued")
