"""Value for money (issue 19) on the programme dashboard and the funder report: spend to date
per matched pupil and per additional month of progress, for the programme and each cohort,
with each cohort's spend its schools' and a share of the rest by matched pupils."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from dashboards.value import Progress, value_for_money
from evaluation.models import AssessmentWindow, ReportEntry, ReportSnapshot
from programmes.selectors import Budget
from tests.factories import (
    BudgetLineFactory,
    CohortFactory,
    EnrolmentFactory,
    SpendEntryFactory,
)

WINDOWS = [
    ("end-2026", "End of year", date(2026, 6, 22)),  # stored out of date order
    ("baseline-2025", "Baseline", date(2025, 9, 22)),
    ("spring-2026", "Spring check", date(2026, 1, 19)),
]


def progress_entry(scope: dict, earlier: str, later: str, *, n, months, transitions=None):
    """A stored progress entry, all year groups; `months` None: no comparison schools, and
    "withheld": an effect size withheld."""
    effect = None
    if months == "withheld":
        effect = {"all": {"suppressed": True}}
    elif months is not None:
        effect = {"all": {"hedges_g": 0.1, "months_progress": months}}
    return {
        "scope": scope, "year_group": None, "from": earlier, "to": later, "n_matched": n,
        "groups": {"all": {"n": n, "mean_gain": 2.5}}, "gap_change": {},
        "effect_size": effect, "attrition": None, "transitions": transitions,
    }  # fmt: skip


def store_report(programme, entries: list[dict]) -> ReportSnapshot:
    programme.refresh_from_db()
    for slug, name, when in WINDOWS:
        AssessmentWindow.objects.create(
            programme=programme, slug=slug, name=name, kind="end", date=when
        )
    snapshot = ReportSnapshot.objects.create(
        programme=programme, data_version=programme.data_version, results=800, threshold=5
    )
    for figures in entries:
        ReportEntry.objects.create(
            snapshot=snapshot, kind="progress", scope_type=figures["scope"]["type"],
            scope_id=figures["scope"]["id"], year_group=None, window=figures["to"],
            from_window=figures["from"], figures=figures,
        )  # fmt: skip
    return snapshot


def scope_of(kind: str, thing) -> dict:
    return {"type": kind, "id": thing.pk, "name": str(getattr(thing, "name", thing))}


@pytest.fixture
def costed(world):
    """Cohort A (school A) and cohort B (school C); £6,000 spent: £3,000 at school A, £1,000
    at school C, £500 at school B (in no cohort) and £1,500 at no school, so £2,000 to share."""
    programme, first = world.programme, world.cohort
    first.name = "Cohort A"
    first.save(update_fields=["name"])
    second = CohortFactory(programme=programme, name="Cohort B")
    school_c = EnrolmentFactory(cohort=second).school
    line = BudgetLineFactory(programme=programme, amount=Decimal(10000))
    for school, amount in ((world.school_a, 3000), (school_c, 1000), (world.school_b, 500)):
        SpendEntryFactory(budget_line=line, school=school, amount=Decimal(amount))
    SpendEntryFactory(budget_line=line, school=None, amount=Decimal(1500))
    return programme, first, second


def _entries(programme, first, second, *, months=3, first_n=250):
    ours = scope_of("programme", programme)
    return [
        # Other pairs of windows, not the first to the latest: not costed.
        progress_entry(ours, "baseline-2025", "spring-2026", n=999, months=9),
        progress_entry(ours, "spring-2026", "end-2026", n=50, months=9),
        progress_entry(ours, "baseline-2025", "end-2026", n=400, months=months),
        progress_entry(scope_of("cohort", second), "baseline-2025", "end-2026", n=150, months=0),
        progress_entry(scope_of("cohort", first), "baseline-2025", "end-2026", n=first_n,
                       months=4),
        progress_entry(scope_of("cohort", first), "spring-2026", "end-2026", n=7, months=1),
    ]  # fmt: skip


def value_rows(page: str) -> dict[str, list[str]]:
    table = page[page.index('<table class="table table-sm bg-white" data-value>') :]
    table = table[: table.index("</table>")]
    rows = re.findall(r"<tr><th scope=\"row\">(.*?)</th>(.*?)</tr>", table, re.S)
    return {name: [" ".join(c.split()) for c in re.findall(r"<td[^>]*>(.*?)</td>", cells, re.S)]
            for name, cells in rows}  # fmt: skip


def test_it_costs_each_pupil_and_month_for_the_programme_and_each_cohort(client, world, costed):
    programme, first, second = costed
    store_report(programme, _entries(programme, first, second))
    client.force_login(world.hub_lead)
    page = client.get(reverse("dashboards:programme", args=[programme.slug])).content.decode()
    rows = value_rows(page)
    # Programme, baseline to end (not the 999 or 50 of the other pairs): £6,000 / 400 pupils
    # = £15.00 a pupil; / (400 x 3 months) = £5.00 a month.
    assert rows[programme.name] == ["£6,000.00", "400", "£15.00", "3", "£5.00"]
    # Cohort A: £3,000 + 250/400 of the £2,000 not at a cohort's school = £4,250; / 250 =
    # £17.00 a pupil; / (250 x 4) = £4.25 a month.
    assert rows["Cohort A"] == ["£4,250.00", "250", "£17.00", "4", "£4.25"]
    # Cohort B: £1,000 + 150/400 of £2,000 = £1,750; / 150 = £11.666.. = £11.67 a pupil; no
    # months beyond the comparison schools, so no cost a month.
    assert rows["Cohort B"][:4] == ["£1,750.00", "150", "£11.67", "0"]
    assert rows["Cohort B"][4] == "Not shown: no progress beyond comparison schools"
    caveats = " ".join(page[page.index("data-caveats") :].split())
    assert "matched comparison schools, not in a randomised trial" in caveats
    assert "Education Endowment Foundation's table" in caveats
    assert "(£6,000.00 of £10,000.00 budgeted), not the whole programme's cost" in caveats
    assert "a share of the £2,000.00 not recorded against a school of a cohort" in caveats


@pytest.mark.parametrize("months", [0, -2])
def test_no_cost_per_month_without_progress_beyond_comparison_schools(months):
    entry = {"scope": {"name": "P"}, "from": "A", "to": "B", "n_matched": 80,
             "effect_size": {"all": {"months_progress": months}}}  # fmt: skip
    spent = Decimal("2000")
    value = value_for_money(
        progress=Progress(entry, []), programme=None, budget=Budget([], spent, spent)
    )
    assert value.programme.per_pupil == Decimal("25.00")  # 2,000 / 80
    assert value.programme.months == months
    assert value.programme.per_month is None


def test_the_page_says_why_no_cost_per_month_is_shown(client, world, costed):
    programme, first, second = costed
    store_report(programme, _entries(programme, first, second, months=-1))
    client.force_login(world.hub_lead)
    page = client.get(reverse("dashboards:programme", args=[programme.slug])).content.decode()
    row = value_rows(page)[str(programme)]
    assert row == ["£6,000.00", "400", "£15.00", "-1", "Not shown: no progress beyond comparison "
                   "schools"]  # fmt: skip


def test_withheld_pupils_withhold_their_costs(client, world, costed):
    programme, first, second = costed
    entries = _entries(programme, first, second, first_n=None)
    entries[2]["effect_size"] = {"all": {"suppressed": True}}
    entries[3]["effect_size"] = None  # cohort B: no comparison to be made
    store_report(programme, entries)
    client.force_login(world.hub_lead)
    page = client.get(reverse("dashboards:funder_report", args=[programme.slug])).content.decode()
    rows = value_rows(page)
    # Cohort A's pupils withheld: its spend too, since its share of £2,000 gives them away.
    assert rows["Cohort A"] == ["Fewer than 5 pupils"]
    assert "4,250" not in page
    assert "£17.00" not in page
    # The programme's effect size withheld: its months and cost per month with it.
    assert rows[programme.name] == ["£6,000.00", "400", "£15.00", "Fewer than 5 pupils",
                                    "Fewer than 5 pupils"]  # fmt: skip
    assert rows["Cohort B"] == ["£1,750.00", "150", "£11.67", "No comparison", "–"]


def test_the_funder_report_and_its_pdf_show_the_costs(client, world, costed):
    programme, first, second = costed
    store_report(programme, _entries(programme, first, second))
    client.force_login(world.hub_lead)
    url = reverse("dashboards:funder_report", args=[programme.slug])
    rows = value_rows(client.get(url).content.decode())
    assert rows["Cohort A"] == ["£4,250.00", "250", "£17.00", "4", "£4.25"]
    assert client.get(url + "?format=pdf").content.startswith(b"%PDF")


def test_before_any_progress_it_says_so(client, world):
    store_report(world.programme, [])
    client.force_login(world.hub_lead)
    page = client.get(reverse("dashboards:programme", args=[world.programme.slug]))
    assert "No progress yet: costs per pupil need pupils matched" in page.content.decode()


def test_the_funder_report_keeps_to_a_constant_number_of_queries(
    client, world, costed, django_assert_max_num_queries
):
    programme, first, second = costed
    entries = _entries(programme, first, second)
    for n in range(12):
        cohort = CohortFactory(programme=programme, name=f"Cohort {n:02}")
        school = EnrolmentFactory(cohort=cohort).school
        SpendEntryFactory(budget_line=programme.budget_lines.get(), school=school)
        entries.append(progress_entry(scope_of("cohort", cohort), "baseline-2025", "end-2026",
                                      n=10, months=1))  # fmt: skip
    store_report(programme, entries)
    client.force_login(world.hub_lead)
    url = reverse("dashboards:funder_report", args=[programme.slug])
    client.get(url)  # the report's figures read once, into the cache
    # 20 for the rest of the report; 2 here, whatever the cohorts: the windows' names and the
    # spend at each cohort's schools; 2 the targets'.
    with django_assert_max_num_queries(24):
        page = client.get(url).content.decode()
    assert len(value_rows(page)) == 1 + 2 + 12


def test_it_refuses_the_funder_report_to_those_who_do_not_lead_the_programme(client, world):
    client.force_login(world.head_a)
    response = client.get(reverse("dashboards:funder_report", args=[world.programme.slug]))
    assert response.status_code == 404


CODES = ["PKF", "WTS", "EXS", "GDS"]


def teacher_assessed(entry: dict) -> dict:
    """The entry as the report gives it where its later window has teacher assessments only:
    pupils matched, banded by code at that window, and no gains or effect size."""
    return entry | {"bands": {"from": ["below", "expected", "higher"], "to": CODES},
                    "groups": {"all": {"n": entry["n_matched"], "mean_gain": None}},
                    "effect_size": None}  # fmt: skip


def test_a_later_teacher_assessed_window_gives_way_to_the_latest_scored_one(client, world, costed):
    programme, first, second = costed
    ours = scope_of("programme", programme)
    store_report(programme, [
        progress_entry(ours, "baseline-2025", "spring-2026", n=300, months=2),
        progress_entry(scope_of("cohort", first), "baseline-2025", "spring-2026", n=120,
                       months=3),
        # The latest window, teacher assessed: no months of progress to cost.
        teacher_assessed(progress_entry(ours, "baseline-2025", "end-2026", n=400, months=None)),
        teacher_assessed(progress_entry(scope_of("cohort", first), "baseline-2025", "end-2026",
                                        n=250, months=None)),
    ])  # fmt: skip
    client.force_login(world.hub_lead)
    page = client.get(reverse("dashboards:programme", args=[programme.slug])).content.decode()
    assert "pupils matched from Baseline to Spring check" in page
    rows = value_rows(page)
    # £6,000 / 300 = £20.00 a pupil; / (300 x 2) = £10.00 a month.
    assert rows[programme.name] == ["£6,000.00", "300", "£20.00", "2", "£10.00"]
    # Cohort A: £3,000 + 120/300 of £2,000 = £3,800; / 120 = £31.67; / (120 x 3) = £10.56.
    assert rows["Cohort A"] == ["£3,800.00", "120", "£31.67", "3", "£10.56"]
    assert "Cohort B" not in rows  # no progress over those windows


def test_teacher_assessment_alone_costs_pupils_but_not_months():
    entry = teacher_assessed({"scope": {"name": "P"}, "from": "A", "to": "B", "n_matched": 80})
    spent = Decimal("2000")
    value = value_for_money(
        progress=Progress(entry, []), programme=None, budget=Budget([], spent, spent)
    )
    assert value.scored is False
    assert value.programme.per_pupil == Decimal("25.00")  # 2,000 / 80
    assert (value.programme.months, value.programme.per_month) == (None, None)
