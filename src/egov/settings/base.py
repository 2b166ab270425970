"""Settings shared by every environment. Each knob can be set from the environment."""

from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from .env import env_bool, env_float, env_int, env_list, env_str

SRC_DIR = Path(__file__).resolve().parent.parent  # src/egov
BASE_DIR = SRC_DIR.parent.parent  # repository root
VAR_DIR = Path(env_str("EGOV_VAR_DIR", str(BASE_DIR / "var")))

SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-change-me")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI files served by the app, not from a CDN
    "django_filters",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "egov.core",
    "egov.catalog",
    "egov.notifications",
    "egov.dossiers",
    "egov.pki",
    "egov.portal",
    "egov.payments",
    "egov.office",
    "egov.exchange",
    "egov.ict",
    "egov.reports",
]

MIDDLEWARE = [
    "egov.core.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "egov.core.middleware.SessionIdleRefreshMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "egov.core.middleware.SecondFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "egov.urls"
WSGI_APPLICATION = "egov.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SRC_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "egov.core.context_processors.platform",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# Embedded default: a SQLite file under var/, so that one command runs the whole platform.
# Production and CI: DATABASE_URL=postgres://... (psycopg 3).
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'egov.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    # WAL + a busy timeout let the web server, the worker and the scheduler share one file;
    # IMMEDIATE transactions make concurrent writers queue instead of failing mid-way.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": env_int("EGOV_SQLITE_TIMEOUT", 30),
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
elif env_bool("DATABASE_SERVER_SIDE_BINDING", True):
    # Parameters bound by the server let psycopg prepare the statements a connection repeats
    # (after DATABASE_PREPARE_THRESHOLD uses): PostgreSQL then skips parsing and planning them,
    # a third of its CPU per counter intake (bench/RESULTS.md). Behind PgBouncer in transaction
    # mode, use PgBouncer >= 1.21 with max_prepared_statements, or turn this off.
    DATABASES["default"]["OPTIONS"] = {
        "server_side_binding": True,
        "prepare_threshold": env_int("DATABASE_PREPARE_THRESHOLD", 5),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- People, log-in, second factor ----------------------------------------------------------
AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:login"

# Lockout after repeated failed log-ins (django-axes): by user name, whatever the address.
AXES_FAILURE_LIMIT = env_int("EGOV_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("EGOV_LOGIN_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "core/locked_out.html"
AXES_VERBOSE = False
# Locking by user name protects an account whatever address the guesses come from; the
# per-address flood is held by the log-in throttle. (axes.W006 suggests adding the address,
# which would let one guessing machine lock out a whole service centre behind one NAT.)
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# Sessions expire after a period of inactivity: SessionIdleRefreshMiddleware moves the expiry
# forward at most once a minute (saving the session on every request cost a write per page).
SESSION_COOKIE_AGE = env_int("EGOV_SESSION_IDLE_SECONDS", 30 * 60)
EGOV_SESSION_REFRESH_SECONDS = env_int("EGOV_SESSION_REFRESH_SECONDS", 60)
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

OTP_TOTP_ISSUER = env_str("EGOV_OTP_ISSUER", "egov")
# API tokens expire; a new one is issued at the next log-in.
EGOV_API_TOKEN_TTL_HOURS = env_int("EGOV_API_TOKEN_TTL_HOURS", 12)

# --- Internationalisation: Vietnamese first, English second ---------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [SRC_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["egov.formats"]

# --- Static and media files -----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
NODE_MODULES = BASE_DIR / "node_modules"
# Front-end libraries come from the npm registry (package.json) and are served by the app:
# government intranets are often closed to CDNs.
STATICFILES_DIRS = [
    SRC_DIR / "static",
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/chartjs", NODE_MODULES / "chart.js" / "dist"),
]
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
# Object storage (S3-compatible, django-storages) when EGOV_FILE_STORAGE is
# "storages.backends.s3.S3Storage"; keys from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY.
AWS_STORAGE_BUCKET_NAME = env_str("AWS_STORAGE_BUCKET_NAME")
AWS_S3_ENDPOINT_URL = env_str("AWS_S3_ENDPOINT_URL") or None
AWS_S3_REGION_NAME = env_str("AWS_S3_REGION_NAME") or None
AWS_DEFAULT_ACL = None
AWS_QUERYSTRING_AUTH = True  # files are never public: links are signed and short-lived
STORAGES = {
    "default": {
        "BACKEND": env_str("EGOV_FILE_STORAGE", "django.core.files.storage.FileSystemStorage")
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Largest request body other than files (form fields, JSON).
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("EGOV_MAX_REQUEST_BYTES", 5 * 1024 * 1024)
# Largest uploaded file, checked by the upload validators of the apps that take files.
EGOV_MAX_UPLOAD_BYTES = env_int("EGOV_MAX_UPLOAD_BYTES", 25 * 1024 * 1024)

# --- E-mail: real SMTP ------------------------------------------------------------------------
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = env_int("EMAIL_PORT", 1025)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "egov <no-reply@egov.local>")
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)  # a hung SMTP server must not block a worker

# --- SMS (brandname gateway; the default backend writes to the log) --------------------------
EGOV_SMS_BACKEND = env_str("EGOV_SMS_BACKEND", "egov.notifications.sms.LogBackend")
EGOV_SMS_URL = env_str("EGOV_SMS_URL")
EGOV_SMS_API_KEY = env_str("EGOV_SMS_API_KEY")
EGOV_SMS_BRANDNAME = env_str("EGOV_SMS_BRANDNAME")
# Operators bill a Unicode SMS per 70 characters: send Vietnamese without diacritics by default.
EGOV_SMS_ASCII = env_bool("EGOV_SMS_ASCII", True)
EGOV_SMS_TIMEOUT = env_int("EGOV_SMS_TIMEOUT", 10)
EGOV_NOTIFY_MAX_ATTEMPTS = env_int("EGOV_NOTIFY_MAX_ATTEMPTS", 5)

# --- Portal accounts: log-in with an OpenID Connect provider (empty: no button) ---------------
EGOV_OIDC_ISSUER = env_str("EGOV_OIDC_ISSUER")
EGOV_OIDC_CLIENT_ID = env_str("EGOV_OIDC_CLIENT_ID")
EGOV_OIDC_CLIENT_SECRET = env_str("EGOV_OIDC_CLIENT_SECRET")
EGOV_OIDC_SCOPES = env_str("EGOV_OIDC_SCOPES", "openid profile email phone")
EGOV_OIDC_CITIZEN_ID_CLAIM = env_str("EGOV_OIDC_CITIZEN_ID_CLAIM", "citizen_id")
EGOV_OIDC_PROVIDER_NAME = env_str("EGOV_OIDC_PROVIDER_NAME", "VNeID")
EGOV_OIDC_TIMEOUT = env_int("EGOV_OIDC_TIMEOUT", 10)
EGOV_OIDC_LEEWAY_SECONDS = env_int("EGOV_OIDC_LEEWAY_SECONDS", 60)
# Verification codes to one address: at most one per interval and a few an hour.
EGOV_ACCOUNT_CODE_INTERVAL_SECONDS = env_int("EGOV_ACCOUNT_CODE_INTERVAL_SECONDS", 60)
EGOV_ACCOUNT_CODES_PER_HOUR = env_int("EGOV_ACCOUNT_CODES_PER_HOUR", 5)

# --- Online fee payment (egov.payments; the defaults talk to the sandbox gateway) -------------
EGOV_PAYMENT_GATEWAY = env_str("EGOV_PAYMENT_GATEWAY", "vnpay")
EGOV_PAYMENT_GATEWAY_URL = env_str(
    "EGOV_PAYMENT_GATEWAY_URL", "http://127.0.0.1:8060/paymentv2/vpcpay.html"
)
EGOV_PAYMENT_API_URL = env_str(
    "EGOV_PAYMENT_API_URL", "http://127.0.0.1:8060/merchant_webapi/api/transaction"
)
EGOV_PAYMENT_TMN_CODE = env_str("EGOV_PAYMENT_TMN_CODE", "EGOVTEST")
# The sandbox's published secret; the deployment check (payments.E001) refuses it.
EGOV_PAYMENT_HASH_SECRET = env_str("EGOV_PAYMENT_HASH_SECRET", "EGOVSANDBOXSECRETNOTFORPRODUCTION")
EGOV_PAYMENT_EXPIRE_MINUTES = env_int("EGOV_PAYMENT_EXPIRE_MINUTES", 15)
EGOV_PAYMENT_RECONCILE_AFTER_MINUTES = env_int("EGOV_PAYMENT_RECONCILE_AFTER_MINUTES", 15)
EGOV_PAYMENT_TIMEOUT_SECONDS = env_int("EGOV_PAYMENT_TIMEOUT_SECONDS", 10)

# --- Cache (rate limits, sessions may use it) -----------------------------------------------
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env_str("REDIS_URL")}
        if env_str("REDIS_URL")
        else {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "egov_cache"}
    )
}

