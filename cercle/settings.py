"""Cercle settings: one module, read from the environment with safe defaults.

Development needs no variable at all (SQLite next to the code, a generated
secret key, e-mails printed to the console). Production is described in
README.md ("Production settings").
"""

import secrets
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from cercle.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("CERCLE_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", False)
# Under pytest: fast hashing, in-process tasks, e-mails kept in memory.
TESTING = env_bool("CERCLE_TESTING", "pytest" in sys.modules)


def _secret_key() -> str:
    """SECRET_KEY from the environment; in development and tests, one generated once and kept out of git."""
    key = env_str("SECRET_KEY")
    if key:
        return key
    if not (DEBUG or TESTING):
        # A key generated on each host would differ between hosts (sessions and signed links valid on
        # one only) and change with a lost var/: production says which key it uses.
        raise ImproperlyConfigured(
            "SECRET_KEY is required when DEBUG is off: the same long random value on every host, e.g. "
            "SECRET_KEY=\"$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')\"."
        )
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# The public address every e-mail, .ics and unsubscribe link starts with. In development it is the
# address the run command serves (bin/serve sets it from HOST and PORT); in production it is required.
SITE_URL = env_str("SITE_URL").rstrip("/")
if not SITE_URL:
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured(
            "SITE_URL is required when DEBUG is off: the public address of this site, e.g. "
            "SITE_URL=https://cercle.example.org (links in e-mails and calendars start with it)."
        )
    SITE_URL = f"http://{env_str('HOST', '127.0.0.1')}:{env_str('PORT', '8000')}"
# The name account e-mails greet with ("Hello from Cercle!").
SITE_NAME = env_str("SITE_NAME", "Cercle")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "allauth",
    "allauth.account",
    "allauth.usersessions",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "django_htmx",
    # Cercle's own apps, lowest layer first.
    "places",
    "people",
    "privacy",
    "network",
    "circles",
    "events",
    "notifications",
    "intros",
    "matching",
    "vouches",
    "referrals",
    # Above every app: it schedules their periodic work.
    "operations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A 304 to a browser holding the page's ETag (anonymous pages, cercle/public_pages.py).
    "django.middleware.http.ConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Answers to members and API tokens are never stored by browsers or proxies.
    "cercle.cache_headers.PrivateNoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After the messages: a session ended for idleness says so on the next page.
    "people.session_timeout.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]
# Benchmarks read each answer's cache lookups (hit ratios) from a header.
if env_bool("CACHE_STATUS_HEADER", False):
    MIDDLEWARE.insert(0, "cercle.versioned_cache.CacheStatusMiddleware")

ROOT_URLCONF = "cercle.urls"
WSGI_APPLICATION = "cercle.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "cercle.context_processors.site",
                "notifications.context_processors.unread",
                "referrals.context_processors.nav",
            ],
        },
    },
]

# --- Database: SQLite (WAL) by default, anything dj-database-url reads otherwise.
SQLITE_PATH = Path(env_str("SQLITE_PATH", str(VAR_DIR / "cercle.sqlite3")))
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": SQLITE_PATH,
            "OPTIONS": {
                # IMMEDIATE takes the write lock at BEGIN, so two writers queue on
                # busy_timeout instead of failing with "database is locked".
                "transaction_mode": "IMMEDIATE",
                "timeout": 5,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=5000; "
                    "PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                ),
            },
            "TEST": {"NAME": env_str("SQLITE_TEST_PATH") or None},
            # Reusing the connection saves its PRAGMAs on every request (about 0.6 ms here).
            "CONN_MAX_AGE": 0 if TESTING else 60,
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Caches shared by every web process (login throttling must not be per-process).
# "default" holds what no flood of writes may push out: the rate-limit counters (allauth's always
# use this alias, the API's too) and a fixed set of keys with one current value each (the matching
# arrays, the intro graph's stamps). Nothing goes there under ever-new keys, so when the database
# shape reaches CACHE_MAX_ENTRIES its cull deletes expired rows only: it would next delete the
# alphabetically first third of the live ones, rate-limit keys first.
# "derived" holds data rebuilt from the database under ever-new keys (the network dashboard's
# pictures): culled freely when full. On Redis both share the server, which evicts nothing unless
# given a maxmemory policy.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL},
        "derived": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "derived",
        },
    }
else:
    # `createcachetable` (make setup) creates both tables.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "cercle_cache",
            "OPTIONS": {"MAX_ENTRIES": env_int("CACHE_MAX_ENTRIES", 100_000)},
        },
        "derived": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "cercle_derived_cache",
            "OPTIONS": {"MAX_ENTRIES": env_int("DERIVED_CACHE_ENTRIES", 2000)},
        },
    }
