"""Year groups as schools in England name them, 0 being Reception: the one definition of their
labels, for forms, pages, charts and the results files the demo writes."""

from .models import School

YEAR_GROUP_LABELS = {0: "Reception"} | {n: f"Year {n}" for n in range(1, 14)}
# As schools' information systems export them in results files.
YEAR_GROUP_SHORT_LABELS = {0: "R"} | {n: f"Y{n}" for n in range(1, 14)}


def year_groups_for(school: School) -> list[int]:
    phase = school.phase.lower()
    if "secondary" in phase:
        return list(range(7, 14))
    if "primary" in phase or "infant" in phase or "junior" in phase:
        return list(range(0, 7))
    return list(range(0, 14))
