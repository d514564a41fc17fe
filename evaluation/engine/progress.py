"""Progress between two windows: the pupils counted at both, per scope and year group as they
were at the earlier one, by band at each window (transitions), and the pupils lost between
the two; where both windows are scored, also the pupils' gains, the change in the gaps over
the same pupils and the effect size against the comparison schools. A window of teacher
assessments only has no scores to gain: those figures are null in its entries."""

import numpy as np

from . import definitions, intervals, transitions
from .definitions import EFFECT_GROUPS, GAPS, GROUPS
from .present import Presenter, counts_at, figures, intervals_at
from .rows import Matched, WindowRows
from .scopes import ALL_YEARS, YEARS, Membership, school_cells, year_of
from .sums import Scale, Sums, gap_index
from .threads import each

GAP_CHANGE_FIELDS = ("mean_points", "pct_expected_points", "gap_index", "mean_points_ci")


def progress(earlier: WindowRows, later: WindowRows, memberships: list[Membership], *,
             comparison: Membership | None, threshold: int, comparison_schools: frozenset
             ) -> list[dict]:  # fmt: skip
    """`comparison` (one of `memberships`, or None) is the comparison schools' membership."""
    scored = earlier.scored and later.scored
    bands = {"from": list(earlier.bands), "to": list(later.bands)}
    shape = (len(bands["from"]), len(bands["to"]))
    measured = each(_measurer(Matched.of(earlier, later), shape, scored), memberships)
    arm = measured[memberships.index(comparison)] if comparison and scored else None
    present = Presenter(threshold)
    entries = []
    for membership, m in zip(memberships, measured, strict=True):
        shown = np.flatnonzero(m["gain"].n["all"] > 0)
        clusters = _clusters(m, arm) if arm is not None else None
        columns = _columns(m, shown, scored)
        for j, key in enumerate(shown.tolist()):
            scope = membership.scope(key, comparison_schools)
            entry = {"scope": scope, "year_group": year_of(key), "from": earlier.slug,
                     "to": later.slug, **_entry(present, columns, j, bands)}  # fmt: skip
            in_programme = scope["type"] != "comparison" and not scope.get("comparison")
            if arm is not None and in_programme and entry["n_matched"] is not None:
                hidden = present.hidden({g: columns["n"][g][j] for g in GROUPS})
                entry["effect_size"] = {g: _effect(m, arm, key, g, hidden, threshold, clusters)
                                        for g in EFFECT_GROUPS}  # fmt: skip
            entries.append(entry)
    return entries


def _measurer(matched: Matched, shape: tuple[int, int], scored: bool):
    """A function that measures, for one membership, the sums behind every figure: the
    matched pupils' gains (counts only where a window has no scores: the gains are then NaN)
    with their transition cells, the pupils assessed at the earlier window (for attrition),
    and where both windows are scored the figures of _score_measurer."""
    rows = matched.earlier
    index = np.arange(len(rows.pupil))
    schools, at, cells, cell_count = school_cells(rows, index)
    splits = rows.splits(index)
    bands = transitions.cell_flags(rows.band(), matched.after_band, shape)
    gains = matched.after - matched.before
    by_school = {"gain": Sums.of_rows(cells, cell_count, splits, gains, bands)}
    scores = None
    if scored:
        by_school |= {
            "before": Sums.of_rows(cells, cell_count, splits, matched.before,
                                   (rows.at_expected(),)),
            "after": Sums.of_rows(cells, cell_count, splits, matched.after,
                                  (matched.after_expected,)),
        }  # fmt: skip
        scores = _score_measurer(matched, schools, at, by_school["after"])
    window, assessed = matched.window_before, matched.assessed_before
    assessed_schools, _, assessed_cells, assessed_size = school_cells(window, assessed)
    assessed_by_school = Sums.of_rows(assessed_cells, assessed_size, window.splits(assessed))

    def measure(membership: Membership) -> dict:
        to_scopes = membership.cells(schools)
        result = {name: sums.regrouped(*to_scopes) for name, sums in by_school.items()}
        result["assessed"] = assessed_by_school.regrouped(*membership.cells(assessed_schools))
        return result | (scores(membership) if scores else {})

    return measure


def _score_measurer(matched: Matched, schools: np.ndarray, at: np.ndarray, after: Sums):
    """For the effect size and the gap changes of two scored windows: a function giving, for
    one membership, the later scores' sums per school (for the ICC) and the gap indices at
    both windows."""
    rows, index = matched.earlier, np.arange(len(matched.before))
    clustered = {g: intervals.cluster_sums(after.totals[g], len(schools)) for g in EFFECT_GROUPS}
    scales = Scale(matched.before), Scale(matched.after)  # for the gap index, once for all

    def measure(membership: Membership) -> dict:
        keys, key_rows, size = membership.keys(rows.year_group, schools, at, index)
        behind = rows.behind(key_rows)
        sources, cluster_keys, _ = membership.clusters(schools)
        return {
            "clusters": {
                g: np.stack([np.bincount(cluster_keys, row[sources], size) for row in sums])
                for g, sums in clustered.items()
            },
            "index_before": gap_index(keys, size, scales[0], key_rows, behind),
            "index_after": gap_index(keys, size, scales[1], key_rows, behind),
        }

    return measure


