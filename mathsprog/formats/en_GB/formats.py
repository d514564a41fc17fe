"""British formats with one change: ISO first among the date input formats.

A form field renders its value with the first input format, and <input type="date"> accepts
only ISO 8601 (2026-12-01); rendered as 01/12/2026 the field opens empty. British dates typed
by hand are still accepted, and dates shown as text keep Django's British DATE_FORMAT.
"""

DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # 2026-12-01, what a date picker sends and shows
    "%d/%m/%Y",  # 01/12/2026
    "%d/%m/%y",  # 01/12/26
]
