"""The `c2hub` command: C2 Hub's own commands over Django's management commands.

    c2hub serve [--port N]        serve C2 Hub (gunicorn) at http://127.0.0.1:8000
    c2hub demo                    load the demo programme (idempotent) and print the demo logins
    c2hub worker                  run background tasks
    c2hub check                   check the configuration and the pathway model files
    c2hub token create --user E   print a new API token for a user (on the last line)
    c2hub user create …           create a user and give them a role
    c2hub pathways sync           load the pathway model files into the database
    c2hub import police|imd|population|lookup|indicator PATH…   import public data into the area store
    c2hub indicators --lsoa CODE[,CODE…] | --site SLUG --json   a neighbourhood's indicators
    c2hub evaluate synthetic-control|did …   evaluation methods on a panel CSV
    c2hub report board --site SLUG --as-of YYYY-MM-DD --format docx|pdf --out FILE   a board report
Any other Django management command works too (e.g. `c2hub migrate`).
"""

from __future__ import annotations

import os
import sys

ALIASES = {
    "worker": "db_worker",
    "check": "c2hub_check",
    "import": "areas_import",
    "indicators": "areas_indicators",
}


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "c2hub.settings")
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help", "help"}:
        print(__doc__)
        return
    args[0] = ALIASES.get(args[0], args[0])
    from django.core.management import execute_from_command_line

    execute_from_command_line(["c2hub", *args])


if __name__ == "__main__":
    main()
