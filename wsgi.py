"""Entry point for gunicorn and `flask --app wsgi`."""

import sys

from app import create_app
from app.config import ConfigError

try:
    app = create_app()
except ConfigError as error:
    # A person starting the app needs the one line that says what to set, not a traceback.
    sys.exit(f"Cannot start: {error}")
