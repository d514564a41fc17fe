from decimal import Decimal

import pytest

from programmes import selectors
from tests.factories import (
    BudgetLineFactory,
    SpendEntryFactory,
)

pytestmark = pytest.mark.django_db


def test_it_adds_up_budget_and_spend():
    line = BudgetLineFactory(amount=Decimal("1000"))
    programme = line.programme
    second = BudgetLineFactory(programme=programme, amount=Decimal("500"))
    SpendEntryFactory(budget_line=line, amount=Decimal("300.50"))
    SpendEntryFactory(budget_line=line, amount=Decimal("-50.25"))  # a refund
    SpendEntryFactory(budget_line=second, amount=Decimal("650"))
    SpendEntryFactory(amount=Decimal("999"))  # another programme's
    budget = selectors.budget(programme=programme)
    assert (budget.total, budget.spent, budget.remaining) == (
        Decimal("1500"),
        Decimal("900.25"),
        Decimal("599.75"),
    )
    remaining = {row.name: row.remaining for row in budget.lines}
    assert remaining == {line.name: Decimal("749.75"), second.name: Decimal("-150")}
