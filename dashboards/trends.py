"""Trends over years (issue 19): a school's or a programme's attainment and gaps at each
academic year's end window, over every year whose report the portal holds, with the same year
group compared year on year (this year's Year 2 against last year's). A programme that runs
several years with new cohorts has an end window in each; a school that takes part in
successive programmes has each programme's. Where a year has more than one end window, its
latest stands for the year."""

from dataclasses import dataclass

from evaluation.selectors import is_comparison_school
from schools.academic_year import academic_year_label, academic_year_of

from . import selectors
from .figures import YEAR_NAMES, chart_series, school_dashboard_figures
from .tables.figures import chart_table, school_tables

# What each year-on-year table shows: (title, where in an entry, figure, unit).
MEASURES = (
    ("Share at the expected standard", ("groups", "all"), "pct_expected", "%"),
    ("Mean score", ("groups", "all"), "mean", ""),
    ("Disadvantaged gap (points at the expected standard)", ("gap", "disadvantaged"),
     "pct_expected_points", " points"),
    ("SEND gap (points at the expected standard)", ("gap", "send"), "pct_expected_points",
     " points"),
)  # fmt: skip


@dataclass(frozen=True)
class Cell:
    """One figure of one year: `values` is the entry's group or gap (None where the year has
    no entry for the year group), withheld as the report withholds it."""

    values: dict | None
    key: str
    threshold: int | None

    @property
    def interval(self) -> list | None:
        return (self.values or {}).get(f"{self.key}_ci")


def _end_of_each_year(rows: list[tuple]) -> dict[tuple[int, str], tuple]:
    """(academic year, programme name) -> the date of that programme's latest end window
    in the year, and the programme's id."""
    ends: dict = {}
    for programme_id, name, _, on, _, _ in rows:
        key = (academic_year_of(on), name)
        if key not in ends or on > ends[key][0]:
            ends[key] = (on, programme_id)
    return ends


def _chart(columns, labels, entries, kind, unit, series) -> dict:
    def figures(where, name):
        picked = [(entries.get((column, None)) or ({}, None))[0] for column in columns]
        values = [e.get(where[0], {}).get(where[1]) or {} for e in picked]
        return [v.get(name) for v in values], [v.get(f"{name}_ci") for v in values]

    return {"type": kind, "labels": labels, "unit": unit,
            "datasets": [chart_series(key, label, *figures(where, name))
                         for key, label, where, name in series]}  # fmt: skip


def year_trends(rows: list[tuple], *, comparison_shown: bool = True) -> dict | None:
    """From dashboards.selectors.end_of_year_attainment's rows: the years (columns), a table
    for each of MEASURES by year group, and charts of all year groups together. A
    comparison school's own figures only for readers `comparison_shown`. None with fewer
    than two years' figures: one year is no trend, and its figures are on the page already."""
    rows = [r for r in rows if comparison_shown or not is_comparison_school(r[5]["scope"])]
    ends = _end_of_each_year(rows)
    if len(ends) < 2:
        return None
    columns = sorted(ends)
    several = len({name for _, name in columns}) > 1
    labels = [
        academic_year_label(year) + (f", {name}" if several else "") for year, name in columns
    ]
    entries = {}
    for programme_id, name, threshold, on, year_group, figures in rows:
        column = (academic_year_of(on), name)
        if ends[column] == (on, programme_id):
            entries[(column, year_group)] = (figures, threshold)
    year_groups = sorted({yg for _, yg in entries}, key=lambda yg: -1 if yg is None else yg)

    def cell(column, year_group, where, name) -> Cell:
        figures, threshold = entries.get((column, year_group), (None, None))
        return Cell(figures and figures.get(where[0], {}).get(where[1]), name, threshold)

    tables = [
        {"title": title, "unit": unit,
         "rows": [(YEAR_NAMES[yg], [cell(c, yg, where, name) for c in columns])
                  for yg in year_groups]}
        for title, where, name, unit in MEASURES
    ]  # fmt: skip
    charts = {
        "attainment": _chart(columns, labels, entries, "line", "%", (
            ("all", "All pupils", ("groups", "all"), "pct_expected"),
            ("disadvantaged", "Disadvantaged pupils", ("groups", "disadvantaged"), "pct_expected"),
            ("send", "SEND pupils", ("groups", "send"), "pct_expected"),
        )),
        "gap": _chart(columns, labels, entries, "bar", " points", (
            ("disadvantaged", "Disadvantaged gap", ("gap", "disadvantaged"), "pct_expected_points"),
            ("send", "SEND gap", ("gap", "send"), "pct_expected_points"),
        )),
    }  # fmt: skip
    return {"years": labels, "tables": tables, "charts": charts}


def trend_tables(trends: dict | None) -> dict:
    """The trend charts' figures as downloads, by the names their pages give them."""
    charts = trends["charts"] if trends else {}
    return {f"chart-trend-{name}": chart_table(chart) for name, chart in charts.items()}


def school_evaluation(
    *, school, programmes, comparison_shown: bool
) -> tuple[list, dict | None, dict]:
    """What a school's dashboard and its governor report show of the figures: each
    programme's block, the trends over years (or None), and the tables both download."""
    evaluation = school_dashboard_figures(
        school=school, comparison_shown=comparison_shown, programmes=programmes
    )
    over_years = year_trends(
        selectors.end_of_year_attainment(programmes=programmes, school=school),
        comparison_shown=comparison_shown,
    )
    return evaluation, over_years, school_tables(evaluation) | trend_tables(over_years)
