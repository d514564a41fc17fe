"""Writes to the things a programme holds (its cohorts, KPIs, allocation bands, strands and
budget lines): each a named service, with the fields it may write."""

from django.db import transaction

from mathsprog.services import changed_fields, fields_write

from .models import AllocationBand, BudgetLine, Cohort, InterventionStrand, Kpi, Programme
from .services import programme_data_changed

COHORT_FIELDS = ("name", "start_date", "end_date")
KPI_FIELDS = ("name", "target", "achieved", "achieved_on", "notes")
ALLOCATION_BAND_FIELDS = ("up_to_pupils", "sle_days", "funding")
STRAND_FIELDS = ("name", "description")
BUDGET_LINE_FIELDS = ("name", "category", "amount")


def cohort_create(*, programme: Programme, **fields) -> Cohort:
    """A new cohort has no schools yet, so the report does not change."""
    return fields_write(Cohort(programme=programme), fields=fields, allowed=COHORT_FIELDS)


@transaction.atomic
def cohort_update(*, cohort: Cohort, **fields) -> Cohort:
    """A cohort's name is a scope of the programme's report."""
    renamed = changed_fields(cohort, fields, ["name"])
    fields_write(cohort, fields=fields, allowed=COHORT_FIELDS)
    if renamed:
        programme_data_changed(programme_id=cohort.programme_id)
    return cohort


def kpi_create(*, programme: Programme, **fields) -> Kpi:
    return fields_write(Kpi(programme=programme), fields=fields, allowed=KPI_FIELDS)


def kpi_update(*, kpi: Kpi, **fields) -> Kpi:
    return fields_write(kpi, fields=fields, allowed=KPI_FIELDS)


def allocation_band_create(*, programme: Programme, **fields) -> AllocationBand:
    band = AllocationBand(programme=programme)
    return fields_write(band, fields=fields, allowed=ALLOCATION_BAND_FIELDS)


def allocation_band_update(*, band: AllocationBand, **fields) -> AllocationBand:
    return fields_write(band, fields=fields, allowed=ALLOCATION_BAND_FIELDS)


def strand_create(*, programme: Programme, **fields) -> InterventionStrand:
    strand = InterventionStrand(programme=programme)
    return fields_write(strand, fields=fields, allowed=STRAND_FIELDS)


def strand_update(*, strand: InterventionStrand, **fields) -> InterventionStrand:
    return fields_write(strand, fields=fields, allowed=STRAND_FIELDS)


def budget_line_create(*, programme: Programme, **fields) -> BudgetLine:
    line = BudgetLine(programme=programme)
    return fields_write(line, fields=fields, allowed=BUDGET_LINE_FIELDS)


def budget_line_update(*, line: BudgetLine, **fields) -> BudgetLine:
    return fields_write(line, fields=fields, allowed=BUDGET_LINE_FIELDS)
