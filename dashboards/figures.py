"""What the dashboards and reports show of a programme's stored report: headlines, chart
settings, the schools to look at, and a school's own figures by year group."""

from itertools import chain

from django.db.models import QuerySet

from evaluation.models import EntryKind, ReportSnapshot
from evaluation.selectors import is_comparison_school, of_report, report_status
from evaluation.standards import between_scored
from programmes.models import Programme
from schools.models import School
from schools.year_groups import YEAR_GROUP_LABELS


def programme_headlines(*, snapshot: ReportSnapshot | None, programme: Programme) -> dict:
    """The programme-wide figures (all year groups) of the latest report, for its dashboard:
    attainment at each window and progress between each pair, in the order of the windows'
    dates and each window by its name; and of the programme's own schools, `latest`, the
    attainment at the latest window with figures, and `change`, the progress from the first
    window to that one of those between scored windows, whose gap changes it shows (each
    None where the report has none)."""
    if snapshot is None:
        return {"attainment": [], "progress": [], "latest": None, "change": None}

    def read():
        headlines = {"attainment": [], "progress": []}
        entries = snapshot.entries.filter(
            scope_type__in=["programme", "comparison"], scope_id=programme.pk, year_group=None
        ).order_by("pk")
        for kind, figures in entries.values_list("kind", "figures"):
            headlines[kind].append(with_attrition_gap(figures))
        return headlines

    # Names are read afresh: a window renamed since the report was stored shows its new name.
    return _named(of_report(snapshot, "headlines", read), _windows(programme))


def _windows(programme: Programme) -> list[tuple[str, str]]:
    """The programme's assessment windows, (slug, name), in date order."""
    return list(programme.assessment_windows.order_by("date").values_list("slug", "name"))


def _named(headlines: dict, windows: list[tuple[str, str]]) -> dict:
    """`headlines` sorted by their windows' dates, each window shown by its name (a window
    since removed keeps its slug, and comes last), with the programme's latest figures."""
    order = {slug: n for n, (slug, _) in enumerate(windows)}
    names = dict(windows)

    def when(slug: str) -> int:
        return order.get(slug, len(order))

    attainment = sorted(headlines["attainment"], key=lambda e: when(e["window"]))
    progress = sorted(headlines["progress"], key=lambda e: (when(e["from"]), when(e["to"])))
    ours = [e for e in attainment if e["scope"]["type"] == "programme"]
    latest = ours[-1] if ours else None
    to_latest = [
        e
        for e in progress
        if latest
        and e["scope"]["type"] == "programme"
        and e["to"] == latest["window"]
        and between_scored(e.get("bands"))
    ]

    def named(entry: dict | None) -> dict | None:
        if entry is None:
            return None
        keys = ("window", "from", "to")
        return entry | {k: names.get(entry[k], entry[k]) for k in keys if k in entry}

    return {
        "attainment": [named(e) for e in attainment],
        "progress": [named(e) for e in progress],
        "latest": named(latest),
        "change": named(to_latest[0]) if to_latest else None,
    }


# Pupils lost between two windows bias progress when one group loses more of its pupils: say
# so in words where disadvantaged pupils were lost at a rate this many points above others.
ATTRITION_GAP_POINTS = 5


def with_attrition_gap(entry: dict) -> dict:
    """A progress entry with `attrition_gap`: the shares (%) of disadvantaged and of other
    pupils assessed at the earlier window but not the later, where the first is more than
    ATTRITION_GAP_POINTS above the second (else None). Attainment entries are left as
    they are."""
    attrition = entry.get("attrition")
    if attrition is None:
        return entry
    lost = attrition["disadvantaged"], attrition["other"]
    rates = [100 * g["lost"] / g["of"] if g.get("of") else None for g in lost]
    shown = None not in rates and rates[0] - rates[1] > ATTRITION_GAP_POINTS
    entry["attrition_gap"] = (
        {"disadvantaged": round(rates[0]), "other": round(rates[1])} if shown else None
    )
    return entry


def _latest_window(programme) -> str | None:
    window = programme.assessment_windows.order_by("-date").values_list("slug", flat=True).first()
    return window


