import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _manage_in_production(*args: str, **env: str) -> subprocess.CompletedProcess:
    # Not the secrets, nor the browser tests' async-safety switch, which production never sets.
    inherited = {
        key: value
        for key, value in os.environ.items()
        if "SECRET" not in key and key != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**inherited, "DJANGO_SETTINGS_MODULE": "mathsprog.settings.production", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


# What a deployment must set (test values).
PRODUCTION = {
    "SECRET_KEY": "k3y-" + "x7Qp9" * 12,
    "PUPIL_KEY_SECRET": "pupil-" + "Zr4" * 12,
    "ALLOWED_HOSTS": "mathsprog.example.org",
}


def test_it_passes_the_deployment_checklist_with_production_settings():
    result = _manage_in_production(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_it_refuses_to_start_in_production_without_secrets():
    result = _manage_in_production("check", ALLOWED_HOSTS="mathsprog.example.org")
    assert result.returncode != 0
    assert "Set the SECRET_KEY environment variable" in result.stderr


def test_uploads_go_to_an_s3_compatible_store_when_one_is_configured():
    result = _manage_in_production(
        "shell",
        "-c",
        "from django.core.files.storage import storages; s = storages['default']; "
        "print(type(s).__name__, s.bucket_name, s.endpoint_url, s.location)",
        **PRODUCTION,
        S3_BUCKET="hub-uploads",
        S3_ENDPOINT_URL="http://127.0.0.1:9000",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-4:] == [
        "S3Storage",
        "hub-uploads",
        "http://127.0.0.1:9000",
        "mathsprog",
    ]


SHOW_CACHE = (
    "from django.core.cache import caches; cache = caches['default']; "
    "cache.set('deploy-check', 'shared', 10); "
    "print(type(cache).__name__, cache.get('deploy-check'))"
)


def test_the_cache_is_shared_in_redis_when_one_is_configured():
    """With CACHE_URL, every web process and machine shares one cache; without, each process
    has its own."""
    from tests.services import redis_url

    shared = redis_url().rsplit("/", 1)[0] + "/13"
    result = _manage_in_production("shell", "-c", SHOW_CACHE, CACHE_URL=shared, **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-2:] == ["RedisCache", "shared"]
    # Another process reads what the first one stored.
    read = "from django.core.cache import cache; print(cache.get('deploy-check'))"
    result = _manage_in_production("shell", "-c", read, CACHE_URL=shared, **PRODUCTION)
    assert result.stdout.split()[-1] == "shared"

    result = _manage_in_production("shell", "-c", SHOW_CACHE, CACHE_URL="", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-2:] == ["LocMemCache", "shared"]