# --- Background work: the Django tasks API --------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": env_str("EGOV_TASKS_BACKEND", "egov.core.tasks.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
# Periodic jobs run by `manage.py run_scheduler` (make run) or by systemd timers/cron in
# production: (management command, interval in seconds). Each command is idempotent.
EGOV_AUDIT_ANCHOR_FILE = env_str("EGOV_AUDIT_ANCHOR_FILE", str(VAR_DIR / "audit-anchors.log"))
# The demo province (public passwords!) may be loaded only where this is on: dev and tests.
EGOV_DEMO_ALLOWED = env_bool("EGOV_DEMO_ALLOWED", DEBUG)
# Demo data loaders run in order by `manage.py load_demo`; each app appends its own.
EGOV_DEMO_LOADERS = [
    "egov.core.demo.loader.load",
    "egov.catalog.demo.loader.load",
    "egov.dossiers.demo.load",
    "egov.pki.demo.load",
    "egov.pki.demo_signing.load",
    "egov.portal.demo.load",
    "egov.office.demo.load",
    "egov.ict.demo.load",
    "egov.reports.demo.load",
]
EGOV_PERIODIC_JOBS = [
    ("check_deadlines", 300),
    ("refresh_report_summaries", 900),
    ("verify_audit", 3600),
    ("clearsessions", 6 * 3600),
    ("refresh_crls", 3600),
    ("retry_deliveries", 60),
    ("reconcile_payments", 300),
    ("send_outbox", 60),
]

