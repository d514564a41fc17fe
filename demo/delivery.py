"""Demo delivery of the London programme: its offer by size, KPIs, strands, budget and spend,
comparison schools, assessment windows and the SLEs' visits so far."""

import random
from datetime import date, timedelta
from decimal import Decimal

from accounts.models import Role
from evaluation.models import AssessmentWindow, WindowKind
from programmes.models import (
    AllocationBand,
    BudgetCategory,
    BudgetLine,
    FocusArea,
    InterventionStrand,
    Kpi,
    Programme,
    SpendEntry,
    StrandUptake,
)
from programmes.services import comparison_schools_add
from schools.models import School
from visits.models import Action, ActionStatus, RecordOfVisit, Risk, VisitKind, VisitLength

from . import visit_forms

BIG_IDEAS = (
    "Coherence",
    "Representation and structure",
    "Mathematical thinking",
    "Fluency",
    "Variation",
)
ACTIVITIES = (
    "Co-planned a lesson on number bonds to 10 with the Year 1 team.",
    "Observed a Year 2 lesson on equal groups and gave feedback.",
    "Lesson study cycle on part-whole models with two teachers.",
    "Met the maths lead to review the calculation policy.",
    "Team-taught a Reception lesson on subitising.",
)
STRENGTHS = (
    "Consistent use of stem sentences across KS1.",
    "Pupils explain their reasoning with manipulatives.",
    "Well-chosen representations; pupils move confidently to abstract.",
    "Same-day interventions are keeping pupils up.",
)
NEXT_STEPS = (
    "Plan daily fluency sessions for number bonds",
    "Use the bar model consistently in Year 2",
    "Introduce variation in independent practice",
    "Share the calculation policy with teaching assistants",
    "Observe a Year 1 lesson together before half term",
    "Audit manipulatives in every KS1 classroom",
)
OWNERS = ("Maths lead", "Year 1 teachers", "Year 2 teachers", "Headteacher")
RISKS = (
    (
        "Two KS1 teachers leave in July",
        "Staff turnover slows the approach down",
        "Governors not yet engaged",
    ),
    (
        "Catch-up CPD for new staff in September",
        "Maths lead to coach new teachers",
        "SLE to attend a governors' meeting each term",
    ),
)
# The demo's "today": data stops here so that the demo is the same whenever it is loaded.
DEMO_TODAY = date(2026, 11, 20)
# The academic year of the demo's pupils, results and work groups (2025/26): the one before
# DEMO_TODAY's, so that a whole year of results is in (demo.last_year adds the year before).
ACADEMIC_YEAR = 2025
COMPARISON_BOROUGHS = ("Barnet", "Bromley", "Harrow", "Hounslow", "Lewisham", "Sutton")
BUDGET = (
    ("SLE school support", BudgetCategory.SLE_TIME, 180_000),
    ("Grants to schools", BudgetCategory.SCHOOL_GRANTS, 300_000),
    ("Launch training and cluster workshops", BudgetCategory.CPD, 60_000),
    ("Textbooks and manipulatives", BudgetCategory.RESOURCES, 25_000),
    ("Independent evaluation", BudgetCategory.EVALUATION, 20_000),
    ("Project management", BudgetCategory.MANAGEMENT, 10_500),
)


def load_allocation_bands(programme: Programme) -> list[AllocationBand]:
    """A scaled offer, as the case studies recommend: larger schools get more SLE time."""
    return AllocationBand.objects.bulk_create(
        [
            AllocationBand(programme=programme, up_to_pupils=209, sle_days=3, funding=2000),
            AllocationBand(programme=programme, up_to_pupils=419, sle_days=4, funding=2500),
            AllocationBand(programme=programme, up_to_pupils=None, sle_days=6, funding=3500),
        ]
    )


def load(rng: random.Random, programme: Programme, authorities: dict, users: dict) -> None:
    _load_comparison_schools(rng, programme, authorities)
    _load_windows(programme)
    _load_strands(rng, programme)
    _load_budget(rng, programme)
    _load_visits(rng, programme, users)


