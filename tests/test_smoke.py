"""`make run` must not silently break: start the embedded default exactly as it does, in a subprocess."""

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from kumppanuus.testing.faults import free_port

ROOT = Path(__file__).resolve().parents[1]


def _embedded_env(tmp_path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "EMAIL_URL"}}
    env.update({"SQLITE_PATH": str(tmp_path / "demo.sqlite3"), "DEBUG": "true", "PYTHONUNBUFFERED": "1"})
    return env


def _manage(*args, env, timeout=300):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout,
    )


@pytest.mark.smoke
def test_embedded_default_migrates_loads_demo_and_serves_home_page(tmp_path):
    env = _embedded_env(tmp_path)
    migrate = _manage("migrate", "--no-input", env=env)
    assert migrate.returncode == 0, migrate.stderr
    demo = _manage("load_demo", env=env)
    assert demo.returncode == 0, demo.stderr
    assert "koordinaattori@demo.kumppanuus.fi" in demo.stdout  # the demo logins are printed

    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        body = None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
                    assert response.status == 200
                    body = response.read().decode()
                    break
            except OSError:
                if server.poll() is not None:
                    pytest.fail(f"runserver exited: {server.stdout.read()}")
                time.sleep(0.5)
        assert body is not None, "the embedded default did not answer within 60 s"
        assert "Kumppanuus" in body
        assert 'lang="fi"' in body  # Finnish is the default language
        search = f"http://127.0.0.1:{port}/organisations/?q=Mielenterveysyhdistys"
        with urllib.request.urlopen(search, timeout=10) as response:
            directory = response.read().decode()
        assert "Vaasan Mielenterveysyhdistys ry" in directory
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_production_settings_pass_check_deploy():
    env = {k: v for k, v in os.environ.items()}
    env.update(
        {
            "DEBUG": "false",
            "SECRET_KEY": "a-long-random-production-secret-" + "x7Qk2pLm9Zr4Tv8Wn3Yb6Hc1Jd5Fg0Se" * 2,
            "SITE_URL": "https://kumppanuus.example.fi",
            "ALLOWED_HOSTS": "kumppanuus.example.fi",
            "STATICFILES_BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage",
        }
    )
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=env, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_bad_configuration_fails_loudly():
    env = {k: v for k, v in os.environ.items()}
    env["DEBUG"] = "perhaps"
    result = _manage("check", env=env, timeout=120)
    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr
