"""Each cohort's pupils moving between bands, from the first window to the latest, on the
programme dashboard's figures by cohort (issue 19), read from the stored report at once; with
a teacher-assessment window's codes as its bands."""

import re

from django.urls import reverse

from evaluation.models import ReportEntry
from tests.dashboards.test_programme_summary import figure_in, stored_report, summary_of
from tests.dashboards.test_transitions_table import BANDS, _matrix, every_figure  # noqa: F401
from tests.dashboards.test_value_for_money import (
    CODES,
    progress_entry,
    scope_of,
    store_report,
    teacher_assessed,
)
from tests.evaluation.test_reports import imported, second_window  # noqa: F401
from tests.factories import CohortFactory

WITHHELD = {b: dict.fromkeys(BANDS) for b in BANDS} | {"suppressed": True}


def _table(page: str, who: str) -> str:
    table = page[page.index(f"Pupils moving between bands, Baseline → End of year: {who}") :]
    return table[: table.index("</details>")]


def _cells(table: str) -> list[tuple[str, str]]:
    """Each cell's shading (or "" unshaded) and its words, tags aside."""
    cells = re.findall(r'<td[^>]*?(?:transition-(\d))?"?(?: colspan="\d")?>(.*?)</td>', table, re.S)
    return [(shade, " ".join(re.sub("<[^>]+>", "", text).split())) for shade, text in cells]


def _stored(world, *more_cohorts):
    programme, first = world.programme, world.cohort
    second = CohortFactory(programme=programme, name="Zeta cohort")
    ours = {"all": _matrix((1, 1, 1), (1, 1, 1), (1, 1, 1))}
    entries = [
        progress_entry(scope_of("programme", programme), "baseline-2025", "end-2026", n=9,
                       months=1, transitions=ours),
        progress_entry(scope_of("cohort", first), "baseline-2025", "end-2026", n=35, months=1,
                       transitions={"all": _matrix((6, 3, 1), (2, 10, 8), (0, 1, 4)),
                                    "disadvantaged": WITHHELD}),
        progress_entry(scope_of("cohort", second), "baseline-2025", "end-2026", n=3, months=1,
                       transitions={"all": WITHHELD}),
        # Another pair of windows: not the first to the latest, so not shown.
        progress_entry(scope_of("cohort", first), "spring-2026", "end-2026", n=9, months=1,
                       transitions={"all": _matrix((9, 0, 0), (0, 0, 0), (0, 0, 0))}),
    ] + [
        progress_entry(scope_of("cohort", c), "baseline-2025", "end-2026", n=9, months=1,
                       transitions=ours) for c in more_cohorts
    ]  # fmt: skip
    store_report(programme, entries)
    return first, second


def test_it_shows_each_cohorts_table_with_row_shares_and_shading(client, world):
    first, second = _stored(world)
    client.force_login(world.hub_lead)
    page = client.get(reverse("dashboards:programme", args=[world.programme.slug])).content
    page = page.decode()
    table = _table(page, first.name)
    all_pupils = _cells(table[: table.index("Disadvantaged")])
    # Below: 6, 3, 1 of 10 = 60%, 30%, 10%, shaded int(4 x share + 0.5) = 2, 1, 0. Expected:
    # 2, 10, 8 of 20 = 10%, 50%, 40%, shaded 0, 2, 2. Higher: 0, 1, 4 of 5 = 0%, 20%, 80%,
    # shaded 0, 1, 3. Each row's total last.
    assert all_pupils == [
        ("2", "6 (60.0%)"), ("1", "3 (30.0%)"), ("0", "1 (10.0%)"), ("", "10"),
        ("0", "2 (10.0%)"), ("2", "10 (50.0%)"), ("2", "8 (40.0%)"), ("", "20"),
        ("0", "0 (0.0%)"), ("1", "1 (20.0%)"), ("3", "4 (80.0%)"), ("", "5"),
    ]  # fmt: skip
    assert "Fewer than 5 pupils" in table[table.index("Disadvantaged") :]
    assert ">9 <" not in table  # the other pair of windows' cohort entry
    # The second cohort's pupils, all withheld: worded, no counts.
    withheld = _table(page, "Zeta cohort")
    assert _cells(withheld) == [("", "Fewer than 5 pupils")]
    # Below the figures by cohort, in the evaluation section.
    assert page.index("Pupils moving between bands, by cohort") < page.index(
        'id="delivery-heading"'
    )


def test_it_reads_every_cohorts_table_in_constant_queries(
    client, world, django_assert_max_num_queries
):
    more = [CohortFactory(programme=world.programme, name=f"Cohort {n:02}") for n in range(15)]
    _stored(world, *more)
    client.force_login(world.hub_lead)
    url = reverse("dashboards:programme", args=[world.programme.slug])
    client.get(url)  # the report's figures read once, into the cache
    # Of them 2 are the cohorts' (and value for money's): the windows' names, and the spend
    # at each cohort's schools, whatever the number of cohorts; 2 the targets'.
    with django_assert_max_num_queries(30):  # with trends over years (one query)
        page = client.get(url).content.decode()
    assert page.count("Pupils moving between bands, Baseline → End of year: Cohort ") == 15 + 1


