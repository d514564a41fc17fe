"""The dashboards kept the paths they had in the programmes' and schools' URLs (bookmarks
still work), and their patterns do not shadow those apps' own pages."""

import pytest
from django.urls import resolve, reverse


@pytest.mark.parametrize(
    ("name", "kwargs", "path"),
    [
        ("dashboards:programme", {"slug": "p"}, "/programmes/p/"),
        ("dashboards:funder_report", {"slug": "p"}, "/programmes/p/funder-report/"),
        ("dashboards:enrolments", {"slug": "p"}, "/programmes/p/schools/"),
        ("dashboards:budget", {"slug": "p"}, "/programmes/p/budget/"),
        ("dashboards:mine", {}, "/schools/mine/"),
        ("dashboards:school", {"urn": 100001}, "/schools/100001/"),
        ("dashboards:governor_report", {"urn": 100001}, "/schools/100001/governor-report/"),
        ("home", {}, "/"),
    ],
)
def test_it_keeps_the_paths_of_the_pages_it_took_over(name, kwargs, path):
    assert reverse(name, kwargs=kwargs) == path
    assert resolve(path).view_name == name


@pytest.mark.parametrize(
    ("path", "name"),
    [("/programmes/new/", "programmes:create"), ("/schools/new/", "schools:create")],
)
def test_it_leaves_the_other_apps_pages_where_they_were(path, name):
    assert resolve(path).view_name == name