# Each series of every chart: one colour (Okabe-Ito, safe for colour-blind readers; only
# those of 3:1 or more against white, for WCAG 1.4.11, so the comparison schools' two series
# share green) and a second cue (marker, dash and bar pattern) that tells them apart in
# greyscale.
SERIES = {
    "all": {"colour": "#000000", "marker": "circle", "dash": [], "pattern": "solid"},
    "disadvantaged": {"colour": "#D55E00", "marker": "triangle", "dash": [6, 3],
                      "pattern": "stripes"},
    "other": {"colour": "#0072B2", "marker": "rect", "dash": [], "pattern": "dots"},
    "send": {"colour": "#CC79A7", "marker": "rectRot", "dash": [2, 2], "pattern": "grid"},
    "comparison": {"colour": "#009E73", "marker": "crossRot", "dash": [10, 4],
                   "pattern": "backstripes"},
    "comparison_gap": {"colour": "#009E73", "marker": "crossRot", "dash": [10, 4],
                       "pattern": "backstripes"},
}  # fmt: skip


def chart_series(key: str, label: str, data: list, intervals: list) -> dict:
    """A chart's series: its figures, their 95% intervals ([low, high] or None) and the
    series' one look (SERIES)."""
    return {"label": label, "key": key, "data": data, "intervals": intervals} | SERIES[key]


def programme_charts(*, snapshot, programme) -> dict:
    """Attainment and the disadvantaged gap at each window, for the programme and its
    comparison schools: the chart data (with the same figures in a table beside it)."""
    windows = _windows(programme)

    def read():
        entries = snapshot.entries.filter(
            kind=EntryKind.ATTAINMENT,
            scope_type__in=["programme", "comparison"],
            scope_id=programme.pk,
            year_group=None,
        ).values_list("figures", flat=True)
        return {(entry["scope"]["type"], entry["window"]): entry for entry in entries}

    figures = of_report(snapshot, "charts", read) if snapshot else {}

    def series(key, label, scope, group, figure):
        entries = [figures.get((scope, slug)) for slug, _ in windows]
        picked = [e and e[group[0]][group[1]] for e in entries]
        values = [p and p.get(figure) for p in picked]
        return chart_series(key, label, values, [p and p.get(f"{figure}_ci") for p in picked])

    labels = [name for _, name in windows]
    return {
        "attainment": {
            "type": "line",
            "labels": labels,
            "unit": "%",
            "datasets": [
                series(key, label, scope, ("groups", group), "pct_expected")
                for key, label, scope, group in (
                    ("all", "All pupils", "programme", "all"),
                    ("disadvantaged", "Disadvantaged pupils", "programme", "disadvantaged"),
                    ("send", "SEND pupils", "programme", "send"),
                    ("comparison", "Comparison schools", "comparison", "all"),
                )
            ],
        },
        "gap": {
            "type": "bar",
            "labels": labels,
            "unit": " points",
            "datasets": [
                series(key, label, scope, ("gap", gap), "pct_expected_points")
                for key, label, scope, gap in (
                    ("disadvantaged", "Disadvantaged gap", "programme", "disadvantaged"),
                    ("send", "SEND gap", "programme", "send"),
                    (
                        "comparison_gap",
                        "Disadvantaged gap, comparison",
                        "comparison",
                        "disadvantaged",
                    ),
                )  # fmt: skip
            ],
        },
    }


def cohort_figures(*, snapshot, programme) -> list[dict]:
    """Each cohort at the latest window, all year groups: pupils, share at expected, gaps."""
    latest = _latest_window(programme)
    if snapshot is None or latest is None:
        return []

    def read():
        entries = snapshot.entries.filter(
            kind=EntryKind.ATTAINMENT, scope_type="cohort", year_group=None, window=latest
        ).values_list("figures", flat=True)
        return sorted(entries, key=lambda e: e["scope"]["name"])

    return of_report(snapshot, "cohorts", read, latest)


