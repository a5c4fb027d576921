"""The app served by real gunicorn on loopback, with the project's gunicorn.conf.py, for
tests of what only a real server does (its logs)."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Served:
    """gunicorn running the production config on a copy of a migrated SQLite database,
    its access and error logs written to files in FOLDER."""

    def __init__(
        self,
        folder: Path,
        database: Path | None,
        workers: int = 2,
        *,
        database_url: str | None = None,
        environment: dict[str, str] | None = None,
    ) -> None:
        """DATABASE (a SQLite file) is copied for this server alone; or give DATABASE_URL
        to serve a database shared with other servers. ENVIRONMENT adds settings."""
        self.port = _free_port()
        self.access_log = folder / "access.log"
        self.error_log = folder / "error.log"
        self.output = folder / "output.log"
        if database_url is None:
            copy = folder / "served.db"
            shutil.copy(database, copy)
            database_url = f"sqlite:///{copy}"
        gunicorn = Path(sys.executable).parent / "gunicorn"
        environment = {
            **os.environ,
            "FLASK_CONFIG": "production",
            "SECRET_KEY": "served-test-key",
            "DATABASE_URL": database_url,
            "BIND": f"127.0.0.1:{self.port}",
            "WEB_CONCURRENCY": str(workers),
            **(environment or {}),
        }
        with self.output.open("wb") as output:
            self.process = subprocess.Popen(
                [
                    str(gunicorn),
                    "-c",
                    str(ROOT / "gunicorn.conf.py"),
                    "--access-logfile",
                    str(self.access_log),
                    "--error-logfile",
                    str(self.error_log),
                    "wsgi:app",
                ],
                cwd=ROOT,
                env=environment,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        self._wait_until_ready()

    def _wait_until_ready(self, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=2)
                return
            except OSError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn did not start: {self.output.read_text()}")

    def send_raw(self, request: bytes) -> bytes:
        """Send bytes exactly as given (a path no HTTP library would send) and read the reply."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=10) as connection:
            connection.sendall(request)
            reply = b""
            while chunk := connection.recv(65536):
                reply += chunk
        return reply

    def get(self, path: str) -> bytes:
        return self.send_raw(
            f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode()
        )

    def stop(self) -> None:
        """Stop gunicorn (its master, which stops its workers) and wait for the logs to flush."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=30)
