"""What the logs keep: no internet address, no secret from a URL, and no line a request
could forge. Checked by running gunicorn for real with the project's configuration."""

import re

import pytest

from tests.served import Served

TOKEN = "s3cr3tS3tPasswordTokenAAAAAAAAAAAAAAAAAAAAAA"
REMOVAL = "r3movalTokenBBBBBBBBBBBBBBBBBBBBBB"
RESUME, RECEIPT = "KX4T-9MPA", "QW7E-RT3Y"
SECRETS = [TOKEN, REMOVAL, RESUME, RECEIPT, "KX4T9MPA", "qw7e-rt3y"]
ACCESS_LINE = re.compile(
    r'^"(GET|POST|HEAD) [^"\\\x00-\x1f]*(\\.[^"\\\x00-\x1f]*)*" \d{3} \S+ \d+ms$'
)


@pytest.fixture(scope="module")
def served(tmp_path_factory, sqlite_template):
    server = Served(tmp_path_factory.mktemp("served"), sqlite_template)
    try:
        paths = [
            f"/staff/set-password/{TOKEN}",
            f"/resume/{RESUME}",
            "/resume/KX4T9MPA",
            f"/r/{RECEIPT}",
            "/r/qw7e-rt3y",
            f"/email/remove/{REMOVAL}",
            f"/display-settings?next=/resume/{RESUME}",
            f"/resume?code={RESUME}",
            f"//R/{RECEIPT}",
            "/nowhere%0a127.0.0.1%20%22GET%20/forged%22%20200%20-%201ms",
            "/nowhere%0d%0aFORGED",
        ]
        for path in paths:
            assert server.get(path).startswith(b"HTTP/1.1 ")
        server.send_raw(f"NOT A REQUEST {TOKEN}\r\n\r\n".encode())
    finally:
        server.stop()
    return server


def test_the_access_log_keeps_no_internet_address(served):
    log = served.access_log.read_text()
    assert log
    assert "127.0.0.1" not in log


def test_secrets_in_paths_and_query_strings_are_not_logged(served):
    logs = served.access_log.read_text() + served.error_log.read_text()
    for secret in SECRETS:
        assert secret.lower() not in logs.lower()
    assert '"GET /r/[hidden]" 404' in served.access_log.read_text()


def test_a_newline_in_a_path_cannot_forge_a_log_line(served):
    lines = [
        line for line in served.access_log.read_text().splitlines() if '"GET /healthz"' not in line
    ]
    assert len(lines) == 11  # one line for each request sent, however its path was made
    assert all(ACCESS_LINE.match(line) for line in lines), lines
    assert any(line.startswith('"GET /nowhere\\n') for line in lines)
    assert any(line.startswith('"GET /nowhere\\r\\nFORGED"') for line in lines)


def test_gunicorns_error_log_hides_the_address_of_a_bad_request(served):
    errors = served.error_log.read_text()
    assert "Invalid request from ip=[hidden]" in errors
    assert "ip=127.0.0.1" not in errors


def test_the_apps_own_log_of_a_failed_page_hides_the_code(app, client, monkeypatch, caplog):
    import app.respond.views as views

    def broken(*args):
        raise RuntimeError(f"could not show /r/{RECEIPT}")

    monkeypatch.setattr(views, "receipt_details", broken)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    assert client.get(f"/r/{RECEIPT}").status_code == 500
    [record] = [r for r in caplog.records if r.name == app.logger.name]
    logged = record.getMessage() + (record.exc_text or "")
    assert "Exception on /r/[hidden] [GET]" in logged
    assert "RuntimeError" in logged
    assert RECEIPT not in logged
