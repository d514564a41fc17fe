import pytest

from mathsprog.exports import neutralise


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+2", "'=1+2"),
        ("+44 20 7946 0000", "'+44 20 7946 0000"),
        ("-3", "'-3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("St Mary's", "St Mary's"),
        (104, "104"),
        (None, ""),
    ],
)
def test_it_stops_cells_running_as_formulas(value, cell):
    assert neutralise(value) == cell
