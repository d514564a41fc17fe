"""Checked once: an upload's rows are checked at its preview, and its confirmation only merges
what was staged then. What that check depended on (the window's scale, date and programme) is
recorded with the preview; if it changed before the confirmation, the staged rows are checked
again, in SQL, against the window as it is now, and whatever the check could not answer from
the staged rows alone is refused, to be uploaded again."""

from decimal import Decimal

from programmes.models import ComparisonSchool, Enrolment
from schools.academic_year import academic_year_of
from schools.models import School

from . import staging
from .models import AssessmentUpload, AssessmentWindow
from .validation import SHOWN_ERRORS, TENTH, RowError, outside_scale, plain_number

LEFT = "this school no longer takes part in the programme: check the enrolments"
MOVED = (
    "The assessment window was moved to another programme after this file was checked: "
    "upload it again."
)
REDATED = (
    "The assessment window's date changed after this file was checked, and a Common Transfer "
    "File's disadvantage and SEN provision are judged on that date: upload it again."
)


class Refused(Exception):
    """The staged rows may not be imported: `errors` (the first SHOWN_ERRORS), of `count`."""

    def __init__(self, errors: list[RowError], count: int | None = None):
        super().__init__("; ".join(error.reason for error in errors[:3]))
        self.errors = errors
        self.count = len(errors) if count is None else count


def checked_against(window: AssessmentWindow, *, score_column: str | None) -> dict:
    """What the preview's check of an upload depended on, as its summary keeps it."""
    return {
        "programme_id": window.programme_id,
        # As the database gives them back (one decimal place), whatever a caller assigned.
        "scale_min": _tenths(window.scale_min),
        "scale_max": _tenths(window.scale_max),
        "teacher_assessment": window.teacher_assessment,
        "date": window.date.isoformat(),
        "academic_year": academic_year_of(window.date),
        # As the file headed it, for the errors of a check done again.
        "score_column": score_column,
    }


def _tenths(value) -> str:
    return str(Decimal(value).quantize(TENTH))


def _then_and_now(upload: AssessmentUpload) -> tuple[dict | None, dict, AssessmentWindow]:
    window = AssessmentWindow.objects.get(pk=upload.window_id)
    before = upload.summary.get("checked_against")
    return before, checked_against(window, score_column=before and before["score_column"]), window


def window_unchanged(upload: AssessmentUpload) -> bool:
    """Whether the upload's window is as its preview's check found it (its programme too)."""
    before, now, _ = _then_and_now(upload)
    return before == now


def recheck(upload: AssessmentUpload) -> None:
    """Raise Refused if the rows staged for the upload (in the staging table) would not pass
    the check against its window and programme as they are now."""
    before, now, window = _then_and_now(upload)
    if before is not None and before != now:
        _recheck_window(upload, before, now)
    refuse_schools_outside(window.programme_id)


def _recheck_window(upload: AssessmentUpload, before: dict, now: dict) -> None:
    # The pseudonyms and the schools a file may name are the programme's.
    if before["programme_id"] != now["programme_id"]:
        raise Refused([RowError(0, "", "", MOVED)])
    if upload.summary.get("ctf_tally") and before["date"] != now["date"]:
        raise Refused([RowError(0, "", "", REDATED)])
    # teacher_assessment is recorded but asks nothing of the check: a window takes codes
    # whatever it says (the flag only describes it), so neither does the check done again.
    if (before["scale_min"], before["scale_max"]) != (now["scale_min"], now["scale_max"]):
        _refuse_scores_outside(now)


def _refuse_scores_outside(now: dict) -> None:
    low, high = now["scale_min"], now["scale_max"]
    count, outside = staging.staged_scores_outside(low, high, limit=SHOWN_ERRORS)
    if count:
        column, reason = now["score_column"] or "Score", outside_scale(low, high)
        raise Refused([RowError(row, column, plain_number(s), reason) for row, s in outside], count)


def schools_left(programme_id: int, school_ids: list[int]) -> bool:
    """Whether any of these schools (the preview's) no longer takes part in the programme,
    judged without the staged rows: refuse_schools_outside then names the rows."""
    left = set(school_ids)
    for taking_part in (Enrolment, ComparisonSchool):
        found = taking_part.objects.filter(programme_id=programme_id, school_id__in=left)
        left -= set(found.values_list("school_id", flat=True))
    return bool(left)


def refuse_schools_outside(programme_id: int) -> None:
    # Enrolments can change between a preview and its confirmation.
    outside = staging.staged_outside(programme_id, limit=SHOWN_ERRORS)
    if outside:
        urns = dict(School.objects.filter(pk__in={s for _, s in outside}).values_list("pk", "urn"))
        raise Refused([RowError(row, "URN", str(urns[school]), LEFT) for row, school in outside])
