"""The named services for what a programme holds (programmes.part_services)."""

from decimal import Decimal

import pytest

from programmes import part_services
from programmes.models import Programme
from tests.factories import CohortFactory, KpiFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db


def _version(programme) -> int:
    return Programme.objects.get(pk=programme.pk).data_version


def test_it_marks_the_report_out_of_date_when_a_cohort_is_renamed_only():
    cohort = CohortFactory(name="Autumn")
    before = _version(cohort.programme)
    part_services.cohort_update(cohort=cohort, name="Autumn", end_date=cohort.end_date)
    assert _version(cohort.programme) == before
    part_services.cohort_update(cohort=cohort, name="Autumn 2026")
    assert _version(cohort.programme) == before + 1


def test_it_creates_each_part_in_its_programme():
    programme = ProgrammeFactory()
    band = part_services.allocation_band_create(
        programme=programme, up_to_pupils=200, sle_days=Decimal(3), funding=Decimal(500)
    )
    strand = part_services.strand_create(programme=programme, name="Fluency")
    line = part_services.budget_line_create(
        programme=programme, name="Supply cover", category="cpd", amount=Decimal(900)
    )
    assert [part.programme for part in (band, strand, line)] == [programme] * 3
    assert programme.strands.get().name == "Fluency"


def test_an_update_refuses_a_field_it_does_not_name():
    kpi = KpiFactory(name="Pupils at expected")
    with pytest.raises(TypeError, match="programme"):
        part_services.kpi_update(kpi=kpi, name="Moved", programme=ProgrammeFactory())
    kpi.refresh_from_db()
    assert kpi.name == "Pupils at expected"
