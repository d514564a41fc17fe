"""Demo assessment results for 2025/26, loaded through the real upload pipeline (check,
preview, set-based import) as a hub would send them: baseline, interim and end scores for the
cohorts that started that year and for the comparison schools. Programme schools progress a
little faster than comparison schools, and their disadvantaged pupils catch up a little. As in
real files, pupils leave after the baseline and others join later, and each file lists its
pupils in an order of its own."""

import csv
import io
import random

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


def _pupils(rng, programme: Programme, started_cohort_ids, make_upn):
    """(serial, pupil) pairs: the pupil's place among their school's pupils, and (UPN, URN,
    year group, disadvantaged, SEND, EAL, gender, is_programme_school, ability)."""
    enrolled = programme.enrolments.filter(cohort__in=started_cohort_ids).select_related(
        "school__local_authority"
    )
    years = {
        year.pupil.upn_hash: year
        for year in PupilYear.objects.filter(
            academic_year=ACADEMIC_YEAR, programme=programme
        ).select_related("pupil")
    }
    order = {
        school.pk: n
        for n, school in enumerate(
            School.objects.filter(enrolments__programme=programme).order_by("urn")
        )
    }
    pupils = []
    for enrolment in enrolled:
        school = enrolment.school
        for serial in range(120, 120 + JOINERS):
            upn = make_upn(school.local_authority.code, 2000 + order[school.pk], serial)
            pupils.append((serial, (upn, school.urn, *_details(rng), True, rng.gauss(0, 1))))
        for serial in range(120):
            upn = make_upn(school.local_authority.code, 2000 + order[school.pk], serial)
            year = years[upn_hash(upn, programme_id=programme.pk)]
            pupils.append(
                (
                    serial,
                    (
                        upn,
                        school.urn,
                        year.year_group,
                        year.disadvantaged,
                        year.send,
                        year.eal,
                        year.gender,
                        True,
                        rng.gauss(0, 1),
                    ),
                )
            )
    comparisons = programme.comparison_schools.select_related("school__local_authority")
    for index, comparison in enumerate(comparisons.order_by("school__urn")):
        school = comparison.school
        for serial in range(120 + JOINERS):
            upn = make_upn(school.local_authority.code, 3000 + index, serial)
            year = serial // 40 if serial < 120 else rng.randrange(3)
            pupil = (upn, school.urn, year, *_details(rng)[1:], False, rng.gauss(0, 1))
            pupils.append((serial, pupil))
    return pupils


def _details(rng) -> tuple:
    """Year group, disadvantaged, SEND, EAL and gender of a pupil the school did not list."""
    send = rng.choices(["N", "K", "E"], [86, 12, 2])[0]
    return rng.randrange(3), rng.random() < 0.3, send, rng.random() < 0.4, rng.choice("MF")


def _in_window(serial: int, first: bool) -> bool:
    """Whether a pupil (the serial-th of their school) sits a window: joiners only after the
    baseline, leavers only at it."""
    if serial >= 120:
        return not first
    return first or serial % LEAVERS != LEAVERS - 1


def _score(rng, pupil, window_slug: str) -> int:
    *_, disadvantaged, send, _eal, _gender, in_programme, ability = pupil
    programme_gain, comparison_gain, catch_up = GAINS[window_slug]
    mean = 100 - 4.5 * disadvantaged - 6 * (send != "N") + 6 * ability
    mean += (programme_gain + catch_up * disadvantaged) if in_programme else comparison_gain
    return max(80, min(120, round(mean + rng.gauss(0, 3))))


def load(rng: random.Random, programme: Programme, make_upn) -> None:
    started = list(
        programme.cohorts.filter(start_date__lte="2026-01-31").values_list("pk", flat=True)
    )
    pupils = _pupils(rng, programme, started, make_upn)
    windows = AssessmentWindow.objects.filter(programme=programme).order_by("date")
    for number, window in enumerate(windows):
        sitting = [pupil for serial, pupil in pupils if _in_window(serial, number == 0)]
        rng.shuffle(sitting)
        out = io.StringIO(newline="")
        writer = csv.writer(out)
        writer.writerow(
            ["UPN", "URN", "Year group", "Disadvantaged", "SEND", "EAL", "Gender", "Score"]
        )
        for pupil in sitting:
            upn, urn, year, disadvantaged, send, eal, gender, *_ = pupil
            writer.writerow(
                [
                    upn,
                    urn,
                    YEAR_GROUP_SHORT_LABELS[year],
                    "Y" if disadvantaged else "N",
                    send,
                    "Y" if eal else "N",
                    gender,
                    _score(rng, pupil, window.slug),
                ]
            )
        file = ContentFile(out.getvalue().encode(), name=f"{window.slug}.csv")
        upload = services.upload_store(uploaded_by=None, window=window, school=None, file=file)
        services.upload_validate(upload=upload)
        services.upload_import_now(upload=upload)
