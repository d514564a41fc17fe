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


def in_words() -> str:
    """ "PKF, WTS, EXS or GDS", as pages and error messages list them."""
    *first, last = STANDARDS
    return f"{', '.join(first)} or {last}"
