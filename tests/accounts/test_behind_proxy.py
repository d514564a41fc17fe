"""The sign-in lockout as deployed: gunicorn with production settings, two workers, reached
as its TLS proxy reaches it (X-Forwarded-For and X-Forwarded-Proto), on this test's database.
One client's wrong passwords lock that client out of that account, and nobody else."""

import http.client
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from accounts.models import User
from tests.services import require_postgresql

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parent.parent.parent
PASSWORD = "correct horse battery staple"
PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "mathsprog.settings.production",
    "SECRET_KEY": "k3y-" + "x7Qp9" * 12,
    "PUPIL_KEY_SECRET": "pupil-" + "Zr4" * 12,
    "ALLOWED_HOSTS": "127.0.0.1",
    "TRUSTED_PROXY_COUNT": "1",
    "CACHE_URL": "",
    "CONN_MAX_AGE": "0",
}


def _environment(static_root: Path) -> dict:
    inherited = {
        key: value
        for key, value in os.environ.items()
        if "SECRET" not in key and key != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    database = connection.settings_dict
    user = database["USER"] + (f":{database['PASSWORD']}" if database["PASSWORD"] else "")
    url = f"postgres://{user}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
    return {**inherited, **PRODUCTION, "DATABASE_URL": url, "STATIC_ROOT": str(static_root)}


@pytest.fixture(scope="module")
def static_root(tmp_path_factory):
    """The portal's static files, collected as a release does (production's storage reads
    their manifest to render any page); the data admin's are left out, for time."""
    root = tmp_path_factory.mktemp("static")
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-i", "admin"],
        cwd=ROOT,
        env=_environment(root),
        check=True,
        capture_output=True,
        timeout=120,
    )
    return root


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture
def gunicorn(static_root, tmp_path):
    require_postgresql()
    port = _free_port()
    log = (tmp_path / "gunicorn.log").open("w+")
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "mathsprog.wsgi", "-b", f"127.0.0.1:{port}", "-w", "2"],
        cwd=ROOT,
        env=_environment(static_root),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 30
    while not _answers(port):
        if process.poll() is not None or time.monotonic() > deadline:
            log.seek(0)
            pytest.fail(f"gunicorn did not start:\n{log.read()}")
        time.sleep(0.1)
    yield port
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)
    log.close()


class Visitor:
    """One client of the portal, as the proxy passes it on: its address appended to
    X-Forwarded-For (after whatever the client wrote there itself), HTTPS in
    X-Forwarded-Proto, and its own cookies."""

    def __init__(self, port: int, forwarded_for: str):
        self.port, self.forwarded_for, self.cookies = port, forwarded_for, {}

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, str]:
        origin = f"127.0.0.1:{self.port}"
        headers = {
            "Host": origin,
            "X-Forwarded-For": self.forwarded_for,
            "X-Forwarded-Proto": "https",
            "Origin": f"https://{origin}",
            "Cookie": "; ".join(f"{name}={value}" for name, value in self.cookies.items()),
        }
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        server = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            server.request(method, path, body, headers)
            response = server.getresponse()
            page = response.read().decode()
        finally:
            server.close()
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, value = cookie.split(";", 1)[0].split("=", 1)
            self.cookies[name] = value
        return response.status, page

    def sign_in(self, email: str, password: str) -> int:
        status, page = self.request("GET", "/accounts/login/")
        assert status == 200, page
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        form = {"csrfmiddlewaretoken": token, "username": email, "password": password}
        status, page = self.request("POST", "/accounts/login/", form)
        assert status in (200, 302, 429), page
        return status


def test_one_clients_wrong_passwords_lock_only_that_client_out_of_that_account(gunicorn):
    # Hashed as production hashes (the test settings' MD5 is not among its hashers), with few
    # rounds so that each wrong password is quick to check.
    hashed = PBKDF2PasswordHasher().encode(PASSWORD, "fixed-test-salt", iterations=1000)
    for email in ("sle02@example.org", "sle03@example.org"):
        User.objects.create(email=email, full_name=email, password=hashed)
    guesser = Visitor(gunicorn, "198.51.100.7")
    for _ in range(4):
        assert guesser.sign_in("sle02@example.org", "guess") == 200
    assert guesser.sign_in("sle02@example.org", "guess") == 429

    # Locked, whatever the case of the address and whatever the guesser writes in the header.
    assert guesser.sign_in("SLE02@EXAMPLE.ORG", PASSWORD) == 429
    assert Visitor(gunicorn, "203.0.113.9, 198.51.100.7").sign_in("Sle02@example.org", "x") == 429
    # Counted against the guesser's own address and the one spelling of the account.
    assert list(AccessAttempt.objects.values_list("username", "ip_address")) == [
        ("sle02@example.org", "198.51.100.7")
    ]

    # Another client signs in to that account, and the guesser to another.
    assert Visitor(gunicorn, "203.0.113.9").sign_in("sle02@example.org", PASSWORD) == 302
    assert guesser.sign_in("sle03@example.org", PASSWORD) == 302
    assert Visitor(gunicorn, "198.51.100.7").sign_in("sle02@example.org", PASSWORD) == 429
