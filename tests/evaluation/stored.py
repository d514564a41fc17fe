"""What the store of uploaded files and the database hold, read back as text, to search for
identities."""

import gzip
import io
import zipfile
from datetime import timedelta
from pathlib import Path

import time_machine
import zstandard
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection

from evaluation import services
from evaluation.models import AssessmentUpload

from .files import pupil_row, results_csv

IDENTITY = ("UPN", "Forename", "Surname", "DOB")


def _text(data: bytes) -> str:
    """A stored file's text: gzip and Zstandard files decompressed, workbooks (ZIP) unpacked."""
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    if data[:4] == b"\x28\xb5\x2f\xfd":
        data = zstandard.ZstdDecompressor().stream_reader(io.BytesIO(data)).read()
    if data[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            data = b"\n".join(archive.read(name) for name in archive.namelist())
    return data.decode("utf-8", "replace")


def in_database() -> str:
    """Every value of every table of the database as text, one a line, on PostgreSQL and on
    SQLite alike: tables no model names included (bytes decoded)."""
    values = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                values += [
                    bytes(v).decode("utf-8", "replace") if isinstance(v, bytes | memoryview)
                    else str(v)
                    for v in row
                ]  # fmt: skip
    return "\n".join(values)


def on_disk(root: Path) -> dict[str, str]:
    """Every file under `root` (MEDIA_ROOT) as text, by its name in the storage."""
    return {
        path.relative_to(root).as_posix(): _text(path.read_bytes())
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def in_storage(path: str = "") -> dict[str, str]:
    """Every file in the default storage as text, read through the storage API only."""
    directories, files = default_storage.listdir(path)
    found = {}
    for name in files:
        with default_storage.open(f"{path}{name}", "rb") as stored:
            found[f"{path}{name}"] = _text(stored.read())
    for directory in directories:
        found.update(in_storage(f"{path}{directory}/"))
    return found


def assert_no_identity(stored: dict[str, str], rows: list[dict]) -> None:
    for name, text in stored.items():
        for row in rows:
            for column in IDENTITY:
                assert row[column] not in text, f"{column} {row[column]} is still in {name}"


def staged_name(upload: AssessmentUpload) -> str:
    return f"assessments/staged/{upload.pk}.tsv.zst"


def assert_pseudonymised(text: str, rows: int) -> None:
    lines = text.splitlines()
    assert len(lines) == rows
    assert all(len(line.split("\t")[1]) == 64 for line in lines)  # the keyed hash, not the UPN


def pupils(world, school_c=None, first=0, n=4) -> list[dict]:
    """Rows of pupils with a name and date of birth of their own to search for."""
    urns = [world.school_a.urn, (school_c or world.school_a).urn]
    return [
        pupil_row(serial, urns[serial % 2], Forename=f"Hephzibah{serial}", DOB="2016-11-29")
        for serial in range(first, first + n)
    ]


def later(hours: float):
    return time_machine.travel(timedelta(hours=hours), tick=False)


def queued(world, window, rows, capture) -> tuple[AssessmentUpload, list]:
    """An upload sent while every worker was down: its check is queued, never run. `capture`
    is pytest-django's django_capture_on_commit_callbacks."""
    with capture() as callbacks:
        upload = services.upload_create(
            uploaded_by=world.hub_lead,
            window=window,
            school=None,
            file=ContentFile(results_csv(rows), name="results.csv"),
        )
    return upload, callbacks
