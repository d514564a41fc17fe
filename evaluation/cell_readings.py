"""What each cell of a results file may say, and what it stands for: the readings that do not
depend on the upload (its schools and its window's scale are the validator's)."""

from schools.year_groups import YEAR_GROUP_LABELS, YEAR_GROUP_SHORT_LABELS

from .standards import STANDARDS, in_words

YES_NO = {"y": True, "yes": True, "true": True, "1": True,
          "n": False, "no": False, "false": False, "0": False}  # fmt: skip
# Every label the portal writes ("Reception", "Y6") reads back, and the other ways files say them.
YEAR_GROUPS = (
    {"yr": 0, "yearr": 0}
    | {str(n): n for n in range(1, 14)}
    | {
        label.replace(" ", "").lower(): n
        for labels in (YEAR_GROUP_LABELS, YEAR_GROUP_SHORT_LABELS)
        for n, label in labels.items()
    }
)
SEND = {"": "N", "n": "N", "k": "K", "e": "E"}
GENDERS = {"": "", "m": "M", "f": "F"}
STANDARD_CODES = {code.lower(): code for code in STANDARDS}


def read_year_group(text: str) -> tuple:
    year_group = YEAR_GROUPS.get(text.replace(" ", "").lower())
    if year_group is None:
        return None, 'a year group is R or 1 to 13 ("Year 6", "Y6" and "6" all work)'
    return year_group, None


def read_disadvantaged(text: str) -> tuple:
    value = YES_NO.get(text.lower())
    return (None, "should be Y or N") if value is None else (value, None)


def read_send(text: str) -> tuple:
    send = SEND.get(text.lower())
    if send is None:
        return None, "should be N (none), K (SEN support) or E (EHC plan)"
    return send, None


def read_eal(text: str) -> tuple:
    return (None, None) if not text else read_disadvantaged(text)


def read_gender(text: str) -> tuple:
    gender = GENDERS.get(text.lower())
    return (None, "should be M or F") if gender is None else (gender, None)


def read_standard(text: str) -> tuple:
    standard = STANDARD_CODES.get(text.lower(), "") if text else ""
    return ("", f"should be {in_words()}") if text and not standard else (standard, None)


READINGS_KEPT = 20_000


class Readings(dict):
    """A field's value for each distinct text, worked out once (a file repeats a few values,
    Y, N, Year 6, 104, over a million rows); `problems` holds why a text has none."""

    def __init__(self, read):
        super().__init__()
        self.read = read
        self.problems: dict[str, str] = {}
        self.chars = 0

    def __missing__(self, text: str):
        value, problem = self.read(text)
        if problem:
            self.problems[text] = problem
        self[text] = value
        self.chars += len(text)
        return value

    def forget_if_many(self) -> None:
        """Between chunks: a file of a million different values would keep them all."""
        if len(self) > READINGS_KEPT or self.chars > READINGS_KEPT * 16:
            self.clear()
            self.problems.clear()
            self.chars = 0
