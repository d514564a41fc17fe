"""The academic year as schools in England count it, from 1 September to 31 August, named by
the year it starts (2025 is 2025/26): the one definition every app dates a year by."""

from datetime import date

START_MONTH = 9


def academic_year_of(day: date) -> int:
    """The academic year a date falls in."""
    return day.year if day.month >= START_MONTH else day.year - 1


def academic_year_start(year: int) -> date:
    return date(year, START_MONTH, 1)


def academic_year_label(year: int) -> str:
    """2025 as "2025/26"."""
    return f"{year}/{(year + 1) % 100:02d}"
