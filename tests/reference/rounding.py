"""A figure as the report shows it: the exact value rounded to so many decimal places.

The method page does not say which way a value exactly half-way between two roundings goes,
and an engine computing in floating point can land a hair either side of such a value. So a
figure accepts its rounding to the nearest (half to even), and at a tie (the exact value within
a millionth of a rounding unit of half-way) also the other neighbour. Away from ties there is
exactly one right answer."""

from dataclasses import dataclass
from fractions import Fraction

TIE_BAND = Fraction(1, 10**6)  # in units of the last place shown


@dataclass(frozen=True)
class Figure:
    values: tuple[float, ...]  # the rounding to nearest first, then any tie's other neighbour
    exact: float

    @property
    def shown(self) -> float:
        return self.values[0]

    def accepts(self, value) -> bool:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return False
        return any(value == v or abs(value - v) <= 1e-9 * max(1.0, abs(v)) for v in self.values)

    def __repr__(self) -> str:
        others = (
            f" (or {', '.join(map(repr, self.values[1:]))} at a tie)" if self.values[1:] else ""
        )
        return f"{self.values[0]!r}{others} [exact {self.exact!r}]"


def rounded(exact: Fraction | float, places: int) -> Figure:
    """The figure showing exact to places decimal places (in whole numbers of the last place:
    exact x 10^places = below + rest / d, with 0 <= rest < d)."""
    scaled = Fraction(exact) * 10**places
    d = scaled.denominator
    below, rest = divmod(scaled.numerator, d)
    nearest = round(scaled)  # a Fraction rounds half to even, exactly
    values = [nearest]
    if abs(2 * rest - d) * TIE_BAND.denominator < 2 * d * TIE_BAND.numerator:  # at a tie
        values.append(below + 1 if nearest == below else below)
    return Figure(tuple(v / 10**places for v in values), float(exact))


def derived(figure: Figure, function) -> Figure:
    """A figure worked out from another figure's shown value (each acceptable one)."""
    values = tuple(dict.fromkeys(function(v) for v in figure.values))
    return Figure(values, function(figure.exact))
