"""gunicorn's settings for Cercle: `gunicorn config.wsgi` reads this file from the working directory.

Workers follow the machine (two per CPU and one, at most 12) unless GUNICORN_WORKERS says otherwise; each
is restarted after a few thousand requests so that no slow leak grows. The access log goes to standard
output as one JSON object a line, with the request id Cercle answers in `X-Request-ID`."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "0")) or min(multiprocessing.cpu_count() * 2 + 1, 12)
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
max_requests = 2000
max_requests_jitter = 200
# Behind a proxy on the same machine (nginx, Caddy): trust its X-Forwarded-* headers only.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# Bounds on the request line and headers (a body's size is the proxy's and Django's to bound).
limit_request_line = 8190
limit_request_fields = 100
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
access_log_format = (
    '{"time": "%(t)s", "request_id": "%({x-request-id}o)s", "method": "%(m)s", "path": "%(U)s", '
    '"status": %(s)s, "bytes": %(B)s, "duration_ms": %(M)s, "remote": "%(h)s"}'
)
