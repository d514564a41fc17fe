import json

from django.core.management.base import BaseCommand, CommandError

from evaluation import reports, selectors
from programmes.models import Programme


class Command(BaseCommand):
    help = (
        "Print a programme's evaluation report (attainment and progress for every scope, year "
        "group and window) as JSON, computing it first if its data has changed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--programme", required=True, help="the programme's slug")

    def handle(self, *args, programme: str, **options):
        try:
            programme_ = Programme.objects.get(slug=programme)
        except Programme.DoesNotExist:
            raise CommandError(f"No programme {programme!r}.") from None
        status = selectors.report_status(programme=programme_)
        snapshot = status.snapshot
        if snapshot is None or not status.current:
            snapshot = reports.report_compute(programme_id=programme_.pk)
        if snapshot is None:
            raise CommandError("The data changed while the report was computing: run again.")
        self.stdout.write(json.dumps(selectors.report_document(snapshot), indent=1))
