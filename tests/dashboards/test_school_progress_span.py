"""A school's progress on its dashboard runs to the latest window from the earliest that has
any progress to it: in a programme's second year, with new pupils, the programme's first
window (last year's baseline) has none."""

from dashboards.figures import _school_block

WINDOWS = [("baseline-2024", "Baseline 2024"), ("end-2025", "End of year 2025"),
           ("baseline-2025", "Baseline 2025"), ("interim-2026", "Interim 2026"),
           ("end-2026", "End of year 2026")]  # fmt: skip


def _progress(start: str, end: str, n: int) -> dict:
    return {"from": start, "to": end, "year_group": None, "n_matched": n, "groups": {},
            "attrition": None}  # fmt: skip


def test_progress_runs_from_the_earliest_window_with_any_to_the_latest():
    figures = {"attainment": [], "progress": [
        _progress("baseline-2024", "end-2025", 100),  # last year's pupils
        _progress("interim-2026", "end-2026", 80),
        _progress("baseline-2025", "end-2026", 90),
        _progress("gone", "end-2026", 1),  # a window removed since the report: left out
    ]}  # fmt: skip
    block = _school_block(figures, WINDOWS)
    assert (block["first"], block["latest"]) == ("Baseline 2025", "End of year 2026")
    [(_, shown)] = block["progress"]
    assert (shown["from"], shown["n_matched"]) == ("Baseline 2025", 90)


def test_without_progress_it_names_the_first_window():
    block = _school_block({"attainment": [], "progress": []}, WINDOWS)
    assert (block["first"], block["progress"]) == ("Baseline 2024", [])