# Number of reverse proxies in front of the web processes that append to X-Forwarded-For
# (nginx with proxy_add_x_forwarded_for: 1). 0 ignores the header (direct connections).
EGOV_TRUSTED_PROXY_HOPS = env_int("EGOV_TRUSTED_PROXY_HOPS", 0)
# Seconds a web process keeps answers read on almost every request (positions held today,
# the procedure version in force): the longest a change made elsewhere takes to apply there.
EGOV_LOCAL_CACHE_SECONDS = env_int("EGOV_LOCAL_CACHE_SECONDS", 30)

# --- API -------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "egov.core.api.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "egov.core.api.pagination.KeysetPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "egov.core.api.errors.exception_handler",
    # Throttles identify the client the same way as the audit trail (see client_ip).
    "NUM_PROXIES": EGOV_TRUSTED_PROXY_HOPS,
    "DEFAULT_THROTTLE_RATES": {
        "login": env_str("EGOV_LOGIN_RATE", "20/min"),
        "lookup": env_str("EGOV_LOOKUP_RATE", "30/min"),
        "signature_validation": env_str("EGOV_SIGNATURE_VALIDATION_RATE", "10/min"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "egov API",
    "DESCRIPTION": (
        "Public and back-office API of the provincial e-government platform. Errors are JSON "
        '`{"error": {"code", "message", "fields"}}` with a 4xx status.'
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # One name per choice set in the schema (several models have a "kind").
    "ENUM_NAME_OVERRIDES": {
        "AgencyKindEnum": "egov.core.models.places.AgencyKind",
        "DocumentKindEnum": "egov.catalog.models.DocumentKind",
        "StepKindEnum": "egov.catalog.models.StepKind",
        "DeliveryModeEnum": "egov.dossiers.models.ReturnMode",
        "FeeKindEnum": "egov.catalog.models.FeeKind",
        "KeyStorageEnum": "egov.pki.models.KeyStorage",
        "ServerKeyStorageEnum": ["pkcs12", "pkcs11"],
        "CertificateStatusEnum": "egov.pki.models.Certificate.Status",
        "CertificateRequestStatusEnum": "egov.pki.models.CertificateRequest.Status",
        "CertificateRequestKindEnum": "egov.pki.models.CertificateRequest.Kind",
        "CertificateAuthorityKindEnum": "egov.pki.models.CertificateAuthority.Kind",
        "HolderKindEnum": "egov.pki.models.HolderKind",
        "RevocationReasonEnum": "egov.pki.models.RevocationReason",
        "DossierStateEnum": "egov.dossiers.workflow.State",
        "OutgoingDocumentStateEnum": "egov.office.models.OutgoingDocument.State",
        "IncomingDocumentStateEnum": "egov.office.models.IncomingDocument.State",
        "IncomingDocumentSourceEnum": "egov.office.models.IncomingDocument.Source",
    },
    # Endpoints that are plain Django views (they speak XML, not JSON) but belong in the schema.
    "APPEND_PATHS": {
        "/exchange/v1/edxml": {
            "post": {
                "operationId": "exchange_edxml_receive",
                "tags": ["exchange"],
                "summary": "Receive an edXML package from a peer installation",
                "description": (
                    "A document package or a status package (QCVN 102:2016), signed with "
                    "XML-DSig by the sending agency's certificate. The answer is a signed status "
                    "package: 01 (arrived) or 02 (refused, with the reason). Sending the same "
                    "package again gives the same answer and stores nothing twice. Anything that "
                    "is not an edXML package is a 400 with the JSON error body."
                ),
                "security": [],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/xml": {
                            "schema": {"type": "string"},
                            "example": (
                                '<edXML:edXMLEnvelope xmlns:edXML="http://www.mic.gov.vn/TBT/'
                                'QCVN_102_2016"><edXML:edXMLHeader>…</edXML:edXMLHeader>'
                                "<edXML:edXMLBody>…</edXML:edXMLBody></edXML:edXMLEnvelope>"
                            ),
                        }
                    },
                },
                "responses": {
                    "200": {
                        "description": "signed status package (01 arrived, 02 refused)",
                        "content": {"application/xml": {"schema": {"type": "string"}}},
                    },
                    "400": {"description": "not a well-formed edXML package (JSON error body)"},
                },
            }
        }
    },
}

