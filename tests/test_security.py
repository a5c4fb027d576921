"""Security headers in production, and staff sessions that end when left idle."""

from datetime import timedelta

from app import create_app
from app.config import ProductionConfig
from tests.factories import sign_in_as


def test_production_sends_hsts(monkeypatch, tmp_path):
    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", "x" * 64)
    monkeypatch.setattr(ProductionConfig, "DATABASE_URL", f"sqlite:///{tmp_path / 'p.db'}")
    response = create_app(ProductionConfig).test_client().get("/healthz")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_development_and_tests_do_not_send_hsts(client):
    assert "Strict-Transport-Security" not in client.get("/healthz").headers


def test_staff_left_idle_are_signed_out(app, client, db):
    sign_in_as(client, db, "officer")
    assert client.get("/staff").status_code == 200
    with client.session_transaction() as session:
        idle = app.config["STAFF_IDLE_TIMEOUT"] + timedelta(minutes=1)
        session["staff_seen_at"] -= idle.total_seconds()
    assert client.get("/staff").headers["Location"].startswith("/staff/sign-in")


def test_staff_who_keep_working_stay_signed_in(app, client, db):
    sign_in_as(client, db, "officer")
    client.get("/staff")
    with client.session_transaction() as session:
        almost = app.config["STAFF_IDLE_TIMEOUT"] - timedelta(minutes=1)
        session["staff_seen_at"] -= almost.total_seconds()
    assert client.get("/staff").status_code == 200