def schools_needing_attention(*, snapshot, programme, limit: int = 10) -> list[dict]:
    """At the latest window, the schools with the widest disadvantaged gap (points at the
    expected standard), then the lowest share at the expected standard. Schools whose figures
    are withheld cannot be ranked and are left out."""
    latest = _latest_window(programme)
    if snapshot is None or latest is None:
        return []

    def read():
        # Only the figures wanted, picked out of each entry by the database; comparison
        # schools (as the report says) are not the programme's to rank.
        return list(
            snapshot.entries.filter(
                kind=EntryKind.ATTAINMENT, scope_type="school", year_group=None, window=latest
            ).values_list(
                "scope_id",
                "figures__scope__name",
                "figures__scope__comparison",
                "figures__gap__disadvantaged__pct_expected_points",
                "figures__groups__all__pct_expected",
                "figures__groups__all__n",
            )
        )

    rows = [
        {"scope": {"type": "school", "id": school_id, "name": name}, "gap": gap,
         "pct_expected": share, "n": n}
        for school_id, name, comparison, gap, share, n in of_report(
            snapshot, "schools", read, latest)
        if not comparison and gap is not None and share is not None
    ]  # fmt: skip
    rows.sort(key=lambda row: (-row["gap"], row["pct_expected"]))
    rows = rows[:limit]
    shown = [row["scope"]["id"] for row in rows]
    urns = dict(School.objects.filter(pk__in=shown).values_list("pk", "urn"))
    return [row | {"urn": urns[row["scope"]["id"]]} for row in rows if row["scope"]["id"] in urns]


def school_figures(*, snapshot, school) -> dict:
    """A school's own figures: attainment by window and year group, and progress."""
    result = {"attainment": [], "progress": []}
    if snapshot is None:
        return result

    def read():
        entries = snapshot.entries.filter(scope_type="school", scope_id=school.pk).order_by("pk")
        for kind, figures in entries.values_list("kind", "figures"):
            result[kind].append(figures)
        return result

    return of_report(snapshot, "school", read, school.pk)


YEAR_NAMES = {None: "All year groups"} | YEAR_GROUP_LABELS


def school_dashboard_figures(
    *, school, comparison_shown: bool, programmes: QuerySet[Programme]
) -> list[dict]:
    """For each of `programmes` (those the school takes part in, or compares for, that the
    reader may see: accounts.access.school_programmes_visible_to): its figures at the
    latest assessment by year group, its progress since the first, and a chart. Where the
    report has it as a comparison school, only for readers `comparison_shown` (its own people
    and site admins): others see comparison schools only as a group."""
    result = []
    for programme in programmes:
        status = report_status(programme=programme)
        figures = school_figures(snapshot=status.snapshot, school=school)
        entries = chain(figures["attainment"], figures["progress"])
        if not comparison_shown and any(is_comparison_school(e["scope"]) for e in entries):
            continue
        windows = _windows(programme)
        seen = {e["window"] for e in figures["attainment"]}
        windows = [(slug, name) for slug, name in windows if slug in seen]
        block = {"programme": programme, "status": status, "rows": []}
        result.append(block | (_school_block(figures, windows) if windows else {}))
    return result


def _by_year_group(entries) -> list[dict]:
    return sorted(entries, key=lambda e: -1 if e["year_group"] is None else e["year_group"])


def _school_block(figures: dict, windows: list[tuple[str, str]]) -> dict:
    latest_slug, latest_name = windows[-1]
    names, order = dict(windows), {slug: n for n, (slug, _) in enumerate(windows)}
    # Progress to the latest window from the earliest that has any: over several academic
    # years with new pupils, the programme's first window has none to the latest.
    starts = [e["from"] for e in figures["progress"] if e["to"] == latest_slug]
    first_slug = min((s for s in starts if s in order), key=order.get, default=windows[0][0])
    first_name = names[first_slug]
    rows = _by_year_group(e for e in figures["attainment"] if e["window"] == latest_slug)
    # The windows by their names, as the attrition note says them.
    progress = _by_year_group(
        with_attrition_gap(e) | {"from": first_name, "to": latest_name}
        for e in figures["progress"]
        if e["from"] == first_slug and e["to"] == latest_slug
    )
    by_year = [r for r in rows if r["year_group"] is not None]
    chart = {
        "type": "bar",
        "unit": "%",
        "labels": [YEAR_NAMES[r["year_group"]] for r in by_year],
        "datasets": [
            chart_series(
                group,
                label,
                [r["groups"][group]["pct_expected"] for r in by_year],
                [r["groups"][group].get("pct_expected_ci") for r in by_year],
            )
            for group, label in (
                ("disadvantaged", "Disadvantaged pupils"),
                ("other", "Other pupils"),
            )
        ],
    }
    return {
        "latest": latest_name,
        "first": first_name,
        "rows": [(YEAR_NAMES[r["year_group"]], r) for r in rows],
        "progress": [(YEAR_NAMES[p["year_group"]], p) for p in progress],
        "attrition": [p for p in progress if p["year_group"] is None],
        "chart": chart,
    }
