"""Deterministic demo data shaped like the London KS1 mastery project in shared/seeds: one
programme, four cohorts, 120 primary schools across 24 boroughs, four KS1 teachers and 120
pupils per school, and people in every role. Rows are made in bulk so the load stays fast."""

import random
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction
from stdnum.gb import upn

from accounts.models import Role, RoleAssignment, User
from evaluation.models import Gender, Pupil, PupilYear, SendProvision
from evaluation.pseudonym import upn_hash
from programmes.models import Cohort, Programme
from programmes.services import Allocation, schools_enrol
from schools.london import LONDON_LOCAL_AUTHORITIES
from schools.models import LocalAuthority, School, StaffMember, StaffRole

from . import delivery, last_year, reminders, results, targets, work_groups
from .delivery import ACADEMIC_YEAR

DEMO_SLUG = "london-ks1-mastery"
DEMO_PASSWORD = "mastery-demo-2025"  # noqa: S105 - published demo credential, demo data only
SEED = 20250901

PROGRAMME_BOROUGHS = (
    "Barking and Dagenham", "Bexley", "Brent", "Camden", "Croydon", "Ealing", "Enfield",
    "Greenwich", "Hackney", "Hammersmith and Fulham", "Haringey", "Havering", "Hillingdon",
    "Islington", "Kensington and Chelsea", "Lambeth", "Merton", "Newham", "Redbridge",
    "Southwark", "Tower Hamlets", "Waltham Forest", "Wandsworth", "Westminster",
)  # fmt: skip
SCHOOL_NAME_STEMS = (
    "St Mary's CofE", "Oakfield", "Riverside", "Hawthorn", "St Joseph's Catholic", "Greenway",
    "Elmhurst", "Brookside", "Kingsmead", "Park Lane", "Holy Trinity CofE", "Ashburton",
    "Willow Bank", "Fairlawn", "Northgate", "Chestnut Grove", "St John's CofE", "Millfield",
    "Westbourne", "Cedar", "Rosemead", "Highfield", "Lansbury", "Woodside",
)  # fmt: skip
# A borough's five schools take the five kinds in turn, and the stems go round the boroughs in
# steps of seven (prime to 24), so no two schools share a name: pages that list schools by
# name (visit coverage, say) then show 120 schools, not five "Ashburton Primary School"s.
SCHOOL_KINDS = (
    "Primary School", "Primary Academy", "Infant School", "Infant and Nursery School",
    "Primary and Nursery School",
)  # fmt: skip
FIRST_NAMES = (
    "Amara", "Ben", "Chloe", "Daniel", "Efua", "Farah", "George", "Hannah", "Imran", "Jade",
    "Kwame", "Laura", "Mohammed", "Nadia", "Oliver", "Priya", "Rachel", "Samuel", "Tariq",
    "Una", "Victoria", "Wei", "Yusuf", "Zainab",
)  # fmt: skip
LAST_NAMES = (
    "Adeyemi", "Begum", "Clarke", "Da Silva", "Evans", "Fernandes", "Green", "Hussain",
    "Ibrahim", "Johnson", "Khan", "Lewis", "Mensah", "Nowak", "O'Brien", "Patel", "Quinn",
    "Rahman", "Smith", "Thompson", "Usman", "Walker", "Yilmaz", "Zhang",
)  # fmt: skip
COHORTS = (
    ("Cohort 1", date(2025, 9, 1), date(2026, 7, 22)),
    ("Cohort 2", date(2026, 1, 5), date(2026, 12, 18)),
    ("Cohort 3", date(2026, 9, 1), date(2027, 7, 21)),
    ("Cohort 4", date(2027, 1, 4), date(2027, 12, 17)),
)
SCHOOLS_PER_BOROUGH = 5
SCHOOLS_PER_SLE = 10
PUPILS_PER_YEAR_GROUP = 40  # Reception, Year 1 and Year 2: 120 KS1 pupils a school


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    where: str


def demo_is_loaded() -> bool:
    return Programme.objects.filter(slug=DEMO_SLUG).exists()


