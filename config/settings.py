"""Cercle's settings: one module, read from the environment.

With nothing set this is the embedded development profile (SQLite, database search, local-memory
cache, console e-mail). `DATABASE_URL`, `REDIS_URL`, `ELASTICSEARCH_URL` and `EMAIL_URL` switch on
PostgreSQL, Redis, Elasticsearch and SMTP; `DJANGO_ENV=production` turns on the production profile,
which refuses to start without a secret key and passes `manage.py check --deploy`.
"""

import datetime
from pathlib import Path

import environ
import PIL.Image
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
SITE_DIR = BASE_DIR / "site"

env = environ.Env()

DJANGO_ENV = env.str("DJANGO_ENV", default="development")
if DJANGO_ENV not in {"development", "production"}:
    raise ImproperlyConfigured(f"DJANGO_ENV must be 'development' or 'production', not {DJANGO_ENV!r}.")
PRODUCTION = DJANGO_ENV == "production"

DEBUG = env.bool("DEBUG", default=not PRODUCTION)


def _development_secret_key():
    """A random key made once per checkout, so sessions survive a restart of the dev server."""
    from django.core.management.utils import get_random_secret_key

    path = BASE_DIR / ".secret_key"
    try:
        key = path.read_text().strip()
    except OSError:
        key = ""
    if not key:
        key = get_random_secret_key()
        try:
            path.write_text(key)
        except OSError:
            pass  # a read-only checkout still runs, with a key per process
    return key


SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("The production profile needs SECRET_KEY in the environment.")
    SECRET_KEY = _development_secret_key()

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[] if PRODUCTION else ["localhost", "127.0.0.1", "[::1]"])
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("The production profile needs ALLOWED_HOSTS in the environment.")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Application definition. Cercle's own apps come first so that their templates win.
CERCLE_APPS = [
    "members",
    "search",
    "home",
    "working_groups",
    "knowledge",
    "events",
    "opportunities",
    "discussions",
]

INSTALLED_APPS = CERCLE_APPS + [
    # Editors translate pages in the admin (wagtail_localize.locales stands in for wagtail.locales).
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.forms",
    "wagtail.contrib.table_block",
    "wagtail.contrib.redirects",
    # The query log and promoted results of Cercle's search (editors' reports in the admin).
    "wagtail.contrib.search_promotions",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    # First: every log line of the request carries its id (config/request_id.py).
    "config.request_id.RequestIdMiddleware",
    # A body larger than any form of the site is refused before it is read (config/limits.py).
    "config.limits.RequestSizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Strict policy on the public site, relaxed under the admin's prefixes (config/csp.py).
    "config.csp.CercleCSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Kept pages are answered here, before Wagtail's routing, from the session alone (members/page_cache.py).
    "members.page_cache.PageCacheMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Pages holding a private feed address, a profile or the directory: Cache-Control: private, no-store.
    "members.privacy.NoStoreMiddleware",
    # Admin views addressed by the id of a page or document one may not know answer 404 (issue 9).
    "working_groups.admin_privacy.AdminPrivacyMiddleware",
    # Last, as django-axes asks: it answers locked-out log-in attempts.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SITE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "members.context_processors.viewer",
                "home.context_processors.site_chrome",
            ],
        },
    },
]

# Database: SQLite in the project unless DATABASE_URL says otherwise.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The admin writes from several requests at once (Wagtail's autosave and editing-session pings beside
    # "Publish"). WAL lets readers go on while one writes; IMMEDIATE takes the write lock when a
    # transaction begins, so a writer waits (up to the timeout, in seconds) for its turn instead of failing
    # with "database is locked" when a read transaction tries to become a write.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # temp_store: the search engine's per-request table of matches lives in memory, not a file.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA temp_store=MEMORY;",
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Caches (members/page_cache.py, members/entitlements.py):
# - "default": fragments, menus and the page cache; local memory in each process unless REDIS_URL is set.
# - "shared": what every web process must read alike: sessions and the stamps that say when a member's
#   entitlements or the pages changed. Redis when REDIS_URL is set, otherwise files on this machine's disk
#   (several gunicorn workers share them; reads cost no query).
REDIS_URL = env.str("REDIS_URL", default="")
CERCLE_CACHE_DIR = env.str("CERCLE_CACHE_DIR", default=str(BASE_DIR / "var" / "cache"))
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL},
        "shared": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL},
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "cercle",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        },
        "shared": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": CERCLE_CACHE_DIR,
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        },
    }
CERCLE_SHARED_CACHE = "shared"
# Sessions read from the shared cache, written through to the database: no query to read one, and a cache
# lost (a Redis restart, a cleared folder) logs nobody out.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_CACHE_ALIAS = "shared"
# Pages kept for members and visitors by entitlement (members/page_cache.py); 0 turns the page cache off.
CERCLE_PAGE_CACHE = "default"
CERCLE_PAGE_CACHE_SECONDS = env.int("CERCLE_PAGE_CACHE_SECONDS", default=300)