def _columns(m: dict, shown: np.ndarray, scored: bool) -> dict:
    """Every figure of every key shown, a list a figure and group."""
    nothing = [None] * len(shown)
    return {
        "n": counts_at(m["gain"].n, shown),
        "assessed": counts_at(m["assessed"].n, shown),
        "gain": {g: figures(m["gain"].mean(g)[shown], 2) if scored else nothing for g in GROUPS},
        "transitions": {g: m["gain"].totals[g][3:][:, shown].astype(int).T.tolist()
                        for g in transitions.TRANSITION_GROUPS},
        "changes": {name: _gap_changes(m, shown, name, ahead, behind) if scored
                    else dict.fromkeys(GAP_CHANGE_FIELDS, nothing)
                    for name, (ahead, behind) in GAPS.items()},
    }  # fmt: skip


def _entry(present: Presenter, columns: dict, j: int, bands: dict[str, list[str]]) -> dict:
    counts = {g: columns["n"][g][j] for g in GROUPS}
    hidden = present.hidden(counts)
    groups = {
        g: present.withheld(("n", "mean_gain")) if g in hidden else {
            "n": counts[g], "mean_gain": columns["gain"][g][j] if counts[g] else None,
        }
        for g in GROUPS
    }  # fmt: skip
    assessed = {g: columns["assessed"][g][j] for g in GROUPS}
    cells = {g: column[j] for g, column in columns["transitions"].items()}
    return {
        "n_matched": None if "all" in hidden else counts["all"],
        "groups": groups,
        "gap_change": present.gaps(columns["changes"], j, counts, hidden),
        "effect_size": None,
        "attrition": present.attrition(assessed, counts, hidden),
        "bands": bands,
        "transitions": transitions.matrices(cells, hidden, present.threshold, bands),
    }


def _gap_changes(m, shown, name, ahead, behind) -> dict[str, list]:
    """How a gap changed from the earlier window to the later, at each key shown."""

    def change(of):
        return (of(m["after"], ahead) - of(m["after"], behind)
                - of(m["before"], ahead) + of(m["before"], behind))[shown]  # fmt: skip

    def of(sums, group):
        return sums.n[group][shown], sums.mean(group)[shown], sums.sd(group)[shown]

    low, high = intervals.welch(of(m["gain"], ahead), of(m["gain"], behind))
    with np.errstate(invalid="ignore"):  # a key with no gap has NaN or infinite indices
        return {
            "mean_points": figures(change(lambda sums, g: sums.mean(g)), 2),
            "pct_expected_points": figures(change(lambda sums, g: sums.share(g, 0)), 1),
            "gap_index": figures((m["index_after"][name] - m["index_before"][name])[shown], 2),
            "mean_points_ci": intervals_at(low, high, 2),
        }


def _clusters(m, arm) -> dict[str, tuple[np.ndarray, ...]]:
    """For each of EFFECT_GROUPS at every key: the ICC of the later scores of its matched
    pupils and the comparison schools' of the same year group (or all), their pupils, their
    schools and the share of those in this scope. The two arms' schools are distinct, so
    their totals add."""
    result = {}
    other = np.arange(len(m["gain"].n["all"])) % YEARS  # the comparison arm's key
    for g in EFFECT_GROUPS:
        ours, theirs = m["after"].totals[g], arm["after"].totals[g][:, other]
        both = ours[:3] + theirs[:3]
        per_school = m["clusters"][g] + arm["clusters"][g][:, other]
        with np.errstate(invalid="ignore", divide="ignore"):
            share = m["clusters"][g][2] / per_school[2]
        result[g] = (intervals.icc(*both, *per_school), both[0], per_school[2], share)
    return result


def _effect(m, arm, key, group, hidden, threshold, clusters) -> dict | None:
    """Hedges' g for one group: this scope's pupils against the comparison schools' pupils in
    the same year group (or all year groups)."""
    year = year_of(key)
    other = ALL_YEARS if year is None else year  # the comparison membership has one scope
    n1, n2 = int(m["gain"].n[group][key]), int(arm["gain"].n[group][other])
    if not (n1 and n2):
        return None
    if group in hidden or n1 < threshold or n2 < threshold:
        return {"suppressed": True}
    return definitions.hedges_g(
        n1, float(m["gain"].mean(group)[key]), float(m["after"].sd(group)[key]),
        n2, float(arm["gain"].mean(group)[other]), float(arm["after"].sd(group)[other]),
        tuple(float(figure[key]) for figure in clusters[group]),
    )  # fmt: skip
