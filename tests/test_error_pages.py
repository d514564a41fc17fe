from django.test import Client
from django.urls import path


def boom(request):
    raise RuntimeError("a bug")


urlpatterns = [path("boom/", boom)]


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
