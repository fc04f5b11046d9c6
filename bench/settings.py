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
# The one exception: the public capture page's rate limit (30 comments per client address per 10
# minutes) would answer the benchmark's hundreds of POSTs from 127.0.0.1 with 429. The limit is
# still checked on every request (a cache add and increment), so its cost is in the figures.
LISTENING_PUBLIC_RATE_LIMIT = (1_000_000, 600)
