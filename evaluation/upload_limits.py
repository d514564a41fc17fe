"""What one results file may cost to read. A worker's memory and time must not follow the
file's shape: every reader stops, with a message for the person who sent the file, at the
first row, cell or table that is larger than any school's export could be."""

from django.conf import settings


class UnreadableFile(Exception):
    """The file cannot be read at all; the message says why, for the person who sent it."""


def row_too_long(row: int) -> UnreadableFile:
    return UnreadableFile(
        f"Row {row} is longer than {settings.UPLOAD_MAX_ROW_CHARS:,} characters, far longer "
        "than a row of results: is this the right file?"
    )


def cell_too_long(row: int, column: int) -> UnreadableFile:
    return UnreadableFile(
        f"Row {row}, column {column} holds more than {settings.UPLOAD_MAX_CELL_CHARS:,} "
        "characters, more than a spreadsheet cell can: is this the right file?"
    )


def too_many_columns(row: int) -> UnreadableFile:
    return UnreadableFile(
        f"Row {row} has more than {settings.UPLOAD_MAX_COLUMNS:,} columns. Keep the columns "
        "of results (and any others) within that, and upload the file again."
    )


def took_too_long() -> str:
    seconds = settings.UPLOAD_CHECK_SECONDS
    limit = f"{seconds // 60} minutes" if seconds >= 120 else f"{seconds} second(s)"
    return (
        f"This file took too long to check (more than {limit}), so the check was stopped and "
        "nothing was saved. A file of a million rows takes about a minute: check that this is "
        "the right file, or split it in two, and upload it again."
    )
