"""`make bench` (or `python -m bench.hostile_files`): files made to cost a worker as much
memory as they can, each checked by a real Celery worker; prints each one's peak memory and
outcome, and fails if any took the worker to HOSTILE_LIMIT_MB or more.

The files are the shapes of issue 16: one CSV row of 31 million cells (93 MB), a workbook of
50 million shared strings (2.4 MB zipped), a workbook cell of 940 MB (under the unpacked-size
cap), and a workbook row of 10 million cells. They are written a piece at a time, in
bench/data/hostile/, and kept for the next run."""

import os
import subprocess
import sys
import time
import uuid
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data" / "hostile"
LIMIT_MB = int(os.environ.get("HOSTILE_LIMIT_MB", 500))
PIECE = 1 << 20

OPC = "http://schemas.openxmlformats.org/"
MAIN = OPC + "spreadsheetml/2006/main"
SPREADSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml."
RELATION = OPC + "officeDocument/2006/relationships/"
CONTENT_TYPES = (
    f'<Types xmlns="{OPC}package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{SPREADSHEET}sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    f'ContentType="{SPREADSHEET}worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    f'ContentType="{SPREADSHEET}sharedStrings+xml"/>'
    "</Types>"
)
PACKAGE_RELS = (
    f'<Relationships xmlns="{OPC}package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{RELATION}officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
WORKBOOK = (
    f'<workbook xmlns="{MAIN}" xmlns:r="{OPC}officeDocument/2006/relationships">'
    '<sheets><sheet name="Results" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    f'<Relationships xmlns="{OPC}package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{RELATION}worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{RELATION}sharedStrings" Target="sharedStrings.xml"/>'
    "</Relationships>"
)
SHEET_START = (
    f'<worksheet xmlns="{MAIN}"><sheetData>'
    '<row r="1"><c r="A1" t="inlineStr"><is><t>UPN</t></is></c></row>'
)
SHEET_END = "</sheetData></worksheet>"


def _repeated(member, text: bytes, times: int) -> None:
    """Write `text` `times` times to an open member, a piece at a time."""
    per_piece = max(PIECE // len(text), 1)
    piece = text * per_piece
    for _ in range(times // per_piece):
        member.write(piece)
    member.write(text * (times % per_piece))


def _workbook(path: Path, sheet_parts, strings_parts=()) -> None:
    """A workbook whose sheet and shared strings are written from lists of (text, times)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in (
            ("[Content_Types].xml", CONTENT_TYPES),
            ("_rels/.rels", PACKAGE_RELS),
            ("xl/workbook.xml", WORKBOOK),
            ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
        ):
            archive.writestr(name, content)
        for name, parts in (
            ("xl/worksheets/sheet1.xml", sheet_parts),
            ("xl/sharedStrings.xml", strings_parts),
        ):
            with archive.open(name, "w", force_zip64=True) as member:
                for text, times in parts or [(f'<sst xmlns="{MAIN}"/>', 1)]:
                    _repeated(member, text.encode(), times)


def csv_long_row(path: Path, cells: int) -> None:
    """A header, then one row of `cells` cells of two characters."""
    with path.open("wb") as handle:
        handle.write(b"UPN,URN,Year,Disadvantaged,Score\n")
        _repeated(handle, b"ab,", cells)
        handle.write(b"\n")


def xlsx_shared_strings(path: Path, count: int) -> None:
    """`count` shared strings of one character each (the table says it has one: the count is
    not to be trusted)."""
    strings = [(f'<sst xmlns="{MAIN}" count="1" uniqueCount="1">', 1),
               ("<si><t>a</t></si>", count), ("</sst>", 1)]  # fmt: skip
    _workbook(path, [(SHEET_START + SHEET_END, 1)], strings)


def xlsx_long_cell(path: Path, chars: int) -> None:
    sheet = [(SHEET_START + '<row r="2"><c r="A2" t="inlineStr"><is><t>', 1), ("a", chars),
             ("</t></is></c></row>" + SHEET_END, 1)]  # fmt: skip
    _workbook(path, sheet)


def xlsx_wide_row(path: Path, cells: int) -> None:
    sheet = [(SHEET_START + '<row r="2">', 1), ("<c><v>1</v></c>", cells),
             ("</row>" + SHEET_END, 1)]  # fmt: skip
    _workbook(path, sheet)


# Name: (how to write it, its size, the file's name).
FILES = {
    "CSV row of 31,000,000 cells": (csv_long_row, 31_000_000, "long-row.csv"),
    "XLSX of 50,000,000 shared strings": (xlsx_shared_strings, 50_000_000, "strings.xlsx"),
    "XLSX cell of 940,000,000 characters": (xlsx_long_cell, 940_000_000, "long-cell.xlsx"),
    "XLSX row of 10,000,000 cells": (xlsx_wide_row, 10_000_000, "wide-row.xlsx"),
}


def peak_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        line = next(line for line in status if line.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024


def reset_peak(pid: int) -> None:
    """Start the process's peak memory again from what it holds now (Linux: clear_refs)."""
    with open(f"/proc/{pid}/clear_refs", "w") as clear:
        clear.write("5")


def start_worker(env: dict, queue: str) -> subprocess.Popen:
    # This interpreter on the project's own app: no outside input reaches the command.
    command = [sys.executable, "-m", "celery", "-A", "mathsprog", "worker", "-Q", queue,
               "-n", f"hostile-{queue}@%h", "--concurrency=1", "--loglevel=WARNING",
               "--without-gossip", "--without-mingle"]  # fmt: skip
    return subprocess.Popen(  # noqa: S603
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip


def pool_child(worker: subprocess.Popen, seconds: float = 60) -> int:
    """The process of a prefork worker that runs its tasks."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        children = Path(f"/proc/{worker.pid}/task/{worker.pid}/children").read_text().split()
        if children:
            return int(children[0])
        time.sleep(0.2)
    raise SystemExit("the worker did not start")


class PeakWatch:
    """The highest peak memory of a worker's pool process while it checks one file. Sampled
    until the check ends, since the pool may replace its process (then the new one is
    watched): a peak is a high-water mark, so a sample taken after it still sees it."""

    def __init__(self, worker: subprocess.Popen):
        self.worker, self.peak = worker, 0.0
        self._watch_current()

    def _watch_current(self) -> None:
        while True:  # pool_child gives up (SystemExit) if the pool has no process for 60 s
            self.child = pool_child(self.worker)
            try:
                return reset_peak(self.child)
            except (FileNotFoundError, ProcessLookupError):
                time.sleep(0.2)  # gone as it was found: the pool is replacing it

    def sample(self) -> None:
        try:
            self.peak = max(self.peak, peak_mb(self.child))
        except (FileNotFoundError, ProcessLookupError):  # replaced: watch the new one
            self._watch_current()


def check_each(paths: dict, *, worker, queue: str, broker: str, window=None, **sending):
    """Each file as an upload (to `window`, or one of a new programme), checked by `worker`
    (the task sent with `sending`'s options): its size, the peak memory of the worker's pool
    process while checking it, and the upload's outcome."""
    # Only once main has pointed Django at the benchmark's database and set it up.
    from datetime import date

    from django.core.files import File

    from evaluation import services
    from evaluation.models import AssessmentUpload, AssessmentWindow, UploadStatus
    from mathsprog.celery import app
    from programmes.models import Programme

    if window is None:
        programme = Programme.objects.create(
            name="Hostile", slug="hostile", start_date=date(2025, 9, 1), end_date=date(2026, 8, 31)
        )
        window = AssessmentWindow.objects.create(
            programme=programme, slug="end", name="End", kind="end", date=date(2026, 6, 22)
        )
    results = {}
    for name, path in paths.items():
        with path.open("rb") as handle:
            upload = services.upload_store(
                uploaded_by=None, window=window, school=None, file=File(handle, name=path.name)
            )
        watch = PeakWatch(worker)
        with app.connection_for_write(broker) as connection:
            app.send_task("evaluation.tasks.validate_upload", args=[upload.pk], queue=queue,
                          connection=connection, **sending)  # fmt: skip
        working, deadline = (UploadStatus.QUEUED, UploadStatus.VALIDATING), time.monotonic() + 1800
        while (upload := AssessmentUpload.objects.get(pk=upload.pk)).status in working:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{name}: still {upload.status} after 30 minutes")
            watch.sample()
            time.sleep(0.2)
        watch.sample()
        outcome = upload.errors[0]["reason"] if upload.errors else upload.failure
        results[name] = (path.stat().st_size / 2**20, watch.peak, f"{upload.status}: {outcome}")
    return results


def main() -> None:
    url = os.environ.get(
        "BENCH_HOSTILE_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/mathsprog_bench_hostile"
    )
    broker = os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/14")
    os.environ.update(DATABASE_URL=url, CELERY_BROKER_URL=broker, MEDIA_ROOT=str(DATA / "media"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mathsprog.settings.base")
    from bench.processes import fresh_database

    fresh_database(url)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", "--noinput", verbosity=0)
    DATA.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, (write, size, file_name) in FILES.items():
        paths[name] = DATA / file_name
        if not paths[name].exists():
            write(paths[name], size)
    queue = f"hostile-{uuid.uuid4().hex[:8]}"
    worker = start_worker({**os.environ, "CELERY_QUEUE": queue}, queue)
    try:
        results = check_each(paths, worker=worker, queue=queue, broker=broker)
    finally:
        worker.terminate()
        worker.wait(timeout=60)
    print(f"\n{'hostile file':<38}{'size':>10}{'peak MB':>9}  outcome")
    for name, (size_mb, peak, outcome) in results.items():
        print(f"{name:<38}{size_mb:>7.1f} MB{peak:>9.0f}  {outcome}")
    worst = max(peak for _, peak, _ in results.values())
    if worst >= LIMIT_MB:
        raise SystemExit(f"A worker went to {worst:.0f} MB checking a hostile file.")
    print(f"Every hostile file ended with its message, the worker under {LIMIT_MB} MB.")


if __name__ == "__main__":
    main()
