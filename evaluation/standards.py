"""The teacher-assessment codes a results file may give beside or instead of a score, lowest
first: the one list the models' choices, the upload check, the engine's ranking and the pages'
wording are taken from."""

STANDARDS = {
    "PKF": "Pre-key stage foundations",
    "WTS": "Working towards the expected standard",
    "EXS": "Working at the expected standard",
    "GDS": "Working at greater depth",
}
# Each code's rank, by which the engine compares them; 0 is no teacher assessment.
CODES = {"": 0} | {code: rank for rank, code in enumerate(STANDARDS, start=1)}
# Each code as a table's row or column heading says it, where the full wording is too long.
SHORT = {
    "PKF": "Pre-key stage foundations",
    "WTS": "Working towards",
    "EXS": "Expected standard",
    "GDS": "Greater depth",
}
# The bands a scored window's pupils fall in, lowest first: under the expected score, from it
# up to the higher score, and at or above the higher score. A teacher-assessment window's bands
# are its codes (STANDARDS).
SCORE_BANDS = ("below", "expected", "higher")


def in_words() -> str:
    """ "PKF, WTS, EXS or GDS", as pages and error messages list them."""
    *first, last = STANDARDS
    return f"{', '.join(first)} or {last}"


def between_scored(bands: dict | None) -> bool:
    """Whether a report's progress entry, by its `bands`, is between two scored windows, so
    has gains, gap changes and effect sizes (a window of teacher assessments only has its
    codes as bands). Entries stored before such windows had progress entries have no bands,
    and are all between scored windows."""
    return not bands or list(bands["from"]) == list(bands["to"]) == list(SCORE_BANDS)