def demo_logins() -> list[DemoLogin]:
    first = School.objects.filter(enrolments__cohort__programme__slug=DEMO_SLUG).order_by("urn")
    school = first.first()
    where = school.name if school else ""
    return [
        DemoLogin("Site admin", "admin@example.org", "everything"),
        DemoLogin("Hub lead", "hub.lead@example.org", "the London KS1 mastery programme"),
        DemoLogin("SLE", "sle01@example.org", f"{SCHOOLS_PER_SLE} schools"),
        DemoLogin("Headteacher", f"head.{school.urn}@example.org" if school else "", where),
        DemoLogin("Maths lead", f"mathslead.{school.urn}@example.org" if school else "", where),
        DemoLogin("Governor", f"governor.{school.urn}@example.org" if school else "", where),
    ]


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def _demo_upn(la_code: int, establishment: int, serial: int, allocated=ACADEMIC_YEAR) -> str:
    """A valid UPN: check letter, LA, establishment, the year it was allocated, serial."""
    body = f"{la_code:03d}{establishment:04d}{allocated % 100:02d}{serial:03d}"
    return upn.calc_check_digit(body) + body


@transaction.atomic
def load_demo() -> None:
    rng = random.Random(SEED)  # noqa: S311 - reproducible demo data, not secrets
    authorities = {
        name: LocalAuthority.objects.get_or_create(code=code, defaults={"name": name})[0]
        for code, name in LONDON_LOCAL_AUTHORITIES
    }
    programme = Programme.objects.create(
        name="London Primary Schools Mathematics Mastery Project",
        slug=DEMO_SLUG,
        funder="Greater London Authority, London Schools Excellence Fund",
        funding_reference="LSEFR1001",
        value=Decimal("595500"),
        start_date=date(2025, 9, 1),
        end_date=date(2027, 12, 17),
        aims=(
            "Improve the ability and confidence of 480 KS1 teachers to teach maths, raise "
            "achievement for 14,400 pupils aged 4 to 7, and build school-to-school "
            "collaboration across more than 20 London boroughs."
        ),
    )
    programme.local_authorities.set(authorities[name] for name in PROGRAMME_BOROUGHS)
    cohorts = Cohort.objects.bulk_create(
        Cohort(programme=programme, name=name, start_date=start, end_date=end)
        for name, start, end in COHORTS
    )

    schools = School.objects.bulk_create(_schools(rng, authorities))
    delivery.load_allocation_bands(programme)
    for number, cohort in enumerate(cohorts):
        # A site-level set-up: enrolled at once, through the service (and the audit log).
        schools_enrol(
            cohort=cohort,
            schools=schools[number :: len(cohorts)],
            allocation=Allocation(by_size=True),
            enrolled_by=None,
            source="demo",
        )
    _load_staff(rng, schools)
    _load_pupils(rng, programme, schools)
    users = _load_people(rng, programme, schools)
    delivery.load(rng, programme, authorities, users)
    teachers_trained = work_groups.load(rng, programme, users)
    delivery.load_kpis(programme, teachers_trained)
    reminders.load(programme, users)
    results.load(rng, programme, _demo_upn)
    last_year.load(rng, programme, _demo_upn)
    targets.load(programme, users)


def _schools(rng: random.Random, authorities: dict) -> list[School]:
    """SCHOOLS_PER_BOROUGH schools in each of the programme's boroughs, no two of one name."""
    schools = []
    for borough_index, borough in enumerate(PROGRAMME_BOROUGHS):
        for i in range(SCHOOLS_PER_BOROUGH):
            stem = SCHOOL_NAME_STEMS[(borough_index * 7 + i * 5) % len(SCHOOL_NAME_STEMS)]
            roll = rng.randrange(180, 720, 30)
            schools.append(
                School(
                    urn=100000 + 1000 * borough_index + 100 + i,
                    name=f"{stem} {SCHOOL_KINDS[i]}",
                    phase="Primary",
                    establishment_type=rng.choice(
                        ["Community school", "Voluntary aided school", "Academy converter"]
                    ),
                    local_authority=authorities[borough],
                    postcode=f"{borough[0]}{rng.randint(1, 20)} {rng.randint(1, 9)}"
                    f"{rng.choice('ABDEFGHJLNPQRSTUWXY')}{rng.choice('ABDEFGHJLNPQRSTUWXY')}",
                    number_on_roll=roll,
                    percentage_fsm=Decimal(rng.randint(80, 480)) / 10,
                )
            )
    return schools


