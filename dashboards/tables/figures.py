"""The tables of a programme's report that the dashboards offer for download: one table a
list, built from the rows the figures module reads from the stored report. A withheld figure
is the one wording (evaluation.selectors.withheld, at the report's threshold) in its cell, a
figure a number: the file withholds what the page does and keeps numbers as numbers."""

from django_tables2 import Column

from evaluation.selectors import withheld
from mathsprog.tables import PortalTable


def _figure(group: dict | None, name: str, threshold: int | None):
    """A report's figure, or the withheld wording where the report withholds its group."""
    group = group or {}
    return withheld(threshold) if group.get("suppressed") else group.get(name)


def _scope(entry: dict) -> str:
    return "Comparison" if entry["scope"]["type"] == "comparison" else "Programme"


class AttainmentTable(PortalTable):
    window = Column("Assessment")
    schools = Column("Schools")
    pupils = Column("Pupils")
    assessed = Column("Assessed")
    pupils_this_year = Column("Pupils this year")
    mean = Column("Average")
    pct_expected = Column("% expected")
    gap = Column("Disadvantaged gap")
    gap_index = Column("Gap index")


def _attainment_figures(entry: dict, threshold: int | None) -> dict:
    """An attainment entry's figures for all pupils and its gaps; where the figures for all
    pupils are withheld, so is every gap (as on the page)."""
    everyone, gaps = entry["groups"]["all"], entry["gap"]
    hidden = everyone if everyone.get("suppressed") else None
    disadvantaged = hidden or gaps.get("disadvantaged")
    return {
        "pupils": _figure(everyone, "n", threshold),
        "mean": _figure(everyone, "mean", threshold),
        "pct_expected": _figure(everyone, "pct_expected", threshold),
        "gap": _figure(disadvantaged, "pct_expected_points", threshold),
        "gap_index": _figure(disadvantaged, "gap_index", threshold),
        "send_gap": _figure(hidden or gaps.get("send"), "pct_expected_points", threshold),
    }


def attainment_rows(entries: list[dict], threshold: int | None) -> list[dict]:
    """The headlines' attainment, all year groups: a row an assessment and scope."""
    rows = []
    for entry in entries:
        everyone = entry["groups"]["all"]
        coverage = entry.get("coverage") or {"suppressed": everyone.get("suppressed")}
        rows.append({
            "window": entry["window"], "schools": _scope(entry),
            "assessed": _figure(coverage, "assessed", threshold),
            "pupils_this_year": _figure(coverage, "pupils", threshold),
        } | _attainment_figures(entry, threshold))  # fmt: skip
    return rows


class ProgressTable(PortalTable):
    from_window = Column("From")
    to_window = Column("To")
    schools = Column("Schools")
    matched = Column("Matched pupils")
    mean_gain = Column("Average gain")
    disadvantaged_gain = Column("Disadvantaged gain")
    gap_change = Column("Gap change")
    effect_size = Column("Effect size")
    months = Column("Months' progress")


def progress_rows(entries: list[dict], threshold: int | None) -> list[dict]:
    """The headlines' progress of matched pupils: a row a pair of assessments and scope."""
    rows = []
    for entry in entries:
        everyone = entry["groups"]["all"]
        effect = entry.get("effect_size") or {}
        effect = effect.get("all") or {}
        rows.append({
            "from_window": entry["from"], "to_window": entry["to"], "schools": _scope(entry),
            "matched": withheld(threshold) if entry["n_matched"] is None else entry["n_matched"],
            "mean_gain": _figure(everyone, "mean_gain", threshold),
            "disadvantaged_gain": _figure(entry["groups"].get("disadvantaged"), "mean_gain",
                                          threshold),
            "gap_change": _figure(entry["gap_change"].get("disadvantaged"), "mean_points",
                                  threshold),
            "effect_size": _figure(effect, "hedges_g", threshold),
            "months": _figure(effect, "months_progress", threshold),
        })  # fmt: skip
    return rows


