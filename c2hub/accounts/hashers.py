"""Argon2id with OWASP's recommended parameters (19 MiB memory, 2 passes, 1 lane).

Django's defaults (100 MiB, 8 lanes) take about a second per sign-in on a two-core server, which
is slow for users and an easy way to exhaust the server; OWASP's password storage cheat sheet
gives m=19 MiB, t=2, p=1 as the minimum for Argon2id, about 165 ms here. The algorithm name stays
"argon2", so hashes made with other parameters still verify and are upgraded at the next sign-in.
"""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher


class C2Argon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 19 * 1024
    parallelism = 1
