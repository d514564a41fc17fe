"""The rows kept from a preview to its import (evaluation/kept_rows.py): written from the
staging table in the order of the pupils' hashes, compressed, read back whole; and rows
kept gzipped by a preview from before Zstandard are still imported."""

import gzip
import io
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.db import transaction

from evaluation import services, staging
from evaluation.kept_rows import keep_staged, read_kept
from evaluation.models import AssessmentUpload, Result, UploadStatus

from .files import pupil_row

pytestmark = pytest.mark.django_db


def _line(row: int, upn_hash: str, score: str) -> str:
    return f"{row}\t{upn_hash}\t7\t2\tt\tN\t\\N\tF\t{score}\t\n"


def test_the_staged_rows_are_kept_in_the_order_of_their_hashes():
    lines = [_line(2, "c" * 64, "99.0"), _line(3, "a" * 64, "\\N"), _line(4, "b" * 64, "101.5")]
    kept = io.BytesIO()
    with transaction.atomic():
        staging.stage(lines)
        keep_staged(kept)
    assert kept.getvalue()[:4] == b"\x28\xb5\x2f\xfd"  # a Zstandard frame
    kept.seek(0)
    expected = sorted(lines, key=lambda line: line.split()[1])
    assert _values(read_kept(kept).read().decode()) == _values("".join(expected))


def _values(text: str) -> list[list]:
    """Each line's values, scores as numbers (SQLite gives 99.0 back as 99)."""
    rows = [line.split("\t") for line in text.splitlines()]
    return [[*row[:8], row[8] if row[8] == "\\N" else Decimal(row[8]), *row[9:]] for row in rows]


def test_rows_kept_gzipped_before_the_upgrade_are_imported(world, window, media, previewed):
    upload = previewed(window, [pupil_row(n, world.school_a.urn) for n in range(3)])
    with upload.staged.open("rb") as kept, read_kept(kept) as text:
        as_before = gzip.compress(text.read())
    upload.staged.delete(save=False)
    upload.staged.save(f"{upload.pk}.tsv.gz", ContentFile(as_before), save=False)
    AssessmentUpload.objects.filter(pk=upload.pk).update(staged=upload.staged.name)
    services.upload_import_now(upload=AssessmentUpload.objects.get(pk=upload.pk), user=None)
    upload.refresh_from_db()
    assert upload.status == UploadStatus.IMPORTED, upload.errors
    assert sorted(Result.objects.values_list("score", flat=True)) == [95, 96, 97]
