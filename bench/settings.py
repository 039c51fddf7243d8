"""The production settings (config.settings, DJANGO_ENV=production, DEBUG off) for the benchmarks, served over
plain HTTP on loopback, plus one extra URL, `/bench/bare/` (bench/urls.py).

What differs from a deployment, and why it does not change what is measured:
- SECURE_SSL_REDIRECT is off (the setting's own environment variable): there is no TLS proxy on loopback.
- Session and CSRF cookies are not marked Secure, so that an HTTP client (requests, the test client) sends them
  back as a browser behind TLS would; the cookies' content and the work done per request are the same.
- SECRET_KEY and ALLOWED_HOSTS get benchmark values when the environment gives none (the production profile
  refuses to start without them); `testserver` is allowed for the in-process query counts.
- STATIC_ROOT and MEDIA_ROOT default to folders in /tmp: collectstatic for the benchmark never writes into the
  project.
Everything else, middleware, caches (local memory, or Redis with REDIS_URL), sessions, the task queue in the
database, JSON logs, is the production profile's.
"""

import os
import tempfile

os.environ["DJANGO_ENV"] = "production"
os.environ["DEBUG"] = "false"
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-any-deployment-0123456789abcdef")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("STATIC_ROOT", os.path.join(tempfile.gettempdir(), "bench-static"))
os.environ.setdefault("MEDIA_ROOT", os.path.join(tempfile.gettempdir(), "bench-media"))

from config.settings import *  # noqa: E402,F403

DEBUG = False
ROOT_URLCONF = "bench.urls"
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