def _load_staff(rng: random.Random, schools: list[School]) -> None:
    """Four KS1 teachers, a teaching assistant, a maths lead and a headteacher a school. In
    one school in seven a Year 1 teacher left in summer 2026 and a new one started, so the
    demo has staff changes and new staff who need catch-up CPD."""
    staff = []
    for school in schools:
        for year_group in (0, 1, 1, 2) if rng.random() < 0.5 else (0, 1, 2, 2):
            staff.append(
                StaffMember(
                    school=school,
                    full_name=_person(rng),
                    role=StaffRole.CLASS_TEACHER,
                    year_group=year_group,
                    start_date=date(rng.randint(2012, 2025), 9, 1),
                )
            )
        if rng.random() < 1 / 7:
            staff[-2].end_date = date(2026, 7, 22)
            staff.append(
                StaffMember(
                    school=school,
                    full_name=_person(rng),
                    role=StaffRole.CLASS_TEACHER,
                    year_group=staff[-2].year_group,
                    start_date=date(2026, 9, 1),
                )
            )
        for role in (StaffRole.TEACHING_ASSISTANT, StaffRole.MATHS_LEAD, StaffRole.HEADTEACHER):
            start = date(rng.randint(2010, 2024), 9, 1)
            staff.append(
                StaffMember(school=school, full_name=_person(rng), role=role, start_date=start)
            )
    StaffMember.objects.bulk_create(staff)


def _load_pupils(rng: random.Random, programme: Programme, schools: list[School]) -> None:
    la_codes = dict(LocalAuthority.objects.values_list("pk", "code"))
    pupils, details = [], []
    for school_index, school in enumerate(schools):
        for serial in range(PUPILS_PER_YEAR_GROUP * 3):
            pupil_upn = _demo_upn(la_codes[school.local_authority_id], 2000 + school_index, serial)
            pupil_hash = upn_hash(pupil_upn, programme_id=programme.pk)
            pupils.append(Pupil(programme=programme, upn_hash=pupil_hash))
            send_draw = rng.random()
            details.append(
                dict(
                    programme=programme,
                    academic_year=ACADEMIC_YEAR,
                    school=school,
                    year_group=serial // PUPILS_PER_YEAR_GROUP,
                    disadvantaged=rng.random() < float(school.percentage_fsm) / 100 + 0.05,
                    send=SendProvision.EHC_PLAN
                    if send_draw < 0.02
                    else SendProvision.SEN_SUPPORT
                    if send_draw < 0.14
                    else SendProvision.NONE,
                    eal=rng.random() < 0.45,
                    gender=rng.choice([Gender.FEMALE, Gender.MALE]),
                )
            )
    pupils = Pupil.objects.bulk_create(pupils, batch_size=2000)
    PupilYear.objects.bulk_create(
        (PupilYear(pupil=pupil, **row) for pupil, row in zip(pupils, details, strict=True)),
        batch_size=2000,
    )


def _load_people(rng: random.Random, programme: Programme, schools: list[School]) -> dict:
    # One hash for every demo account: hashing hundreds of passwords would take minutes.
    password = make_password(DEMO_PASSWORD)
    users = [
        User(email="admin@example.org", full_name="Sam Okafor", is_staff=True, password=password),
        User(email="hub.lead@example.org", full_name="Helen Marsh", password=password),
        User(email="hub.lead2@example.org", full_name="Tom Asante", password=password),
    ]
    sle_count = len(schools) // SCHOOLS_PER_SLE
    users += [
        User(email=f"sle{n:02d}@example.org", full_name=_person(rng), password=password)
        for n in range(1, sle_count + 1)
    ]
    for school in schools:
        for prefix in ("head", "mathslead", "governor"):
            email = f"{prefix}.{school.urn}@example.org"
            users.append(User(email=email, full_name=_person(rng), password=password))
    users = {user.email: user for user in User.objects.bulk_create(users)}

    roles = [
        RoleAssignment(user=users["admin@example.org"], role=Role.SITE_ADMIN),
        RoleAssignment(user=users["hub.lead@example.org"], role=Role.HUB_LEAD, programme=programme),
        RoleAssignment(
            user=users["hub.lead2@example.org"], role=Role.HUB_LEAD, programme=programme
        ),
    ]
    for index, school in enumerate(schools):
        sle = users[f"sle{index // SCHOOLS_PER_SLE + 1:02d}@example.org"]
        roles.append(RoleAssignment(user=sle, role=Role.SLE, programme=programme, school=school))
        for prefix, role in (
            ("head", Role.HEADTEACHER),
            ("mathslead", Role.MATHS_LEAD),
            ("governor", Role.GOVERNOR),
        ):
            user = users[f"{prefix}.{school.urn}@example.org"]
            roles.append(RoleAssignment(user=user, role=role, school=school))
    RoleAssignment.objects.bulk_create(roles)
    return users
