"""An answer key for the evaluation report, written in plain Python from the definitions (the
method page, the README's report contract), sharing no code with evaluation/.

- model.py: a programme described plainly (schools, scopes, windows, result rows);
- groups.py, figures.py, progress.py: the reference figures;
- rounding.py: figures as shown, to their decimal places;
- compare.py: the differences between the engine's report and the reference;
- generate.py: Hypothesis strategies making whole programmes.

Hypothesis profiles: "ci" (the default, 200 examples) and "thorough" (2000); choose one with
HYPOTHESIS_PROFILE=thorough."""

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    max_examples=200,
    deadline=None,
    database=None,  # a failure prints its whole programme: add it as an @example
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "thorough",
    max_examples=2000,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def reference_report(programme) -> tuple[dict, dict]:
    """(attainment, progress) entries of the reference, each by its key."""
    from .figures import attainment
    from .progress import progress

    return attainment(programme), progress(programme)