class CohortFiguresTable(PortalTable):
    cohort = Column("Cohort")
    pupils = Column("Pupils")
    pct_expected = Column("% expected")
    gap = Column("Disadvantaged gap (points)")
    send_gap = Column("SEND gap (points)")


def cohort_rows(entries: list[dict], threshold: int | None) -> list[dict]:
    """Each cohort at the latest assessment, all year groups."""
    return [{"cohort": e["scope"]["name"]} | _attainment_figures(e, threshold) for e in entries]


class AttentionTable(PortalTable):
    school = Column("School", accessor="scope__name")
    urn = Column("URN")
    n = Column("Pupils")
    pct_expected = Column("% expected")
    gap = Column("Disadvantaged gap (points)")


class YearGroupAttainmentTable(PortalTable):
    year_group = Column("Year group")
    pupils = Column("Pupils")
    mean = Column("Average")
    pct_expected = Column("% expected")
    gap = Column("Disadvantaged gap")
    send_gap = Column("SEND gap")


def year_group_rows(rows: list[tuple[str, dict]], threshold: int | None) -> list[dict]:
    """A school's attainment at the latest assessment, by year group (its name, its entry)."""
    return [{"year_group": name} | _attainment_figures(e, threshold) for name, e in rows]


class YearGroupProgressTable(PortalTable):
    year_group = Column("Year group")
    matched = Column("Pupils")
    mean_gain = Column("Average gain")
    disadvantaged_gain = Column("Disadvantaged gain")
    gap_change = Column("Gap change")


def year_group_progress_rows(rows: list[tuple[str, dict]], threshold: int | None) -> list[dict]:
    """A school's progress from the first assessment to the latest, by year group."""
    result = []
    for name, entry in rows:
        if entry["n_matched"] is None:
            result.append({"year_group": name} | dict.fromkeys(
                ("matched", "mean_gain", "disadvantaged_gain", "gap_change"), withheld(threshold)
            ))  # fmt: skip
            continue
        result.append({
            "year_group": name, "matched": entry["n_matched"],
            "mean_gain": entry["groups"]["all"].get("mean_gain"),
            "disadvantaged_gain": _figure(entry["groups"].get("disadvantaged"), "mean_gain",
                                          threshold),
            "gap_change": _figure(entry["gap_change"].get("disadvantaged"),
                                  "pct_expected_points", threshold),
        })  # fmt: skip
    return result


class ChartTable(PortalTable):
    """A chart's figures: a row a series, a column a label (the labels are the chart's)."""

    series = Column("Series")


def chart_table(chart: dict) -> ChartTable:
    columns = [(f"at_{n}", Column(label)) for n, label in enumerate(chart["labels"])]
    rows = [
        {"series": series["label"]} | {f"at_{n}": value for n, value in enumerate(series["data"])}
        for series in chart["datasets"]
    ]
    return ChartTable(rows, extra_columns=columns)


def programme_tables(*, headlines, charts, threshold, cohorts=(), attention=()) -> dict:
    """The programme's tables of pupil figures, by the names its pages' download links give."""
    tables = {
        "attainment": AttainmentTable(attainment_rows(headlines["attainment"], threshold)),
        "progress": ProgressTable(progress_rows(headlines["progress"], threshold)),
        "cohort-figures": CohortFiguresTable(cohort_rows(cohorts, threshold)),
        "attention": AttentionTable(list(attention)),
    }
    if charts:
        tables |= {f"chart-{name}": chart_table(chart) for name, chart in charts.items()}
    return tables


def school_tables(blocks: list[dict]) -> dict:
    """A school's tables of pupil figures, of each programme it is in (its slug names them)."""
    tables = {}
    for block in blocks:
        if not block["rows"]:
            continue
        slug, threshold = block["programme"].slug, block["status"].threshold
        tables |= {
            f"attainment-{slug}": YearGroupAttainmentTable(
                year_group_rows(block["rows"], threshold)
            ),
            f"progress-{slug}": YearGroupProgressTable(
                year_group_progress_rows(block["progress"], threshold)
            ),
            f"chart-school-{slug}": chart_table(block["chart"]),
        }
    return tables
