"""A report's figures are stored as PostgreSQL's json rather than jsonb (evaluation/fields.py):
they read back as they were written, whole and by key, and the column is json."""

import pytest
from django.db import connection
from django.db.models import FloatField
from django.db.models.fields.json import KT
from django.db.models.functions import Cast

from evaluation.models import ReportEntry, ReportSnapshot
from tests.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db

FIGURES = {
    "scope": {"type": "school", "id": 7, "name": "123", "comparison": False},
    "groups": {"all": {"n": 12, "mean": 101.25, "pct_expected_ci": [40.1, 71.3]}},
    "gap": {"disadvantaged": {"gap_index": None}},
    "note": 'a "quoted" back\\slash and é',
}


@pytest.fixture
def entry():
    snapshot = ReportSnapshot.objects.create(programme=ProgrammeFactory(), data_version=1)
    return ReportEntry.objects.create(
        snapshot=snapshot, kind="attainment", scope_type="school", scope_id=7,
        year_group=None, window="baseline", from_window="", figures=FIGURES,
    )  # fmt: skip


def test_figures_read_back_whole_and_by_key_as_written(entry):
    assert ReportEntry.objects.get(pk=entry.pk).figures == FIGURES
    by_key = ReportEntry.objects.filter(pk=entry.pk)
    # A name that looks like a number stays a name; a number stays a number. (Not on SQLite,
    # the `make run` default: JSON_EXTRACT gives a string's text, which Django's JSONField
    # then decodes as JSON, so a name of digits reads back as a number, shown the same.)
    name = "123" if connection.vendor == "postgresql" else 123
    assert by_key.values_list("figures__scope__name", flat=True).get() == name
    assert by_key.values_list("figures__groups__all__n", flat=True).get() == 12
    assert by_key.values_list("figures__gap__disadvantaged__gap_index", flat=True).get() is None
    mean = by_key.annotate(mean=Cast(KT("figures__groups__all__mean"), FloatField()))
    assert mean.values_list("mean", flat=True).get() == 101.25


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the column type of PostgreSQL")
def test_the_column_is_json_not_jsonb():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT data_type FROM information_schema.columns "
            "WHERE table_name = %s AND column_name = 'figures'",
            [ReportEntry._meta.db_table],
        )
        assert cursor.fetchone()[0] == "json"
