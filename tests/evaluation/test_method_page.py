"""The method page's "How sure we can be": each formula with its reference, the one z of
every 95% interval, and the EEF's months-of-progress table (issue 18)."""

import html
import re

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from scipy.stats import norm

from evaluation.engine.definitions import MONTHS_UPPER_BOUNDS, Z, months_progress

# The EEF Teaching and Learning Toolkit's "Additional months' progress" table, copied from
# the EEF's page "About the Toolkits: Attainment": (lowest, highest effect size, months).
EEF_TABLE = [
    ("−0.01", "0.01", 0), ("0.02", "0.09", 1), ("0.10", "0.18", 2), ("0.19", "0.26", 3),
    ("0.27", "0.35", 4), ("0.36", "0.44", 5), ("0.45", "0.52", 6), ("0.53", "0.61", 7),
    ("0.62", "0.69", 8), ("0.70", "0.78", 9), ("0.79", "0.87", 10), ("0.88", "0.95", 11),
    ("0.96", "1.00", 12),
]  # fmt: skip


def _text(markup: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", markup)).split())


@pytest.fixture
def page(client, world):
    client.force_login(world.governor_a)
    return client.get(reverse("evaluation:method")).content.decode()


@pytest.mark.parametrize(
    "reference",
    [
        "Wilson, E. B. (1927)",
        "Journal of the American Statistical Association 22, 209–212",
        "Newcombe, R. G. (1998)",
        "Statistics in Medicine 17, 873–890 (method 10)",
        "Welch, B. L. (1947)",
        "Biometrika 34, 28–35",
        "Hedges, L. V. (1981)",
        "Journal of Educational Statistics 6, 107–128",
        "EEF Teaching and Learning Toolkit",
        "Toolkit guide of September 2021",
    ],
)
def test_it_names_each_reference(page, reference):
    assert reference in _text(page)


def test_it_states_the_one_z_of_every_interval_and_no_rounder_one(page):
    text = _text(page)
    # The 97.5% point of the normal distribution, to the six decimals the page gives.
    assert f"{norm.ppf(0.975):.6f}" == "1.959964" == f"{Z:.6f}"
    assert "z = 1.959964" in text
    assert "g ± z × se, where z = 1.959964" in text
    assert not re.search(r"(?<![\d.])1\.96(?!\d)", text)
    # 2.8 of the MDES: the points for 5% two-sided significance and for 80% power.
    assert f"2.8 is 1.959964 (5% significance, two-sided) plus {norm.ppf(0.8):.6f}" in text


@pytest.mark.parametrize(
    "formula",
    [
        "(p + z² ÷ (2n) − z × √(p × (1 − p) ÷ n + z² ÷ (4n²))) ÷ (1 + z² ÷ n)",
        "d − √((p₁ − l₁)² + (u₂ − p₂)²) to d + √((u₁ − p₁)² + (p₂ − l₂)²)",
        "ν = (s₁² ÷ n₁ + s₂² ÷ n₂)² ÷ ((s₁² ÷ n₁)² ÷ (n₁ − 1) + (s₂² ÷ n₂)² ÷ (n₂ − 1))",
        "1 − 3 ÷ (4 × (n₁ + n₂) − 9)",
        "ICC = (MSB − MSW) ÷ (MSB + (n₀ − 1) × MSW)",
        "n₀ = (N − Σ nⱼ² ÷ N) ÷ (J − 1)",
        "A negative value counts as 0",
        "1 + (N ÷ J − 1) × ICC",
        "g − z × se × √(design effect) to g + z × se × √(design effect)",
        "2.8 × √(ICC ÷ (P × (1 − P) × J) + (1 − ICC) ÷ (P × (1 − P) × J × m))",
    ],
)
def test_it_gives_each_formula_in_plain_text(page, formula):
    assert formula in _text(page)


def test_it_says_what_the_words_on_the_dashboards_mean(page):
    text = _text(page)
    assert '"Could be chance" means the interval of a gap' in text
    assert "includes 0" in text
    assert '"Above national" or "below national" means significantly above or below' in text
    assert "lies wholly above (or below) the national figure" in text
    assert "matched comparison schools, not randomised" in text
    assert "not, on its own, causal evidence" in text


def test_its_months_table_is_the_eefs_and_the_engines(page):
    rows = re.findall(r'<tr><th scope="row">([^<]+)</th><td>(\d+)</td></tr>', page)
    # The page shows the top row as reaching beyond 1.00, as the engine reads it.
    expected = [(f"{low} to {high}" + (", and above" if months == 12 else ""), str(months))
                for low, high, months in EEF_TABLE]  # fmt: skip
    assert rows == expected
    assert tuple(float(high) for _, high, _ in EEF_TABLE[:-1]) == MONTHS_UPPER_BOUNDS
    for low, high, months in EEF_TABLE[1:]:
        assert months_progress(float(low)) == months_progress(float(high)) == months


@pytest.mark.parametrize("may_plan", [True, False])
def test_it_links_the_planner_for_those_who_may_plan(world, may_plan):
    request = RequestFactory().get("/")
    request.user = world.hub_lead
    context = {"threshold": settings.SUPPRESSION_THRESHOLD, "standards": "", "may_plan": may_plan}
    markup = render_to_string("evaluation/method.html", context, request=request)
    page = markup[markup.index("<main") : markup.index("</main>")]  # not the navigation's
    assert (f'href="{reverse("evaluation:planner")}"' in page) is may_plan
