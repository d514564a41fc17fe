from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import include, path


def boom(request):
    raise RuntimeError("a bug")


def refuse(request):
    raise PermissionDenied


urlpatterns = [path("boom/", boom), path("refuse/", refuse), path("", include("mathsprog.urls"))]


def test_it_shows_a_friendly_not_found_page(client, world):
    client.force_login(world.head_a)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert "Go to your dashboard" in response.content.decode()


def test_it_shows_a_friendly_error_page(world, settings):
    settings.ROOT_URLCONF = __name__
    client = Client(raise_request_exception=False)
    client.force_login(world.head_a)
    response = client.get("/boom/")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()
    assert "a bug" not in response.content.decode()


def test_it_shows_a_friendly_forbidden_page(client, world, settings):
    settings.ROOT_URLCONF = __name__
    client.force_login(world.head_a)
    response = client.get("/refuse/")
    assert response.status_code == 403
    assert "You can't open this page" in response.content.decode()
