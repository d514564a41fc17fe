"""Edits to assessment windows and national references (the data admin's, and each marks the
data of the programmes whose reports rest on what changed)."""

from django.db import transaction

from mathsprog.services import changed_fields, fields_write
from programmes.services import programme_data_changed

from .models import AssessmentWindow, NationalReference

# What a report reads of a window: it names its entries (slug), orders them and picks the
# pupils' year (date), sets the standards (scale) and compares with national figures.
REPORTED_WINDOW_FIELDS = (
    "slug", "date", "scale_min", "scale_max", "expected_threshold", "higher_threshold",
    "national_reference",
)  # fmt: skip
WINDOW_FIELDS = ("programme", "name", "kind", "instrument", "teacher_assessment",
                 *REPORTED_WINDOW_FIELDS)  # fmt: skip
NATIONAL_REFERENCE_FIELDS = (
    "name", "academic_year", "pct_expected_non_disadvantaged", "pct_expected_non_send", "source",
)  # fmt: skip


@transaction.atomic
def assessment_window_save(*, window: AssessmentWindow, **fields) -> AssessmentWindow:
    """A new window, or a change to one: a new window, or one whose scale, date or national
    reference changed, changes its programme's report."""
    new = window.pk is None
    reported = changed_fields(window, fields, REPORTED_WINDOW_FIELDS)
    fields_write(window, fields=fields, allowed=WINDOW_FIELDS)
    if new or reported:
        programme_data_changed(programme_id=window.programme_id)
    return window


@transaction.atomic
def assessment_window_delete(*, window: AssessmentWindow) -> None:
    """Its results go with it."""
    window.delete()
    programme_data_changed(programme_id=window.programme_id)


def _programmes_comparing_with(reference: NationalReference) -> None:
    programme_ids = AssessmentWindow.objects.filter(national_reference=reference).values_list(
        "programme_id", flat=True
    )
    for programme_id in set(programme_ids):
        programme_data_changed(programme_id=programme_id)


@transaction.atomic
def national_reference_save(*, reference: NationalReference, **fields) -> NationalReference:
    """National figures, new or corrected: every report that compares with them changes."""
    changed = reference.pk is not None and changed_fields(reference, fields, fields)
    fields_write(reference, fields=fields, allowed=NATIONAL_REFERENCE_FIELDS)
    if changed:
        _programmes_comparing_with(reference)
    return reference


@transaction.atomic
def national_reference_delete(*, reference: NationalReference) -> None:
    """Its windows keep their results but lose the comparison."""
    _programmes_comparing_with(reference)
    reference.delete()
