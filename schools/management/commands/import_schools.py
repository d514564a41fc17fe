from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from schools.register import RegisterInvalid
from schools.services import schools_upsert_from_register


class Command(BaseCommand):
    help = (
        "Create or update schools from a CSV export of Get Information about Schools (GIAS). "
        "All or nothing: a file with any unusable row changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="the GIAS CSV export")

    def handle(self, *args, file: Path, **options):
        try:
            content = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from error
        try:
            outcome = schools_upsert_from_register(content=content)
        except RegisterInvalid as invalid:
            for error in invalid.errors:
                self.stderr.write(str(error)[:1].upper() + str(error)[1:])
            raise CommandError(
                f"Nothing was imported: {len(invalid.errors)} row(s) need fixing."
            ) from invalid
        self.stdout.write(str(outcome))
