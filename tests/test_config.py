"""Configuration: production refuses to start without a secret key and sends secure cookies."""

import os
import subprocess
import sys

import pytest

from app import create_app
from app.config import ROOT, ProductionConfig


def test_production_refuses_to_start_without_secret_key(monkeypatch):
    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", None)
    with pytest.raises(RuntimeError, match="SECRET_KEY is not set"):
        create_app(ProductionConfig)


def test_production_cookies_are_secure_httponly_and_samesite(monkeypatch, tmp_path):
    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", "x" * 64)
    monkeypatch.setattr(ProductionConfig, "DATABASE_URL", f"sqlite:///{tmp_path / 'p.db'}")
    app = create_app(ProductionConfig)
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert app.config["REMEMBER_COOKIE_SECURE"] is True


def test_flask_config_names_an_unknown_environment_clearly(monkeypatch):
    from app.config import config_from_environment

    monkeypatch.setenv("FLASK_CONFIG", "staging")
    with pytest.raises(RuntimeError, match="FLASK_CONFIG='staging' is not one of"):
        config_from_environment()


def test_starting_without_secret_key_says_one_line_not_a_traceback(tmp_path):
    environment = {
        key: value for key, value in os.environ.items() if key not in ("SECRET_KEY", "FLASK_CONFIG")
    }
    environment["DATABASE_URL"] = f"sqlite:///{tmp_path / 'p.db'}"
    result = subprocess.run(
        [sys.executable, "-c", "import wsgi"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        "Cannot start: SECRET_KEY is not set. Set it to a long random value, for example the "
        'output of: python -c "import secrets; print(secrets.token_hex(32))"'
    ]