def _load_comparison_schools(rng, programme, authorities) -> None:
    schools = School.objects.bulk_create(
        School(
            urn=190000 + 10 * index + n,
            name=f"{borough} Comparison Primary School {n + 1}",
            phase="Primary",
            establishment_type="Community school",
            local_authority=authorities[borough],
            number_on_roll=rng.randrange(210, 630, 30),
            percentage_fsm=Decimal(rng.randint(100, 400)) / 10,
        )
        for index, borough in enumerate(COMPARISON_BOROUGHS)
        for n in range(4)
    )
    comparison_schools_add(programme=programme, schools=schools, added_by=None, source="demo")


# (slug, name, kind, date, instrument, takes teacher-assessment codes). Two academic years,
# so that trends over years have something to show: a trend needs end windows in two years.
# The first, 2024/25, is the year before the programme: the schools of Cohorts 1 and 2 and
# the comparison schools sent their results for it when they joined, as the year a hub lead
# compares the first programme year with ("this year's Year 2 against last year's"). That is
# what a hub lead reads in December 2026; the autumn 2026 baseline is left out, as 2026/27's
# end is not until July 2027 and, as the latest window, a baseline with no progress to show
# would head every page.
WINDOWS = (
    ("baseline-2024", "Baseline 2024", WindowKind.BASELINE, date(2024, 9, 23),
     "Standardised maths test, autumn", False),
    ("end-2025", "End of year 2025", WindowKind.END, date(2025, 6, 23),
     "Standardised maths test, summer", False),
    ("baseline-2025", "Baseline 2025", WindowKind.BASELINE, date(2025, 9, 22),
     "Standardised maths test, autumn", False),
    ("interim-2026", "Interim 2026", WindowKind.INTERIM, date(2026, 2, 9),
     "Standardised maths test, spring", False),
    # Before the test, as schools make their judgements by mid-June: the test stays the
    # year's last window, the one its trends and latest figures are read from.
    ("ta-2026", "Year 2 teacher assessment, summer 2026", WindowKind.END, date(2026, 6, 12),
     "KS1 teacher assessment (PKF, WTS, EXS, GDS)", True),
    ("end-2026", "End of year 2026", WindowKind.END, date(2026, 6, 22),
     "Standardised maths test, summer", False),
)  # fmt: skip


def _load_windows(programme) -> None:
    AssessmentWindow.objects.bulk_create(
        AssessmentWindow(
            programme=programme,
            slug=slug,
            name=name,
            kind=kind,
            date=on,
            instrument=instrument,
            teacher_assessment=teacher_assessment,
        )
        for slug, name, kind, on, instrument, teacher_assessment in WINDOWS
    )


def _load_strands(rng, programme) -> None:
    strands = InterventionStrand.objects.bulk_create(
        [
            InterventionStrand(
                programme=programme,
                name="Mastery lesson design",
                description="Teachers plan lessons together around small steps and variation.",
            ),
            InterventionStrand(
                programme=programme,
                name="Same-day TA intervention",
                description="Teaching assistants keep pupils up, not catch up, the same day.",
            ),
        ]
    )
    started = programme.enrolments.filter(cohort__start_date__lte=DEMO_TODAY).select_related(
        "cohort"
    )
    uptakes = []
    for enrolment in started:
        for strand, rate in zip(strands, (0.9, 0.6), strict=True):
            if rng.random() < rate:
                uptakes.append(
                    StrandUptake(
                        strand=strand,
                        school_id=enrolment.school_id,
                        started_on=enrolment.cohort.start_date + timedelta(weeks=6),
                        continued_after_programme=enrolment.cohort.end_date < DEMO_TODAY
                        and rng.random() < 0.8,
                    )
                )
    StrandUptake.objects.bulk_create(uptakes)


def _load_budget(rng, programme) -> None:
    lines = BudgetLine.objects.bulk_create(
        BudgetLine(programme=programme, name=name, category=category, amount=amount)
        for name, category, amount in BUDGET
    )
    entries = []
    month = date(2025, 9, 30)
    while month <= DEMO_TODAY:
        for line in lines:
            # Roughly on profile over 28 months, a little ahead on CPD (front-loaded).
            top = 0.05 if line.category == BudgetCategory.CPD else 0.04
            share = Decimal(rng.uniform(0.02, top))
            entries.append(
                SpendEntry(
                    budget_line=line,
                    spent_on=month,
                    amount=(line.amount * share).quantize(Decimal("0.01")),
                    description=f"{line.name}, {month:%B %Y}",
                )
            )
        month = (month + timedelta(days=32)).replace(day=28)
    SpendEntry.objects.bulk_create(entries)


