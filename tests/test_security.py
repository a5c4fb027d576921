"""Security headers in production (staff sessions: tests/staff/test_sessions.py)."""

from app import create_app
from app.config import ProductionConfig


def test_production_sends_hsts(monkeypatch, tmp_path):
    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", "x" * 64)
    monkeypatch.setattr(ProductionConfig, "DATABASE_URL", f"sqlite:///{tmp_path / 'p.db'}")
    response = create_app(ProductionConfig).test_client().get("/healthz")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_development_and_tests_do_not_send_hsts(client):
    assert "Strict-Transport-Security" not in client.get("/healthz").headers
