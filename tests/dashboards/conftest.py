# The dashboards show the stored report: their tests compute one as the evaluation's do.
from tests.evaluation.conftest import act, reported, send_file  # noqa: F401