# E-mail: printed on the console unless EMAIL_URL is set (smtp://user:pass@host:587 or smtp+tls://...).
EMAIL_URL = env.str("EMAIL_URL", default="")
if EMAIL_URL:
    globals().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Cercle <noreply@cercle.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Search: Wagtail's database backend unless ELASTICSEARCH_URL is set.
ELASTICSEARCH_URL = env.str("ELASTICSEARCH_URL", default="")
# Cercle search's own index (an alias over timestamped indexes), apart from Wagtail's "cercle" ones.
ELASTICSEARCH_SEARCH_INDEX = env.str("ELASTICSEARCH_SEARCH_INDEX", default="cercle-search")
if ELASTICSEARCH_URL:
    WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": "wagtail.search.backends.elasticsearch8",
            "URLS": [ELASTICSEARCH_URL],
            "INDEX": env.str("ELASTICSEARCH_INDEX", default="cercle"),
            "TIMEOUT": 5,
        }
    }
else:
    WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

# Background work: run at once by default; in production a database queue served by
# `manage.py db_worker` (django-tasks-db), so that a slow e-mail never holds a request.
TASKS = {
    "default": {
        "BACKEND": env.str(
            "TASKS_BACKEND",
            default=(
                "django_tasks_db.DatabaseBackend" if PRODUCTION else "django_tasks.backends.immediate.ImmediateBackend"
            ),
        )
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "members.backends.MemberBackend",  # Django's ModelBackend, with the profile in the same query
]
# Brute-force protection: 5 failures for one account from one address lock it for 15 minutes, and
# 20 failures from one address across accounts lock that address (members/lockout.py).
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
# Behind reverse proxies, the client's address is read from X-Forwarded-For (config/client_ip.py).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "config.client_ip.client_ip"
# Password-reset e-mails: at most this many an hour for one address, and for one client address.
CERCLE_PASSWORD_RESET_PER_ADDRESS = env.int("CERCLE_PASSWORD_RESET_PER_ADDRESS", default=3)
CERCLE_PASSWORD_RESET_PER_CLIENT = env.int("CERCLE_PASSWORD_RESET_PER_CLIENT", default=10)
AXES_HANDLER = "members.lockout.MemberLockoutHandler"
AXES_USERNAME_CALLABLE = "members.lockout.lockout_username"  # one count per account, however typed
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
CERCLE_ADDRESS_FAILURE_LIMIT = env.int("CERCLE_ADDRESS_FAILURE_LIMIT", default=20)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
SESSION_COOKIE_AGE = 60 * 60 * 24 * 14

# Membership rules the club may change.
CERCLE_INVITATION_DAYS = env.int("CERCLE_INVITATION_DAYS", default=14)
CERCLE_EFFECTIVE_MEMBERS_MAY_INVITE = env.bool("CERCLE_EFFECTIVE_MEMBERS_MAY_INVITE", default=True)
# Watch sources on the local network (loopback, private addresses) are refused unless this is on; it is on
# in development, where the demo's feeds are served by the development server itself.
CERCLE_WATCH_PRIVATE_SOURCES = env.bool("CERCLE_WATCH_PRIVATE_SOURCES", default=DEBUG)
# Members' privacy (GDPR): a departed member's personal data is anonymised this many years after their last
# membership ended (`manage.py apply_retention`, run daily; `--dry-run` lists without changing anything).
CERCLE_RETENTION_YEARS = env.int("CERCLE_RETENTION_YEARS", default=3)
# An opportunity is "closing soon" this many days before its deadline.
CERCLE_OPPORTUNITY_CLOSING_DAYS = env.int("CERCLE_OPPORTUNITY_CLOSING_DAYS", default=7)

# Discussions (discussions/services.py): how much one member may post, and how big a post may be. Past a
# limit the member gets a 429 with their text kept; staff are not limited.
CERCLE_DISCUSSION_POSTS_PER_WINDOW = env.int("CERCLE_DISCUSSION_POSTS_PER_WINDOW", default=10)
CERCLE_DISCUSSION_THREADS_PER_WINDOW = env.int("CERCLE_DISCUSSION_THREADS_PER_WINDOW", default=3)
CERCLE_DISCUSSION_MENTIONS_PER_WINDOW = env.int("CERCLE_DISCUSSION_MENTIONS_PER_WINDOW", default=20)
CERCLE_DISCUSSION_WINDOW_MINUTES = env.int("CERCLE_DISCUSSION_WINDOW_MINUTES", default=10)
CERCLE_DISCUSSION_MAX_MENTIONS = 10  # in one post
CERCLE_DISCUSSION_MAX_LENGTH = 20_000  # characters of one post
CERCLE_DISCUSSION_MAX_ATTACHMENTS = 5
CERCLE_DISCUSSION_MAX_ATTACHMENT_MB = env.int("CERCLE_DISCUSSION_MAX_ATTACHMENT_MB", default=10)
CERCLE_DISCUSSION_REPLIES_PER_PAGE = 25

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# Internationalisation: French first, English second.
LANGUAGE_CODE = "fr"
# Language names stay in their own language in the switcher.
LANGUAGES = [("fr", "Français"), ("en", "English")]
LOCALE_PATHS = [SITE_DIR / "locale"]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True
WAGTAILADMIN_PERMITTED_LANGUAGES = [("fr", "Français"), ("en", "English")]
# Page content has a language of its own (a Wagtail locale): French pages, and their English translations
# made with wagtail-localize. Under /en/ a page without a translation is shown in French, marked as such.
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = [("fr", "Français"), ("en", "English")]

# Static files and media.
STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "static")))
STATICFILES_DIRS = [SITE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Wagtail.
WAGTAIL_SITE_NAME = "Cercle"
# Page addresses stay ASCII ("reunion-budget-it-2027"): typed, quoted in e-mails and pasted anywhere.
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAILADMIN_BASE_URL = env.str("BASE_URL", default="http://127.0.0.1:8000")
# Documents always go through Django so that the access policy can refuse them (DESIGN.md).
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "ods", "odp", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
# An image's header may declare far more pixels than its file size suggests (an "image bomb"): uploads
# declaring more than 40 megapixels are refused (the admin's images, the profile photo), and Pillow
# refuses to open anything beyond twice that.
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
PIL.Image.MAX_IMAGE_PIXELS = WAGTAILIMAGES_MAX_IMAGE_PIXELS
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILADMIN_NOTIFICATION_FROM_EMAIL = DEFAULT_FROM_EMAIL

# Content-Security-Policy, the same in both profiles. The public site's templates carry no inline
# script or style; Wagtail's admin does, so it gets its own policy (config/csp.py).
_CSP_PUBLIC = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
CONTENT_SECURITY_POLICY = {"DIRECTIVES": _CSP_PUBLIC}
CONTENT_SECURITY_POLICY_ADMIN = {
    "DIRECTIVES": _CSP_PUBLIC
    | {
        "script-src": ["'self'", "'unsafe-inline'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        # Image uploads are previewed from the browser's memory before they are sent.
        "img-src": ["'self'", "data:", "blob:"],
        # The preview panel shows the page in a frame of the admin itself.
        "frame-ancestors": ["'self'"],
    }
}
CSP_ADMIN_PATH_PREFIXES = ["/admin/"]
# The admin shows no avatars from Gravatar: that would send each user's hashed address elsewhere.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# Production profile: HTTPS everywhere, secure cookies, HSTS.
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
    # Probes on the machine itself ask over plain HTTP (config/health.py).
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# The scheduled jobs, run by `manage.py run_scheduler` (home/scheduler.py): a management command and a cron
# expression in TIME_ZONE.
CERCLE_SCHEDULE = [
    ("sync_memberships", "0 * * * *"),  # memberships that start or end today, every hour
    ("poll_sources", "15 * * * *"),  # the technology watch's sources, every hour
    ("send_event_reminders", "30 * * * *"),  # tomorrow's events, each registration once
    ("send_discussion_digest", "0 7 * * *"),  # the discussions' daily summary
    ("send_techwatch_digest", "0 7 * * 1"),  # the technology watch's weekly digest, on Monday
    ("apply_retention", "30 3 * * *"),  # former members anonymised after CERCLE_RETENTION_YEARS
]

# /healthz calls the task queue stuck when a task has waited longer than this (config/health.py).
CERCLE_HEALTH_TASK_DELAY_MINUTES = env.int("CERCLE_HEALTH_TASK_DELAY_MINUTES", default=15)
# The largest request body accepted, in MB (config/limits.py): above the largest upload a form takes.
CERCLE_MAX_REQUEST_MB = env.int("CERCLE_MAX_REQUEST_MB", default=60)

# Logs go to standard output: one JSON object a line in production (LOG_FORMAT=json), each with the id of
# the request it belongs to (config/request_id.py); readable text in development.
LOG_FORMAT = env.str("LOG_FORMAT", default="json" if PRODUCTION else "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "config.request_id.RequestIdFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        }
    },
    "root": {
        "handlers": ["console"],
        "level": env.str("LOG_LEVEL", default="INFO" if PRODUCTION else "WARNING"),
    },
}
