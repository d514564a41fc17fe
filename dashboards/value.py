"""Value for money (issue 19): what the programme's spend to date bought, per matched pupil
and per additional month of progress against its comparison schools, for the programme and
each cohort; and each cohort's progress over the same windows, for its table of pupils moving
between bands."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import OuterRef, Subquery, Sum

from evaluation.models import EntryKind, ReportSnapshot
from evaluation.selectors import of_report
from evaluation.standards import between_scored
from programmes.models import Enrolment, Programme, SpendEntry
from programmes.selectors import Budget

PENNY = Decimal("0.01")


@dataclass(frozen=True)
class Progress:
    """The progress entries (all year groups) of the programme and of each cohort, from the
    programme's first window to the latest it has progress to, each window by its name; of
    those between scored windows, where there are any, since only they have the effect size
    that months of progress need."""

    programme: dict | None
    cohorts: list[dict]


def progress_to_latest(*, snapshot: ReportSnapshot | None, programme: Programme) -> Progress:
    """Two queries: the windows (their names read afresh) and, once per stored report, its
    programme and cohort progress entries."""
    if snapshot is None:
        return Progress(None, [])
    windows = list(programme.assessment_windows.order_by("date").values_list("slug", "name"))

    def read():
        return list(
            snapshot.entries.filter(
                kind=EntryKind.PROGRESS, scope_type__in=["programme", "cohort"], year_group=None
            ).values_list("figures", flat=True)
        )

    entries = of_report(snapshot, "progress-by-cohort", read)
    order = {slug: n for n, (slug, _) in enumerate(windows)}
    names = dict(windows)
    # A window removed since the report was stored cannot be placed in time: left out.
    placed = [e for e in entries if e["from"] in order and e["to"] in order]
    ours = [e for e in placed if e["scope"]["type"] == "programme"]
    if not ours:
        return Progress(None, [])
    scored = [e for e in ours if between_scored(e.get("bands"))]
    span = max(scored or ours, key=lambda e: (order[e["to"]], -order[e["from"]]))

    def named(entry: dict) -> dict:
        return entry | {"from": names[entry["from"]], "to": names[entry["to"]]}

    cohorts = [
        named(e)
        for e in placed
        if e["scope"]["type"] == "cohort" and (e["from"], e["to"]) == (span["from"], span["to"])
    ]
    return Progress(named(span), sorted(cohorts, key=lambda e: e["scope"]["name"]))


@dataclass(frozen=True)
class Cost:
    """What one scope's spend bought. Where its matched pupils are withheld, `pupils`,
    `spent` (which, shared by pupils, would give them away) and both costs are None."""

    name: str
    spent: Decimal | None
    pupils: int | None
    months: int | None  # against comparison schools; None without a comparison
    months_withheld: bool
    per_pupil: Decimal | None
    per_month: Decimal | None  # only where months are above zero


@dataclass(frozen=True)
class ValueForMoney:
    spent: Decimal
    budgeted: Decimal
    from_window: str
    to_window: str
    programme: Cost
    cohorts: list[Cost]
    # Spend not recorded against a school of a cohort, shared between cohorts by pupils.
    shared: Decimal
    # Whether both windows are scored: else there are no gains, so no months of progress.
    scored: bool

    @property
    def rows(self) -> list[Cost]:
        return [self.programme, *self.cohorts]


def _money(amount: Decimal) -> Decimal:
    return amount.quantize(PENNY, rounding=ROUND_HALF_UP)


def _cost(name: str, spent: Decimal | None, entry: dict) -> Cost:
    pupils = entry["n_matched"] if spent is not None else None
    effect = (entry.get("effect_size") or {}).get("all") or {}
    months = effect.get("months_progress") if pupils is not None else None
    return Cost(
        name=name,
        spent=None if pupils is None else _money(spent),
        pupils=pupils,
        months=months,
        months_withheld=pupils is not None and bool(effect.get("suppressed")),
        per_pupil=_money(spent / pupils) if pupils else None,
        per_month=_money(spent / (pupils * months)) if pupils and months and months > 0 else None,
    )


def spend_by_cohort(*, programme: Programme) -> dict[int, Decimal]:
    """The programme's spend recorded against each cohort's schools (as enrolled today), by
    cohort id: one query."""
    cohort = Enrolment.objects.filter(programme=programme, school=OuterRef("school_id"))
    rows = (
        SpendEntry.objects.filter(budget_line__programme=programme, school__isnull=False)
        .annotate(cohort_id=Subquery(cohort.values("cohort_id")[:1]))
        .filter(cohort_id__isnull=False)
        .values("cohort_id")
        .annotate(total=Sum("amount"))
        .values_list("cohort_id", "total")
    )
    return dict(rows)


def value_for_money(
    *, progress: Progress, programme: Programme, budget: Budget
) -> ValueForMoney | None:
    """Spend to date per matched pupil and per additional month of progress, from the first
    window to the latest; None before there is any progress. A cohort's spend is what is
    recorded against its schools, with its share (by matched pupils) of the rest. One query."""
    entry = progress.programme
    if entry is None:
        return None
    spent = budget.spent
    recorded = spend_by_cohort(programme=programme) if progress.cohorts else {}
    shared = spent - sum(recorded.values(), Decimal(0))
    everyone = entry["n_matched"]

    def cohort_spend(cohort: dict) -> Decimal | None:
        pupils = cohort["n_matched"]
        if not everyone or pupils is None:
            return None
        return recorded.get(cohort["scope"]["id"], Decimal(0)) + shared * pupils / everyone

    return ValueForMoney(
        spent=spent,
        budgeted=budget.total,
        from_window=entry["from"],
        to_window=entry["to"],
        programme=_cost(entry["scope"]["name"], spent, entry),
        cohorts=[_cost(c["scope"]["name"], cohort_spend(c), c) for c in progress.cohorts],
        shared=_money(shared),
        scored=between_scored(entry.get("bands")),
    )
