"""Every difference between a report's entries and the reference's, as readable lines."""

from .rounding import Figure


def differences(expected, actual, path: str) -> list[str]:
    """Where actual differs from expected: same keys in every dict, each Figure accepting the
    number shown, every other value equal (and True/False not standing for 1/0)."""
    if isinstance(expected, Figure):
        ok = expected.accepts(actual)
    elif isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [f"{path}: expected {to_plain(expected)!r}, engine {actual!r}"]
        found = []
        for key in expected.keys() - actual.keys():
            found.append(f"{path}.{key}: missing (expected {to_plain(expected[key])!r})")
        for key in actual.keys() - expected.keys():
            found.append(f"{path}.{key}: not expected (engine {actual[key]!r})")
        for key in expected.keys() & actual.keys():
            found += differences(expected[key], actual[key], f"{path}.{key}")
        return found
    elif isinstance(expected, list):  # an interval [low, high], or a window's bands
        if not isinstance(actual, list | tuple) or len(actual) != len(expected):
            return [f"{path}: expected {to_plain(expected)!r}, engine {actual!r}"]
        found = []
        for i, (bound, given) in enumerate(zip(expected, actual, strict=True)):
            found += differences(bound, given, f"{path}[{i}]")
        return found
    elif expected is None or isinstance(expected, bool):
        ok = actual is expected
    elif isinstance(expected, int):
        ok = not isinstance(actual, bool) and actual == expected
    else:
        ok = actual == expected
    return [] if ok else [f"{path}: expected {to_plain(expected)!r}, engine {actual!r}"]


def to_plain(value):
    """The reference's value as the report would show it (a tie's first choice)."""
    if isinstance(value, Figure):
        return value.shown
    if isinstance(value, dict):
        return {key: to_plain(v) for key, v in value.items()}
    if isinstance(value, list):
        return [to_plain(v) for v in value]
    return value


def attainment_key(entry: dict) -> tuple:
    scope = entry["scope"]
    return (scope["type"], scope["id"], entry["year_group"], entry["window"])


def progress_key(entry: dict) -> tuple:
    scope = entry["scope"]
    return (scope["type"], scope["id"], entry["year_group"], entry["from"], entry["to"])


def compare_entries(kind: str, expected: dict[tuple, dict], entries: list[dict], key) -> list:
    """Differences between the reference's entries (by key) and the engine's (a list)."""
    found = []
    actual = {}
    for entry in entries:
        k = key(entry)
        if k in actual:
            found.append(f"{kind} {k}: given twice")
        actual[k] = entry
    for k in sorted(expected.keys() - actual.keys(), key=repr):
        found.append(f"{kind} {k}: missing")
    for k in sorted(actual.keys() - expected.keys(), key=repr):
        found.append(f"{kind} {k}: not expected")
    for k in sorted(expected.keys() & actual.keys(), key=repr):
        found += differences(expected[k], actual[k], f"{kind} {k}")
    return found