def _load_visits(rng, programme, users) -> None:
    """Half-day and full-day visits to the schools whose cohorts have started; a few schools
    have had more SLE time than allocated, as happens."""
    sle_of = dict(
        programme.role_assignments.filter(role=Role.SLE).values_list("school_id", "user_id")
    )
    visits = []
    started = programme.enrolments.filter(cohort__start_date__lte=DEMO_TODAY).select_related(
        "cohort"
    )
    for enrolment in started:
        span = (min(enrolment.cohort.end_date, DEMO_TODAY) - enrolment.cohort.start_date).days
        budget_days = float(enrolment.sle_days_allocated) * span / 320
        used = 0.0
        day = enrolment.cohort.start_date + timedelta(days=14)
        while used < budget_days * rng.uniform(0.7, 1.25) and day < DEMO_TODAY:
            length = rng.choice([VisitLength.HALF_DAY, VisitLength.HALF_DAY, VisitLength.FULL_DAY])
            visit = RecordOfVisit(
                programme=programme,
                school_id=enrolment.school_id,
                sle_id=sle_of[enrolment.school_id],
                visit_date=day,
                kind=rng.choice(VisitKind.values),
                length=length,
                year_groups=sorted(rng.sample([0, 1, 2], rng.randint(1, 2))),
                activities=rng.choice(ACTIVITIES),
                strengths=rng.choice(STRENGTHS),
            )
            visit.days = visit.length_in_days()  # bulk_create does not call save()
            visits.append(visit)
            used += float(visit.days)
            day += timedelta(days=rng.randint(18, 40))
            if day.weekday() >= 5:
                day += timedelta(days=7 - day.weekday())
    visits = RecordOfVisit.objects.bulk_create(visits)
    areas = FocusArea.objects.bulk_create(
        FocusArea(programme=programme, name=name, order=n) for n, name in enumerate(BIG_IDEAS)
    )
    RecordOfVisit.focus_areas.through.objects.bulk_create(
        RecordOfVisit.focus_areas.through(recordofvisit_id=visit.pk, focusarea_id=area.pk)
        for visit in visits
        for area in rng.sample(areas, 2)
    )
    _load_action_plans(rng, visits)
    visit_forms.load(programme, hub_lead=users["hub.lead@example.org"], visits=visits)


def _load_action_plans(rng, visits) -> None:
    """Each school's latest visit raised two next steps; earlier ones are mostly done."""
    latest = {}
    for visit in visits:
        latest.setdefault(visit.school_id, []).append(visit)
    actions, risks = [], []
    for school_id, school_visits in latest.items():
        for visit in school_visits[-3:]:
            is_last = visit is school_visits[-1]
            for step in rng.sample(NEXT_STEPS, 2):
                status = rng.choice([ActionStatus.GREEN, ActionStatus.AMBER, ActionStatus.RED])
                actions.append(
                    Action(
                        school_id=school_id,
                        description=step,
                        owner=rng.choice(OWNERS),
                        due_date=visit.visit_date + timedelta(weeks=6),
                        raised_at_visit=visit,
                        status=status if is_last else rng.choice([ActionStatus.DONE, status]),
                    )
                )
        if rng.random() < 0.35:
            risks.append(
                Risk(
                    school_id=school_id,
                    description=rng.choice(RISKS[0]),
                    mitigation=rng.choice(RISKS[1]),
                )
            )
    Action.objects.bulk_create(actions)
    Risk.objects.bulk_create(risks)


def load_kpis(programme: Programme, teachers_trained: int) -> None:
    trained_note = "Teachers present at launch training or catch-up CPD."
    kpis = (
        ("KS1 teachers trained", 480, teachers_trained, trained_note),
        ("Schools taking part", 120, programme.enrolments.count(), ""),
        ("Pupils reached (age 4 to 7)", 14_400, 7_200, "Cohorts 1 and 2 so far."),
        ("London boroughs", 20, programme.local_authorities.count(), ""),
        ("Schools sustaining mastery lesson design", 90, None, ""),
    )
    Kpi.objects.bulk_create(
        Kpi(
            programme=programme,
            name=name,
            target=target,
            achieved=achieved,
            achieved_on=DEMO_TODAY if achieved is not None else None,
            notes=notes,
        )
        for name, target, achieved, notes in kpis
    )
