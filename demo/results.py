"""Demo assessment results for 2025/26, loaded through the real upload pipeline (check,
preview, set-based import) as a hub would send them: baseline, interim and end scores for the
cohorts that started that year and for the comparison schools, and their Year 2 teachers'
judgements in the summer (demo.last_year loads 2024/25's). Programme schools progress a
little faster than comparison schools, and their disadvantaged pupils catch up a little. As in
real files, pupils leave after the baseline and others join later, and each file lists its
pupils in an order of its own."""

import csv
import io
import random
from functools import partial

from django.core.files.base import ContentFile

from evaluation import services
from evaluation.models import AssessmentWindow, PupilYear
from evaluation.pseudonym import upn_hash
from programmes.models import Programme
from schools.models import School
from schools.year_groups import YEAR_GROUP_SHORT_LABELS

from .delivery import ACADEMIC_YEAR

# Mean gain over the baseline at each window: (programme schools, comparison schools), and the
# extra gain of disadvantaged pupils in programme schools.
GAINS = {"baseline-2025": (0, 0, 0), "interim-2026": (2.5, 1.5, 1.0), "end-2026": (5.0, 3.0, 2.0)}
LEAVERS = 30  # every 30th pupil of a school leaves after the baseline
JOINERS = 2  # pupils who join each school after the baseline


def assessed_schools(programme: Programme, started_cohort_ids) -> list[tuple[School, int, bool]]:
    """The schools whose results the hub has: those of the cohorts started and the comparison
    schools, each with the establishment number of its pupils' UPNs and whether it is a
    programme school."""
    enrolled = programme.enrolments.filter(cohort__in=started_cohort_ids).select_related(
        "school__local_authority"
    )
    order = {
        school.pk: n
        for n, school in enumerate(
            School.objects.filter(enrolments__programme=programme).order_by("urn")
        )
    }
    comparisons = programme.comparison_schools.select_related("school__local_authority")
    return [(e.school, 2000 + order[e.school_id], True) for e in enrolled] + [
        (c.school, 3000 + index, False)
        for index, c in enumerate(comparisons.order_by("school__urn"))
    ]


def _pupils(rng, programme: Programme, started_cohort_ids, make_upn):
    """(serial, pupil) pairs: the pupil's place among their school's pupils, and (UPN, URN,
    year group, disadvantaged, SEND, EAL, gender, is_programme_school, ability)."""
    years = {
        year.pupil.upn_hash: year
        for year in PupilYear.objects.filter(
            academic_year=ACADEMIC_YEAR, programme=programme
        ).select_related("pupil")
    }
    pupils = []
    for school, establishment, in_programme in assessed_schools(programme, started_cohort_ids):
        code = school.local_authority.code
        if not in_programme:
            pupils += unlisted_pupils(rng, school, partial(make_upn, code, establishment))
            continue
        for serial in range(120, 120 + JOINERS):
            upn = make_upn(code, establishment, serial)
            pupils.append((serial, (upn, school.urn, *_details(rng), True, rng.gauss(0, 1))))
        for serial in range(120):
            upn = make_upn(code, establishment, serial)
            year = years[upn_hash(upn, programme_id=programme.pk)]
            listed = (year.year_group, year.disadvantaged, year.send, year.eal, year.gender)
            pupils.append((serial, (upn, school.urn, *listed, True, rng.gauss(0, 1))))
    return pupils


def unlisted_pupils(rng, school: School, upn_of, *, in_programme=False, disadvantaged=0.3):
    """(serial, pupil) pairs, as _pupils gives them, of a school's pupils whom the demo did
    not list: 40 in each year group and the joiners in any. `upn_of(serial)` is a UPN."""
    pupils = []
    for serial in range(120 + JOINERS):
        year_group = serial // 40 if serial < 120 else rng.randrange(3)
        details = _details(rng, disadvantaged)[1:]
        pupil = (upn_of(serial), school.urn, year_group, *details, in_programme, rng.gauss(0, 1))
        pupils.append((serial, pupil))
    return pupils


def _details(rng, disadvantaged: float = 0.3) -> tuple:
    """Year group, disadvantaged (with that chance), SEND, EAL and gender of a pupil the
    school did not list."""
    send = rng.choices(["N", "K", "E"], [86, 12, 2])[0]
    return (
        rng.randrange(3),
        rng.random() < disadvantaged,
        send,
        rng.random() < 0.4,
        rng.choice("MF"),
    )


