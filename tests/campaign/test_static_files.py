"""Production without collected static files refuses to start, saying what to run, instead of
answering a 500 on every page; `make serve` collects them before it starts gunicorn."""

import json
import runpy
import subprocess
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

ROOT = Path(__file__).resolve().parents[2]
OURS = sorted(
    path.relative_to(ROOT / "static").as_posix()
    for path in (ROOT / "static").rglob("*")
    if path.is_file()
)


@pytest.fixture
def production_static(settings, tmp_path):
    """Production's storage (hashed names from collectstatic's manifest) on an empty root."""
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    return tmp_path


def write_manifest(static_root: Path, names: list[str]) -> None:
    paths = {name: name for name in names}
    manifest = {"paths": paths, "version": "1.1", "hash": "test"}
    (static_root / "staticfiles.json").write_text(json.dumps(manifest))


def start_serving() -> None:
    """What a WSGI server does first: load campaign/wsgi.py."""
    runpy.run_path(str(ROOT / "campaign" / "wsgi.py"))


def test_the_server_refuses_to_start_when_static_files_were_never_collected(production_static):
    with pytest.raises(ImproperlyConfigured, match="Static files are not collected") as refused:
        start_serving()
    assert "manage.py collectstatic --noinput" in str(refused.value)


def test_the_server_refuses_to_start_on_files_collected_before_a_file_of_ours(production_static):
    write_manifest(production_static, [name for name in OURS if name != "css/app.css"])
    with pytest.raises(ImproperlyConfigured, match="collected before css/app.css existed"):
        start_serving()


def test_the_server_starts_once_static_files_are_collected(production_static):
    write_manifest(production_static, OURS)
    start_serving()


def test_the_server_starts_in_development_where_files_keep_their_names(settings):
    settings.STATIC_ROOT = "/nonexistent"
    start_serving()


def test_make_serve_collects_static_files_and_migrates_before_starting_gunicorn():
    plan = subprocess.run(
        ["make", "--no-print-directory", "-n", "serve"],  # noqa: S607 (make from PATH)
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    steps = ["manage.py collectstatic", "manage.py migrate", "gunicorn campaign.wsgi"]
    lines = [next(line for line in plan.splitlines() if step in line) for step in steps]
    assert [plan.index(line) for line in lines] == sorted(plan.index(line) for line in lines)
    # Production settings whatever this checkout's .env says, unless DEBUG is set.
    assert all(line.startswith("DEBUG=${DEBUG:-false} ") for line in lines)
