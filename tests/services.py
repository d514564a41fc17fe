"""Access to the real servers tests need. Without them a test is skipped on a developer's
machine, but fails in CI (CI=true), where a skip would hide a broken set-up."""

import os

import pytest
import redis
from django.db import connection


def unavailable(reason: str):
    if os.environ.get("CI"):
        pytest.fail(f"CI needs this service: {reason}")
    pytest.skip(reason)


def redis_url() -> str:
    url = os.environ.get("CELERY_BROKER_URL") or "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        unavailable(f"Redis at {url} does not answer ({error})")
    return url


def require_postgresql() -> None:
    if connection.vendor != "postgresql":
        unavailable("needs PostgreSQL: set DATABASE_URL")