def test_the_engines_cohort_table_counts_its_schools_pupils(client, world, every_figure):  # noqa: F811
    """School A's six pupils (test_transitions_table.py) are all of the cohort's."""
    client.force_login(world.hub_lead)
    page = client.get(reverse("dashboards:programme", args=[every_figure.slug])).content.decode()
    marker = f"Pupils moving between bands, Baseline → End: {world.cohort.name}"
    table = page[page.index(marker) :]
    table = table[: table.index("</details>")]
    all_pupils = table[table.index("All pupils") : table.index("Disadvantaged")]
    # Each band keeps its two pupils: 100% of its row on the diagonal, 0% elsewhere.
    assert all_pupils.count('transition-4">2 <span class="small">(100.0%)</span>') == 3
    assert all_pupils.count('transition-0">0 <span class="small">(0.0%)</span>') == 6


def _codes(*rows) -> dict:
    return {b: dict(zip(CODES, row, strict=True)) for b, row in zip(CODES, rows, strict=True)}


def test_a_teacher_assessed_cohort_table_has_a_row_and_a_column_a_code(client, world):
    programme, cohort = world.programme, world.cohort
    transitions = {
        "all": _codes((2, 2, 0, 0), (0, 3, 1, 0), (0, 1, 6, 3), (0, 0, 1, 4)),
        "disadvantaged": _codes(*[[None] * 4] * 4) | {"suppressed": True},
    }
    entry = progress_entry(scope_of("cohort", cohort), "baseline-2025", "end-2026", n=23,
                           months=None, transitions=transitions)  # fmt: skip
    both = {"bands": {"from": CODES, "to": CODES}}
    store_report(programme, [
        teacher_assessed(progress_entry(scope_of("programme", programme), "baseline-2025",
                                        "end-2026", n=23, months=None)) | both,
        teacher_assessed(entry) | both,
    ])  # fmt: skip
    client.force_login(world.hub_lead)
    page = client.get(reverse("dashboards:programme", args=[programme.slug])).content.decode()
    table = _table(page, cohort.name)
    names = ["Pre-key stage foundations", "Working towards", "Expected standard", "Greater depth"]
    heads = re.findall(r'<th scope="col" class="text-end">(.*?)</th>', table)
    assert heads == [*names, "Pupils"]
    assert re.findall(r'<th scope="row">(.*?)</th>', table) == [*names, "Disadvantaged"]
    assert 'rowspan="4">All pupils' in table
    all_pupils = _cells(table[: table.index("Disadvantaged")])
    # PKF: 2, 2 of 4 = 50% each, shaded int(4 x 0.5 + 0.5) = 2. WTS: 3 and 1 of 4 = 75%, 25%,
    # shaded 3, 1. EXS: 1, 6, 3 of 10 = 10%, 60%, 30%, shaded 0, 2, 1. GDS: 1, 4 of 5 = 20%,
    # 80%, shaded 1, 3. Each row's total last.
    assert all_pupils == [
        ("2", "2 (50.0%)"), ("2", "2 (50.0%)"), ("0", "0 (0.0%)"), ("0", "0 (0.0%)"), ("", "4"),
        ("0", "0 (0.0%)"), ("3", "3 (75.0%)"), ("1", "1 (25.0%)"), ("0", "0 (0.0%)"), ("", "4"),
        ("0", "0 (0.0%)"), ("0", "1 (10.0%)"), ("2", "6 (60.0%)"), ("1", "3 (30.0%)"), ("", "10"),
        ("0", "0 (0.0%)"), ("0", "0 (0.0%)"), ("1", "1 (20.0%)"), ("3", "4 (80.0%)"), ("", "5"),
    ]  # fmt: skip
    # The withheld group: one cell across the band column, the four codes and the total.
    assert '<td colspan="6">Fewer than 5 pupils</td>' in " ".join(table.split())
    # The headlines' progress table says why it has no gains.
    assert "Teacher assessment: no scores to gain" in page


def test_the_change_since_the_first_window_skips_a_teacher_assessed_pair(client, world):
    snapshot = stored_report(world.programme)
    # Were the baseline teacher assessed, its entry to the end of the year has no gap change:
    # the summary's change is then the one since the spring check, -0.5.
    entry = ReportEntry.objects.get(snapshot=snapshot, from_window="baseline-2025",
                                    window="summer-2026")  # fmt: skip
    entry.figures |= {"bands": {"from": CODES, "to": list(BANDS)},
                      "gap_change": {"disadvantaged": dict.fromkeys(("mean_points",))}}  # fmt: skip
    entry.save(update_fields=["figures"])
    client.force_login(world.hub_lead)
    page = client.get(reverse("dashboards:programme", args=[world.programme.slug]))
    assert figure_in(summary_of(page.content.decode()), "gap-change") == (
        "Since Spring check, the gap in average scores narrowed by 0.5 points "
        "(95% confidence interval -0.5 to 1.5): could be chance."
    )