def _in_window(serial: int, first: bool) -> bool:
    """Whether a pupil (the serial-th of their school) sits a window: joiners only after the
    baseline, leavers only at it."""
    if serial >= 120:
        return not first
    return first or serial % LEAVERS != LEAVERS - 1


def _score(rng, pupil, gains: tuple) -> int:
    """A pupil's score at a window with `gains` (one of GAINS' values)."""
    *_, disadvantaged, send, _eal, _gender, in_programme, ability = pupil
    programme_gain, comparison_gain, catch_up = gains
    mean = 100 - 4.5 * disadvantaged - 6 * (send != "N") + 6 * ability
    mean += (programme_gain + catch_up * disadvantaged) if in_programme else comparison_gain
    return max(80, min(120, round(mean + rng.gauss(0, 3))))


def upload(window: AssessmentWindow, rows: list[tuple], result: str = "Score") -> None:
    """Send `rows` (UPN, URN, year group, disadvantaged, SEND, EAL, gender, then the score or
    the teacher assessment, named by `result`) for `window` through the upload pipeline, as
    a hub would: stored, checked, then imported."""
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(["UPN", "URN", "Year group", "Disadvantaged", "SEND", "EAL", "Gender", result])
    for upn, urn, year, disadvantaged, send, eal, gender, value in rows:
        writer.writerow(
            [upn, urn, YEAR_GROUP_SHORT_LABELS[year], "Y" if disadvantaged else "N", send,
             "Y" if eal else "N", gender, value]
        )  # fmt: skip
    file = ContentFile(out.getvalue().encode(), name=f"{window.slug}.csv")
    stored = services.upload_store(uploaded_by=None, window=window, school=None, file=file)
    services.upload_validate(upload=stored)
    services.upload_import_now(upload=stored)


def scored_rows(rng, pupils: list[tuple], gains: tuple) -> list[tuple]:
    return [(*pupil[:7], _score(rng, pupil, gains)) for pupil in pupils]


def started_cohort_ids(programme: Programme) -> list[int]:
    """The cohorts that started in 2025/26: the schools the hub has results of."""
    return list(programme.cohorts.filter(start_date__lte="2026-01-31").values_list("pk", flat=True))


def load_year(rng, programme: Programme, pupils: list[tuple], gains: dict) -> None:
    """A file for each window of `gains` (slug: that window's GAINS), in date order: the
    first with the pupils there at the start, the others with the leavers gone and the
    joiners in."""
    windows = AssessmentWindow.objects.filter(programme=programme, slug__in=gains)
    for number, window in enumerate(windows.order_by("date")):
        sitting = [pupil for serial, pupil in pupils if _in_window(serial, number == 0)]
        rng.shuffle(sitting)
        upload(window, scored_rows(rng, sitting, gains[window.slug]))


def load(rng: random.Random, programme: Programme, make_upn) -> None:
    pupils = _pupils(rng, programme, started_cohort_ids(programme), make_upn)
    load_year(rng, programme, pupils, GAINS)
    there_at_the_end = [pupil for serial, pupil in pupils if _in_window(serial, False)]
    _load_teacher_assessment(rng, programme, there_at_the_end)


# Each code's lowest score on the test's scale: teachers' judgements follow what the pupil can
# do, as the test does, with a judgement's own uncertainty (each pupil's score drawn afresh).
CODE_FROM = (("GDS", 110), ("EXS", 100), ("WTS", 88), ("PKF", 0))


def _code(score: int) -> str:
    return next(code for code, low in CODE_FROM if score >= low)


def _load_teacher_assessment(rng, programme: Programme, at_the_end: list[tuple]) -> None:
    """Year 2 teachers' summer judgements, for the pupils there at the end of the year."""
    window = AssessmentWindow.objects.get(programme=programme, slug="ta-2026")
    year_2 = [pupil for pupil in at_the_end if pupil[2] == 2]
    rng.shuffle(year_2)
    judged = scored_rows(rng, year_2, GAINS["end-2026"])
    upload(window, [(*row[:7], _code(row[7])) for row in judged], result="Standard")
