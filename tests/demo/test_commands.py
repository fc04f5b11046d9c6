"""The c2hub commands: demo into an empty database, check, pathways sync, serve, worker."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command, get_commands
from django.core.management.base import CommandError

from c2hub import cli
from c2hub.operations.management.commands import serve
from tests.factories import make_site

pytestmark = pytest.mark.django_db
REPO_PATHWAYS = Path(settings.BASE_DIR) / "pathways"


@pytest.fixture(autouse=True)
def _fast_hashers(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def pathways_dir(settings, tmp_path):
    """A copy of the repository's pathway files that a test may break."""
    directory = tmp_path / "pathways"
    shutil.copytree(REPO_PATHWAYS, directory)
    settings.PATHWAYS_DIR = directory
    return directory


def test_the_demo_command_loads_an_empty_database(capsys):
    call_command("demo", port=8123)
    out = capsys.readouterr().out
    assert "5 sites" in out and "new records" in out
    assert "http://127.0.0.1:8123/" in out


def test_check_passes_on_the_repository(capsys):
    call_command("c2hub_check")
    out = capsys.readouterr().out
    assert "c2-seven-steps-v1.yaml: c2-seven-steps version 1.0, 7 steps" in out
    assert "C2 Hub is ready." in out


def test_check_fails_on_a_broken_pathways_directory(pathways_dir, capsys):
    (pathways_dir / "c2-seven-steps-v2.yaml").write_text("key: c2\nversion: '3'\nsteps: [\n")
    with pytest.raises(CommandError, match="1 problem"):
        call_command("c2hub_check")
    assert "c2-seven-steps-v2.yaml line" in capsys.readouterr().err


def test_check_fails_on_a_missing_pathways_directory(settings, tmp_path, capsys):
    settings.PATHWAYS_DIR = tmp_path / "nowhere"
    with pytest.raises(CommandError):
        call_command("c2hub_check")
    assert "no such directory" in capsys.readouterr().err


def test_check_fails_when_a_version_in_use_has_changed(pathways_dir, capsys):
    call_command("pathways", "sync")
    make_site(version="1.0")
    v1 = pathways_dir / "c2-seven-steps-v1.yaml"
    v1.write_text(v1.read_text().replace("within 10 days", "within 14 days"))
    with pytest.raises(CommandError):
        call_command("c2hub_check")
    err = capsys.readouterr().err
    assert "followed by 1 site(s)" in err and "new version" in err


def test_pathways_sync_says_what_it_created_updated_and_left_unchanged(pathways_dir, capsys):
    call_command("pathways", "sync")
    assert "Created: c2-seven-steps 1.0, c2-seven-steps 2.0" in capsys.readouterr().out
    v2 = pathways_dir / "c2-seven-steps-v2.yaml"
    v2.write_text(v2.read_text().replace("a week later", "seven days later"))
    call_command("pathways", "sync")
    out = capsys.readouterr().out
    assert "Created: none" in out
    assert "Updated: c2-seven-steps 2.0" in out
    assert "Unchanged: c2-seven-steps 1.0" in out


def test_pathways_sync_refuses_a_changed_version_in_use(pathways_dir):
    call_command("pathways", "sync")
    make_site(version="2.0")
    v2 = pathways_dir / "c2-seven-steps-v2.yaml"
    v2.write_text(v2.read_text().replace("a week later", "seven days later"))
    with pytest.raises(CommandError, match="Nothing was loaded.*new version number"):
        call_command("pathways", "sync")


def test_serve_collects_static_files_once_then_runs_gunicorn(settings, tmp_path, monkeypatch):
    settings.STATIC_ROOT = tmp_path / "static"
    executed: list[list[str]] = []
    monkeypatch.setattr(serve.os, "execv", lambda path, argv: executed.append(argv))
    assert serve.static_files_changed(settings.STATIC_ROOT)
    call_command("serve", port=8124, workers=3)
    assert (settings.STATIC_ROOT / serve.STAMP_NAME).exists()
    assert not serve.static_files_changed(settings.STATIC_ROOT)
    argv = executed[0]
    assert argv[1:4] == ["-m", "gunicorn", "c2hub.wsgi:application"]
    assert argv[argv.index("--bind") + 1] == "127.0.0.1:8124"
    assert argv[argv.index("--workers") + 1] == "3"


def test_serve_takes_its_port_from_the_environment(monkeypatch):
    monkeypatch.setenv("PORT", "8125")
    parser = serve.Command().create_parser("c2hub", "serve")
    assert parser.parse_args([]).port == 8125
    assert parser.parse_args([]).host == "127.0.0.1"


def test_the_c2hub_command_aliases_check_and_worker():
    assert cli.ALIASES["worker"] == "db_worker" and cli.ALIASES["check"] == "c2hub_check"
    commands = get_commands()
    for name in ("db_worker", "c2hub_check", "serve", "demo", "pathways"):
        assert name in commands
