"""What an upload changes, school by school: counted from its staged rows at the preview, and
at the import counted again, unless nothing the count rests on changed in between."""

from programmes.models import Programme
from schools.academic_year import academic_year_of
from schools.models import School

from . import new_pupils, staging, upload_recheck
from .kept_rows import read_kept
from .models import AssessmentUpload, UploadStatus
from .upload_ctf import CtfTally

# What writes an import's rows: a merge with what is stored, or COPYs of new pupils.
Writer = staging.Merge | new_pupils.NewPupils
# What the import keeps of the summary (the rest says what the preview's check rested on).
KEPT = ("schools", "totals", "same_file_imported_at", "columns")


def merge_for(upload: AssessmentUpload, columns) -> staging.Merge:
    return staging.Merge(
        upload, columns=set(columns), academic_year=academic_year_of(upload.window.date)
    )


def previewed(upload: AssessmentUpload, *, columns, score_column, ctf: CtfTally) -> dict:
    """The preview's summary of the staged rows, with the programme's data version as it was
    read before they were counted: a change committed later raised it."""
    version = Programme.objects.values_list("data_version", flat=True).get(
        pk=upload.window.programme_id
    )
    merge = merge_for(upload, columns)
    summary = {**_summarise(upload, merge.summary()), "columns": columns}
    summary["checked_against"] = upload_recheck.checked_against(
        upload.window, score_column=score_column
    )
    summary["data_version"], summary["stored"] = version, merge.stored
    if ctf.pupils:
        summary["ctf_tally"] = ctf.as_summary()
    return summary


def at_import(upload: AssessmentUpload, programme: Programme) -> tuple[Writer, dict]:
    """What writes the kept rows (new_pupils' COPYs when every pupil is new, else the merge
    of the rows staged again), and the summary to record, under the programme's lock. Pupils
    and results raise the programme's data version whenever they change: at the version of
    the preview, what its summary counted still holds, so long as the window is the one
    checked (a window moved to another programme would compare versions of two programmes).
    Otherwise the rows are checked again (upload_recheck) and counted again. Either way no
    school may have left the programme since (a check of a few milliseconds, kept whatever
    the version says)."""
    before = upload.summary
    merge = merge_for(upload, before["columns"])
    same = before.get("data_version") == programme.data_version and "stored" in before
    if not (same and upload_recheck.window_unchanged(upload)):
        _stage(upload)
        upload_recheck.recheck(upload)
        return merge, {**_summarise(upload, merge.summary()), "columns": before["columns"]}
    if upload_recheck.schools_left(programme.pk, [row["school_id"] for row in before["schools"]]):
        _stage(upload)
        upload_recheck.refuse_schools_outside(programme.pk)  # raises, naming the rows
    merge.stored = before["stored"]
    summary = {key: before[key] for key in KEPT}
    new = new_pupils.writer(upload, merge, rows=summary["totals"]["rows"])
    if new is not None:
        return new, summary
    _stage(upload)
    return merge, summary


def _stage(upload: AssessmentUpload) -> None:
    with upload.staged.open("rb") as kept, read_kept(kept) as rows:
        staging.stage_kept(rows)


def _summarise(upload: AssessmentUpload, rows: list[dict]) -> dict:
    found = School.objects.filter(pk__in=[r["school_id"] for r in rows])
    named = {
        pk: {"name": name, "urn": urn} for pk, name, urn in found.values_list("pk", "name", "urn")
    }
    schools = sorted(
        ({**row, **named[row["school_id"]]} for row in rows), key=lambda row: row["name"]
    )
    totals = {
        key: sum(row[key] for row in rows)
        for key in ("rows", "new_pupils", "created", "updated", "unchanged")
    }
    same_file = (
        AssessmentUpload.objects.filter(
            window=upload.window, file_sha256=upload.file_sha256, status=UploadStatus.IMPORTED
        )
        .exclude(pk=upload.pk)
        .order_by("-imported_at")
        .values_list("imported_at", flat=True)
        .first()
    )
    return {
        "schools": schools,
        "totals": totals,
        "same_file_imported_at": same_file.isoformat() if same_file else None,
    }