# --- Security headers -------------------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# Web log-in attempts per client address (the account lockout is per user name).
EGOV_LOGIN_RATE_PER_MINUTE = env_int("EGOV_LOGIN_RATE_PER_MINUTE", 20)
# Public dossier look-ups (web page) per client address and minute.
EGOV_LOOKUP_RATE_PER_MINUTE = env_int("EGOV_LOOKUP_RATE_PER_MINUTE", 30)

# --- Platform ---------------------------------------------------------------------------------
# Address of the platform as citizens reach it (links in e-mails, QR codes on forms).
EGOV_PUBLIC_URL = env_str("EGOV_PUBLIC_URL", "http://127.0.0.1:8000")
# Dossier code pattern (Circular 01/2018 practice; verify against Circular 03/2025).
EGOV_DOSSIER_CODE_PATTERN = env_str(
    "EGOV_DOSSIER_CODE_PATTERN", "{agency}-{date:%y%m%d}-{number:04d}"
)
# Warn assignees and leaders this many working hours before a due date.
EGOV_DEADLINE_WARNING_HOURS = env_int("EGOV_DEADLINE_WARNING_HOURS", 8)
EGOV_PROVINCE_NAME = env_str("EGOV_PROVINCE_NAME", "Đắk Nông")
# Office hours used by the working-hour clock (province may differ: set from the environment).
EGOV_WORKING_HOURS = [
    tuple(part.split("-")) for part in env_list("EGOV_WORKING_HOURS", "07:30-11:30,13:30-17:00")
]
EGOV_REQUIRE_2FA_ROLES = env_list(
    "EGOV_REQUIRE_2FA_ROLES", "unit_leader,agency_leader,agency_admin,system_admin"
)