# Rendered parts and derived values, per process: their keys carry the versions services bump
# (cercle/versioned_cache.py), so no process ever needs to tell another that something changed.
CACHES["pages"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "cercle-pages",
    "OPTIONS": {"MAX_ENTRIES": env_int("PAGE_CACHE_ENTRIES", 20_000)},
}

# --- Background tasks: database queue by default, Redis (RQ) when scaled out.
# Queues split by kind, so a slow feed import never delays a password-reset e-mail: the run
# command's worker takes them all, production runs one worker for mail+default and one for the slow
# rest (feed imports, matching, backups).
TASK_QUEUES = ["mail", "default", "feeds", "matching", "maintenance"]
# The Redis of the RQ tests: a database number of its own, emptied by the tests.
TEST_REDIS_URL = env_str("CERCLE_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
if TESTING:
    # Tasks run in-process during tests; the workers' own tests use the "database" and "rq" queues.
    TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": TASK_QUEUES},
        "database": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": TASK_QUEUES},
        "rq": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": TASK_QUEUES},
    }
    RQ_QUEUES = {queue: {"URL": TEST_REDIS_URL} for queue in TASK_QUEUES}
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
elif REDIS_URL:
    # Workers: `manage.py rqworker --job-class django_tasks_rq.Job <queues>` (without the job
    # class every task fails with "'Task' object is not callable").
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": TASK_QUEUES}}
    RQ_QUEUES = {queue: {"URL": REDIS_URL} for queue in TASK_QUEUES}
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": TASK_QUEUES}}

# --- iCal feeds: their addresses must be public (no loopback, private or link-local network), at
# registration and at each fetch. Only tests that fetch from a local test server turn this on.
FEEDS_ALLOW_PRIVATE_ADDRESSES = False

# --- Backups (`manage.py backup`, and nightly by the scheduler)
BACKUP_DIR = Path(env_str("BACKUP_DIR", str(VAR_DIR / "backups")))
BACKUP_KEEP = env_int("BACKUP_KEEP", 14)

# --- Accounts
AUTH_USER_MODEL = "people.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
# Sessions in the database, read through a cache: a copy of the row that can go at any time (the
# "derived" alias culls freely), so a flood of new sessions never pushes out a rate-limit counter.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_CACHE_ALIAS = "derived"
# A signed-in session ends after a day without a request (people/session_timeout.py), and two weeks
# (SESSION_COOKIE_AGE, Django's default) after the sign-in however active: a device left signed in
# is closed by the next day, a member visiting daily signs in again every two weeks.
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT", 24 * 3600)
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "network:dashboard"
# A newcomer starts with their profile; afterwards, logging in opens the network dashboard.
ACCOUNT_SIGNUP_REDIRECT_URL = "people:me"
LOGOUT_REDIRECT_URL = "home"

ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Cercle] "
ACCOUNT_ADAPTER = "people.adapters.CercleAccountAdapter"
# Sign-up does the same work for a taken address as for a new one (no timing difference).
ACCOUNT_FORMS = {"signup": "people.forms.SignupForm"}
ACCOUNT_EMAIL_NOTIFICATIONS = True
# Login throttling is allauth's (per IP and per account, stored in the shared cache; the admin
# signs in through the same log-in, cercle/urls.py).
ACCOUNT_RATE_LIMITS = {
    "login_failed": env_str("LOGIN_FAILED_RATE_LIMIT", "10/m/ip,5/5m/key"),
}

# --- API abuse limits (cercle/api.py): calls per member (all their tokens together), and calls
# without a valid token per client address; "number/period", period s, m, h or d.
API_RATE_LIMIT = env_str("API_RATE_LIMIT", "120/m")
API_ANON_RATE_LIMIT = env_str("API_ANON_RATE_LIMIT", "30/m")
# How many reverse proxies in front of the app append to X-Forwarded-For: 0 trusts only the socket's
# address (a client could otherwise pick its own address, and its own counter).
NINJA_NUM_PROXIES = env_int("TRUSTED_PROXY_COUNT", 0)
ALLAUTH_TRUSTED_PROXY_COUNT = NINJA_NUM_PROXIES  # the log-in throttle counts the same address

# --- Internationalisation
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600

# --- Static and uploaded files
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# Media is never served as plain files: photos go through views that ask the privacy selector.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
PHOTO_MAX_BYTES = env_int("PHOTO_MAX_BYTES", 5 * 1024 * 1024)

# --- E-mail: console by default, SMTP when EMAIL_HOST is set.
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Cercle <no-reply@cercle.local>")
if env_str("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = env_str("EMAIL_HOST")
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
elif env_str("EMAIL_FILE_PATH"):
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH")
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# --- Security. Production turns these on by leaving DEBUG off (see README).
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # HTMX reads the token from a meta tag, not the cookie.
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if not DEBUG and not TESTING:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # Load balancers probe over plain HTTP inside the network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_REFERRER_POLICY = "same-origin"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
