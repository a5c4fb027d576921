"""The Flask application: it serves the pages and stores the answers; analysis lives elsewhere."""

from flask import Flask

from app.config import Config, config_from_environment
from app.db import init_db


def create_app(config_class: type[Config] | None = None) -> Flask:
    """Build the app for CONFIG_CLASS (default: the one FLASK_CONFIG names)."""
    config_class = config_class or config_from_environment()
    config_class.check()
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_object(config_class)
    init_db(app)
    init_templates(app)
    init_security(app)
    register_blueprints(app)
    register_commands(app)
    return app


def init_templates(app: Flask) -> None:
    from app.templating import init_templates as init

    init(app)


def init_security(app: Flask) -> None:
    from app.security import init_security as init

    init(app)


def register_blueprints(app: Flask) -> None:
    from app.public.views import blueprint as public
    from app.staff.views import blueprint as staff

    app.register_blueprint(public)
    app.register_blueprint(staff, url_prefix="/staff")


def register_commands(app: Flask) -> None:
    from app.commands import init_commands

    init_commands(app)
