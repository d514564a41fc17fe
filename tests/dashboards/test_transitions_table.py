"""The tables of pupils moving between bands (issue 19): on the programme dashboard and a
school's, with each row's shares, and withheld cells worded, never shown as numbers."""

import pytest
from django.urls import reverse

from evaluation import reports
from evaluation.templatetags.figures import transition_rows
from tests.evaluation.test_reports import imported, second_window  # noqa: F401

BANDS = ("below", "expected", "higher")


def _matrix(*rows) -> dict:
    return {b: dict(zip(BANDS, row, strict=True)) for b, row in zip(BANDS, rows, strict=True)}


def test_each_row_gives_its_shares_and_a_shade_by_share():
    groups = transition_rows({"all": _matrix((3, 1, 0), (2, 6, 2), (0, 0, 0))})
    assert [g["name"] for g in groups] == ["All pupils"]
    below, expected, higher = groups[0]["rows"]
    # 3 of 4 stayed below (75%, shade round(4 * 0.75) = 3), 1 of 4 reached expected (25%, 1).
    assert below == {"band": "Below expected", "total": 4,
                     "cells": [(3, 75.0, 3), (1, 25.0, 1), (0, 0.0, 0)]}  # fmt: skip
    assert [cell[1] for cell in expected["cells"]] == [20.0, 60.0, 20.0]
    assert higher["total"] == 0
    assert [cell[1] for cell in higher["cells"]] == [None] * 3


def test_a_row_with_a_withheld_cell_has_no_shares_and_a_withheld_group_no_rows():
    withheld = {b: dict.fromkeys(BANDS) for b in BANDS} | {"suppressed": True}
    groups = transition_rows(
        {"all": _matrix((None, 7, 0), (None, 9, 5), (0, 2, 8)), "disadvantaged": withheld}
    )
    below = groups[0]["rows"][0]
    assert below["total"] is None
    assert [cell[1] for cell in below["cells"]] == [None] * 3
    assert groups[0]["rows"][2]["cells"][2] == (8, 80.0, 3)  # its row is whole: 8 of 10
    assert groups[1] == {"name": "Disadvantaged", "suppressed": True, "rows": []}


def _table(page: str, who: str) -> str:
    table = page[page.index(f"Pupils moving between bands, Baseline → End: {who}") :]
    return table[: table.index("</details>")]


@pytest.fixture
def every_figure(imported, settings):  # noqa: F811
    """The six pupils of school A (tests/evaluation/test_engine.py): below both times 90 -> 96
    and 95 -> 99, at expected 100 -> 103 and 100 -> 101, at higher 110 -> 112 and 120 -> 119."""
    settings.SUPPRESSION_THRESHOLD = 1
    reports.report_compute(programme_id=imported.pk)
    return imported


def test_the_dashboards_show_each_schools_pupils_moving_between_bands(client, world, every_figure):
    client.force_login(world.hub_lead)
    page = client.get(reverse("dashboards:programme", args=[every_figure.slug])).content.decode()
    table = _table(page, "programme schools")
    all_pupils = table[table.index("All pupils") : table.index("Disadvantaged")]
    # Each band keeps its two pupils: 100% of its row on the diagonal, 0% elsewhere.
    assert all_pupils.count('transition-4">2 <span class="small">(100.0%)</span>') == 3
    assert all_pupils.count('transition-0">0 <span class="small">(0.0%)</span>') == 6
    client.force_login(world.head_a)
    school = client.get(reverse("dashboards:school", args=[world.school_a.urn])).content.decode()
    assert "Pupils moving between bands, Baseline → End: all year groups" in school
    assert 'transition-0">0 <span class="small">(0.0%)</span>' in school


def test_cells_about_too_few_pupils_are_worded_not_shown(client, world, imported, settings):  # noqa: F811
    settings.SUPPRESSION_THRESHOLD = 2
    reports.report_compute(programme_id=imported.pk)
    client.force_login(world.hub_lead)
    page = client.get(reverse("dashboards:programme", args=[imported.slug])).content.decode()
    table = _table(page, "programme schools")
    # One disadvantaged pupil below both times and one at expected both times, one SEND pupil
    # at expected and one at higher both times: the three diagonal positions are withheld in
    # every group, so no row gives shares, and the empty positions still show 0.
    assert table.count("Fewer than 2 pupils") == 3 * 5
    assert "%)" not in table
    assert table.count('transition-0">0</td>') == 6 * 5