# --- Digital signatures: the province's certificate authority (egov.pki) ----------------------
# Where new private keys are kept: "pkcs12" (encrypted files under EGOV_PKI_KEY_DIR) or
# "pkcs11" (a hardware security module). CA and service keys (OCSP, TSA) may differ from holders'.
EGOV_PKI_KEY_STORAGE = env_str("EGOV_PKI_KEY_STORAGE", "pkcs12")
EGOV_PKI_CA_KEY_STORAGE = env_str("EGOV_PKI_CA_KEY_STORAGE", EGOV_PKI_KEY_STORAGE)
EGOV_PKI_KEY_DIR = env_str("EGOV_PKI_KEY_DIR", str(VAR_DIR / "pki" / "keys"))
# Secret the PKCS#12 passphrases are derived from; empty falls back to SECRET_KEY (set it in
# production: rotating SECRET_KEY must not lock the keys away).
EGOV_PKI_KEY_SECRET = env_str("EGOV_PKI_KEY_SECRET")
EGOV_PKI_PKCS11_MODULE = env_str("EGOV_PKI_PKCS11_MODULE", "/usr/lib/softhsm/libsofthsm2.so")
EGOV_PKI_PKCS11_TOKEN = env_str("EGOV_PKI_PKCS11_TOKEN", "egov")
EGOV_PKI_PKCS11_PIN = env_str("EGOV_PKI_PKCS11_PIN")
# Names of the CAs in the public URLs (/pki/ca/<name>.crt, /pki/crl/<name>.crl).
EGOV_PKI_ROOT_CA_NAME = env_str("EGOV_PKI_ROOT_CA_NAME", "root-ca")
EGOV_PKI_ISSUING_CA_NAME = env_str("EGOV_PKI_ISSUING_CA_NAME", "issuing-ca")
EGOV_PKI_CA_KEY_SIZE = env_int("EGOV_PKI_CA_KEY_SIZE", 3072)
EGOV_PKI_KEY_SIZE = env_int("EGOV_PKI_KEY_SIZE", 2048)
EGOV_PKI_CERT_VALIDITY_DAYS = env_int("EGOV_PKI_CERT_VALIDITY_DAYS", 3 * 365)
EGOV_PKI_CRL_VALIDITY_HOURS = env_int("EGOV_PKI_CRL_VALIDITY_HOURS", 48)
EGOV_PKI_OCSP_VALIDITY_MINUTES = env_int("EGOV_PKI_OCSP_VALIDITY_MINUTES", 24 * 60)
# Example OIDs under the documentation arc of RFC 5612: replace with the province's own.
EGOV_PKI_CERT_POLICY_OID = env_str("EGOV_PKI_CERT_POLICY_OID", "1.3.6.1.4.1.32473.704.1")
EGOV_PKI_TSA_POLICY_OID = env_str("EGOV_PKI_TSA_POLICY_OID", "1.3.6.1.4.1.32473.704.2")
EGOV_PKI_TSA_ACCURACY_MS = env_int("EGOV_PKI_TSA_ACCURACY_MS", 1000)
EGOV_PKI_EXPIRY_WARNING_DAYS = env_int("EGOV_PKI_EXPIRY_WARNING_DAYS", 30)
# The public signature check (web page; the API uses the "signature_validation" throttle).
EGOV_SIGNATURE_CHECK_RATE_PER_MINUTE = env_int("EGOV_SIGNATURE_CHECK_RATE_PER_MINUTE", 10)

# --- Logging: structured JSON with the request id --------------------------------------------
LOG_LEVEL = env_str("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "egov.core.logging.RequestIdFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"levelname": "level", "name": "logger"},
            "timestamp": "time",  # ISO 8601 in UTC
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["request_id"],
        },
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # pyHanko logs a traceback for every untrusted or revoked certificate it meets; the
        # public validation page meets them all day, and reports them in its answer.
        "pyhanko.sign.validation.generic_cms": {"level": "ERROR"},
        "pyhanko_certvalidator": {"level": "ERROR"},
    },
}

# ICT inventory and the yearly ICT report: the share of storage used that raises an alert, and
# the online-filing rate below which the report names low online filing as a weak point.
EGOV_ICT_STORAGE_ALERT = env_float("EGOV_ICT_STORAGE_ALERT", 0.85)
EGOV_ICT_LOW_ONLINE_SHARE = env_float("EGOV_ICT_LOW_ONLINE_SHARE", 0.10)

# Electronic office: the place name printed before the date of a released document ("Đắk
# Nông, ngày …"; default: the province's name) and the size limit of uploaded signature and
# seal images. Field positions (EGOV_OFFICE_*_FIELD_MM) keep their Decree 30 defaults.
EGOV_OFFICE_PLACE = env_str("EGOV_OFFICE_PLACE", "")
EGOV_OFFICE_IMAGE_MAX_BYTES = env_int("EGOV_OFFICE_IMAGE_MAX_BYTES", 1024 * 1024)
# (verify) May a secret document (mật, tối mật, tuyệt mật) go to another installation through
# the edXML exchange? Not by default: the Law on Protection of State Secrets (2018) forbids
# sending state secrets over networks and means not approved for them, and edXML carries no
# secrecy mark. Turn on only where the exchange runs on an approved network with approved
# encryption. Inside one installation secret documents are delivered (and stay secret).
EGOV_OFFICE_SECRET_TO_OTHER_INSTALLATIONS = env_bool(
    "EGOV_OFFICE_SECRET_TO_OTHER_INSTALLATIONS", False
)
# Exchange: how long a peer certificate's revocation answer is kept, and how long one CRL or
# OCSP fetch may take before the package is accepted as "revocation unknown".
EGOV_EXCHANGE_REVOCATION_CACHE_SECONDS = env_int("EGOV_EXCHANGE_REVOCATION_CACHE_SECONDS", 300)
EGOV_EXCHANGE_REVOCATION_TIMEOUT_SECONDS = env_int("EGOV_EXCHANGE_REVOCATION_TIMEOUT_SECONDS", 5)
