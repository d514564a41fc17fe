"""The year before the programme, 2024/25 (see delivery.WINDOWS): a baseline and an end test
for that year's KS1 pupils in the schools whose 2025/26 results the hub has, through the same
upload pipeline. Before the programme its schools progressed as the comparison schools did,
and their disadvantaged pupils did not catch up: the year that trends compare the first
programme year with.

That year's pupils are children of their own, with UPNs allocated in 2024. In life that
year's Reception and Year 1 are 2025/26's Year 1 and Year 2; the demo keeps each year's
pupils apart because trends compare year groups, not pupils (this year's Year 2 against last
year's), and the pages read progress within a year, from its baseline to its latest window."""

import random
from functools import partial

from programmes.models import Programme

from .delivery import ACADEMIC_YEAR
from .results import assessed_schools, load_year, started_cohort_ids, unlisted_pupils

LAST_YEAR = ACADEMIC_YEAR - 1
# As results.GAINS: the programme's schools gained what the comparison schools gained.
GAINS = {"baseline-2024": (0, 0, 0), "end-2025": (3.0, 3.0, 0)}


def load(rng: random.Random, programme: Programme, make_upn) -> None:
    pupils = []
    for school, establishment, in_programme in assessed_schools(
        programme, started_cohort_ids(programme)
    ):
        upn_of = partial(make_upn, school.local_authority.code, establishment, allocated=LAST_YEAR)
        # As many disadvantaged pupils as the school's free school meals suggest, as in
        # 2025/26 (demo.loader).
        rate = float(school.percentage_fsm) / 100 + 0.05
        pupils += unlisted_pupils(
            rng, school, upn_of, in_programme=in_programme, disadvantaged=rate
        )
    load_year(rng, programme, pupils, GAINS)
