from pathlib import Path

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from evaluation import services
from evaluation.models import AssessmentWindow, UploadStatus
from evaluation.upload_ctf import ctf_lines


class Command(BaseCommand):
    help = (
        "Check and import a results file (CSV, XLSX, or a Common Transfer File with "
        "--ctf-key-stage) for one assessment window, as the upload page does. A file with "
        "any error changes nothing and the command fails."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--programme", required=True, help="the programme's slug")
        parser.add_argument("--window", required=True, help="the assessment window's slug")
        parser.add_argument(
            "--dry-run", action="store_true", help="check and show what would change; write nothing"
        )
        ctf = parser.add_argument_group("a Common Transfer File: which maths results to take")
        ctf.add_argument("--ctf-key-stage", default="", help="KS1, KS2 or KS3")
        ctf.add_argument("--ctf-year", default="", help="the year of the results; default any")
        ctf.add_argument("--ctf-method", default="", help="TT (tests) or TA; default both")
        ctf.add_argument("--ctf-component", default="", help="as the CTF names it; default any")

    def handle(self, *args, file: Path, programme: str, window: str, dry_run: bool, **options):
        ctf = {
            key: str(options[f"ctf_{key}"]).strip().upper()
            for key in ("key_stage", "year", "method", "component")
        }
        try:
            window_ = AssessmentWindow.objects.select_related("programme").get(
                programme__slug=programme, slug=window
            )
        except AssessmentWindow.DoesNotExist:
            raise CommandError(f"No window {window!r} in programme {programme!r}.") from None
        if not file.is_file():
            raise CommandError(f"Cannot read {file}.")
        with file.open("rb") as handle:
            upload = services.upload_store(
                uploaded_by=None,
                window=window_,
                school=None,
                file=File(handle, name=file.name),
                ctf=ctf if ctf["key_stage"] else None,
            )
        try:
            services.upload_validate(upload=upload)
        except Exception as error:
            # The upload is marked failed; the command says so, as the upload page does.
            raise CommandError(
                f"The check broke, and nothing was imported (upload {upload.pk}, "
                f"{type(error).__name__}): tell the site admin."
            ) from error
        upload.refresh_from_db()
        if upload.status == UploadStatus.INVALID:
            report = bytes(upload.error_report or b"").decode("utf-8").splitlines()[1:]
            for line in report or [e["reason"] for e in upload.errors]:
                self.stderr.write(line)
            raise CommandError(
                f"Nothing was imported: {upload.error_count} problem(s) "
                "(row, column, value, problem)."
            )
        self._summary(upload)
        if dry_run:
            self.stdout.write(
                f"Dry run: nothing imported (upload {upload.pk} awaits confirmation)."
            )
            return
        services.upload_import_now(upload=upload)
        upload.refresh_from_db()
        self.stdout.write(
            f"Imported: created {upload.created}, updated {upload.updated}, "
            f"unchanged {upload.unchanged}, new pupils {upload.new_pupils}."
        )

    def _summary(self, upload) -> None:
        if ctf := upload.summary.get("ctf_tally"):
            self.stdout.write(ctf_lines(ctf))
        self.stdout.write("URN     new pupils  new  updated  unchanged  school")
        for school in upload.summary["schools"]:
            self.stdout.write(
                f"{school['urn']:<7} {school['new_pupils']:>10} {school['created']:>4} "
                f"{school['updated']:>8} {school['unchanged']:>10}  {school['name']}"
            )
