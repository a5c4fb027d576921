"""The Flask application: it serves the pages and stores the answers; analysis lives elsewhere."""

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from app.commands import init_commands
from app.config import Config, config_from_environment
from app.db import init_db
from app.errors import init_errors
from app.i18n import init_i18n
from app.preferences import init_preferences
from app.security import init_security
from app.templating import init_templates


def create_app(config_class: type[Config] | None = None) -> Flask:
    """Build the app for CONFIG_CLASS (default: the one FLASK_CONFIG names)."""
    config_class = config_class or config_from_environment()
    config_class.check()
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_object(config_class)
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
    from app.public import measures as public_measures  # noqa: F401 (adds its routes)
    from app.public import you_said  # noqa: F401 (adds its routes)
    from app.public.views import blueprint as public
    from app.respond.views import blueprint as respond
    from app.staff import actions, reports, themes  # noqa: F401 (add their routes)
    from app.staff import editing as staff_editing  # noqa: F401 (adds its routes)
    from app.staff import entry as staff_entry  # noqa: F401 (adds its routes)
    from app.staff import exports as staff_exports  # noqa: F401 (adds its routes)
    from app.staff import measures as staff_measures  # noqa: F401 (adds its routes)
    from app.staff import responses as staff_responses  # noqa: F401 (adds its routes)
    from app.staff import safeguarding as staff_safeguarding  # noqa: F401 (adds its routes)
    from app.staff import sharing as staff_sharing  # noqa: F401 (adds its routes)
    from app.staff import surveys as staff_surveys  # noqa: F401 (adds its routes)
    from app.staff.views import blueprint as staff

    app.register_blueprint(public)
    app.register_blueprint(respond)
    app.register_blueprint(staff, url_prefix="/staff")
