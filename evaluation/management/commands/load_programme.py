from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from evaluation.programme_file import ProgrammeFileInvalid, read_programme_file
from evaluation.programme_loading import programme_load


class Command(BaseCommand):
    help = (
        "Create or update a programme, its cohorts, schools, comparison schools and assessment "
        "windows from a JSON file (format in the README). All or nothing, and idempotent. "
        "A site admin's command: the schools listed are enrolled (or compared with) at once, "
        "with no invitation, each recorded in the audit log."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        try:
            spec = read_programme_file(file.read_bytes())
            tallies = programme_load(spec=spec)
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from error
        except ProgrammeFileInvalid as invalid:
            for error in invalid.errors:
                self.stderr.write(error)
            raise CommandError(f"Nothing was changed: {len(invalid.errors)} problem(s).") from None
        self.stdout.write(f"Programme {spec.slug}:")
        for name, tally in tallies.items():
            self.stdout.write(f"  {name:<11} {tally}")
