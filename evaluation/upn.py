"""The Unique Pupil Number's rule: a check letter, then a local authority's number, then
eight digits and a last digit or letter. Checked for a whole batch of UPNs at once, in NumPy,
and explained one at a time for the rows that fail."""

import numpy as np
from stdnum.gb import upn as upn_rule

UPN_ALPHABET = "ABCDEFGHJKLMNPQRTUVWXYZ0123456789"


def _valid_la_codes() -> frozenset[int]:
    # python-stdnum knows which local-authority numbers are real; ask it once for each.
    codes = set()
    for code in range(100, 1000):
        body = f"{code:03d}000000000"
        if upn_rule.is_valid(upn_rule.calc_check_digit(body) + body):
            codes.add(code)
    return frozenset(codes)


LA_CODES = _valid_la_codes()
UPN_CODES = np.array([ord(char) for char in UPN_ALPHABET])
# Place in the alphabet of each ASCII character, -1 for those a UPN cannot end with.
UPN_PLACE = np.full(128, -1)
UPN_PLACE[UPN_CODES] = np.arange(len(UPN_ALPHABET))
DIGIT_WEIGHTS = np.arange(2, 13)
VALID_LA_CODES = np.array(sorted(LA_CODES))


def normalise_upn(text: str) -> str:
    """A UPN as it is checked and hashed, whoever gives it: in upper case, without the spaces
    a file or a person may put around or inside it."""
    return text.strip().replace(" ", "").upper()


def masked(upn: str) -> str:
    """What an error may show of a UPN: its first four characters."""
    return upn[:4] + "…" if len(upn) > 4 else upn


def valid_upns(upns: list[str]) -> np.ndarray:
    """Which UPNs are well formed, by python-stdnum's rule (tests check they agree), for a
    whole batch at once: a file can hold a million. The check letter weighs each of the last
    12 characters by its place (2 to 13) and its place in the alphabet, where digit d is at
    23 + d."""
    count = len(upns)
    lengths = np.fromiter(map(len, upns), dtype=np.int64, count=count)
    codes = np.array(upns, dtype="U13").view(np.uint32).reshape(count, 13).astype(np.int64)
    digits = codes[:, 1:12] - ord("0")
    all_digits = ((digits >= 0) & (digits <= 9)).all(axis=1)
    la_ok = np.isin(digits[:, :3] @ np.array([100, 10, 1]), VALID_LA_CODES)
    last = UPN_PLACE[np.minimum(codes[:, 12], 127)]
    total = 23 * DIGIT_WEIGHTS.sum() + digits @ DIGIT_WEIGHTS + 13 * last
    return (
        (lengths == 13) & all_digits & la_ok & (last >= 0) & (UPN_CODES[total % 23] == codes[:, 0])
    )


def upn_problem(upn: str) -> str:
    """Why a UPN that valid_upns refused is not one."""
    if len(upn) != 13:
        return f"a UPN has 13 characters, this has {len(upn)}"
    # ASCII digits only: "²" is a digit to str.isdigit but not to int().
    body = upn[1:12]
    if not (body.isascii() and body.isdigit()) or not {upn[0], upn[12]} <= set(UPN_ALPHABET):
        return "a UPN is a letter, then 11 digits, then a digit or letter"
    if int(upn[1:4]) not in LA_CODES:
        return "the UPN's local authority number does not exist"
    return "the UPN's check letter does not match the rest: is it mistyped?"
