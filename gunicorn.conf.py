"""gunicorn settings for `make run` (and a starting point for production)."""

import multiprocessing
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
# Two or three workers per core is gunicorn's advice; SQLite's WAL and BEGIN IMMEDIATE
# (app/db.py) let them share the file safely.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = 1
timeout = 30
graceful_timeout = 20
accesslog = "-"
errorlog = "-"
# No internet address, no query string, and the path with its secrets hidden and its control
# characters escaped (app/logs.py): the privacy notice says we keep no internet address.
logger_class = "app.logs.AccessLogger"
access_log_format = '"%(m)s %(U)s" %(s)s %(b)s %(M)sms'
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
