"""The `c2hub` commands that run the service: serve, check, pathways sync, demo (see cli.py)."""
