"""The Flask application: it serves the pages and stores the answers; analysis lives elsewhere."""

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from app.commands import init_commands
from app.config import Config, config_from_environment
from app.db import init_db
from app.errors import init_errors
from app.i18n import init_i18n
from app.logs import init_logging
from app.preferences import init_preferences
from app.security import init_security
from app.templating import AppEnvironment, init_templates


def create_app(config_class: type[Config] | None = None) -> Flask:
    """Build the app for CONFIG_CLASS (default: the one FLASK_CONFIG names)."""
    config_class = config_class or config_from_environment()
    config_class.check()
    app = Flask(__name__, instance_relative_config=True)
    app.jinja_environment = AppEnvironment
    app.config.from_object(config_class)
    init_logging(app)
    if app.config["PROXIES"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=app.config["PROXIES"], x_proto=1)
    init_db(app)
    init_i18n(app)
    init_templates(app)
    init_preferences(app)
    init_security(app)
    register_blueprints(app)
    init_errors(app)
    init_commands(app)
    return app


def register_blueprints(app: Flask) -> None:
    from app.public.pages import blueprint as public
    from app.respond.views import blueprint as respond
    from app.staff.pages import blueprint as staff

    app.register_blueprint(public)
    app.register_blueprint(respond)
    app.register_blueprint(staff, url_prefix="/staff")
