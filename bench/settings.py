"""Settings for the benchmark server: C2 Hub's own settings, plus a bench-only URLconf (which adds
a minimal baseline view) and a middleware that reports server time and query count per request.

Nothing here changes how C2 Hub behaves: the database, templates, middleware and caching are the
production ones, read from the same environment variables (DATABASE_URL, C2HUB_DATA_DIR…).
"""

from c2hub.settings import *  # noqa: F403
from c2hub.settings import MIDDLEWARE

ROOT_URLCONF = "bench.urls"
DEBUG = False
# Outermost, so that its timing covers every other middleware (sessions, auth, 2FA, CSP…).
MIDDLEWARE = ["bench.middleware.ServerTimingMiddleware", *MIDDLEWARE]
