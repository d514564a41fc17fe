import pytest


def test_it_reports_healthy_without_signing_in(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["checks"]["database"] == "ok"


@pytest.mark.parametrize(
    ("broker", "status", "state"),
    [("redis://127.0.0.1:1/0", 503, "unavailable"), (None, 200, "ok")],
)
def test_it_checks_the_broker_when_one_is_configured(client, db, settings, broker, status, state):
    from .services import redis_url

    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = broker or redis_url()
    response = client.get("/healthz")
    assert response.status_code == status
    assert response.json()["checks"]["broker"] == state


def test_it_says_unavailable_when_the_database_is_down(client, db, monkeypatch):
    from mathsprog import health

    def broken():
        raise OSError("connection refused")

    monkeypatch.setattr(health, "_database", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {"database": "unavailable", "broker": "not configured"},
    }
