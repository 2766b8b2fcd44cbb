"""Settings read the environment and refuse values they cannot read, naming the variable."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from campaign.settings import env_bool, env_int

ROOT = Path(__file__).resolve().parents[2]
SHOW_SETTINGS = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, s.SMS_BACKEND)"
)


def start_django(show: str = SHOW_SETTINGS, **env) -> subprocess.CompletedProcess:
    """Load the settings in a fresh interpreter with `env` on top of a clean default environment
    (no .env file read, whatever this checkout has); a variable set to None is left out."""
    base = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG", "SYSTEMROOT"}}
    base.update({"DJANGO_SETTINGS_MODULE": "campaign.settings", "DEBUG": "true", "ENV_FILE": ""})
    base.update(env)
    return subprocess.run(
        [sys.executable, "-c", show],
        cwd=ROOT,
        env={name: value for name, value in base.items() if value is not None},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_with_no_environment_the_embedded_defaults_apply():
    run = start_django()
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == [
        "django.db.backends.sqlite3",
        "True",
        "actions.sms.backends.LogBackend",
    ]


def test_real_services_are_used_when_their_variables_are_set():
    run = start_django(
        DATABASE_URL="postgres://u@127.0.0.1:5432/terrain",
        REDIS_URL="redis://127.0.0.1:6379/0",
        TWILIO_ACCOUNT_SID="AC" + "0" * 32,
        TWILIO_AUTH_TOKEN="secret",
        TWILIO_FROM="TERRAIN",
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == [
        "django.db.backends.postgresql",
        "False",
        "actions.sms.backends.TwilioBackend",
    ]


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"DEBUG": "maybe"}, "DEBUG"),
        ({"DEBUG": "false"}, "SECRET_KEY"),
        ({"DATABASE_URL": "mysql://root@localhost/terrain"}, "DATABASE_URL"),
        ({"REDIS_URL": "localhost:6379"}, "REDIS_URL"),
        ({"TIME_ZONE": "Mars/Olympus_Mons"}, "TIME_ZONE"),
        ({"LANGUAGE_CODE": "de"}, "LANGUAGE_CODE"),
        ({"TWILIO_ACCOUNT_SID": "AC123"}, "TWILIO_AUTH_TOKEN"),
        ({"TWILIO_ACCOUNT_SID": "AC123", "TWILIO_AUTH_TOKEN": "x"}, "TWILIO_FROM"),
        ({"DATABASE_CONN_MAX_AGE": "forever"}, "DATABASE_CONN_MAX_AGE"),
        ({"ALLOWED_HOSTS": "a.example,,b.example"}, "ALLOWED_HOSTS"),
        ({"TRUSTED_PROXY_HOPS": "0"}, "TRUSTED_PROXY_HOPS"),
        ({"TRUST_X_FORWARDED_PROTO": "sometimes"}, "TRUST_X_FORWARDED_PROTO"),
        ({"WEBHOOKS_ALLOW_PRIVATE_TARGETS": "perhaps"}, "WEBHOOKS_ALLOW_PRIVATE_TARGETS"),
        ({"DONATION_CARD_PROVIDER": "stripe"}, "DONATION_CARD_PROVIDER"),
        ({"HEALTHZ_TOKEN": "short"}, "HEALTHZ_TOKEN"),
        (
            {"DEBUG": "false", "SECRET_KEY": "x" * 50, "DONATION_CARD_PROVIDER": "fake_card"},
            "DONATION_CARD_PROVIDER",
        ),
    ],
)
def test_a_wrong_value_stops_the_start_naming_the_variable(env, named):
    run = start_django(**env)
    assert run.returncode != 0
    assert "ImproperlyConfigured" in run.stderr
    assert named in run.stderr.strip().splitlines()[-1]


@pytest.mark.parametrize(
    ("raw", "value"), [("true", True), ("FALSE", False), ("1", True), ("no", False), ("", True)]
)
def test_booleans_read_the_usual_spellings(monkeypatch, raw, value):
    monkeypatch.setenv("TERRAIN_TEST_FLAG", raw)
    assert env_bool("TERRAIN_TEST_FLAG", True) is value


def test_numbers_below_their_minimum_are_refused(monkeypatch):
    monkeypatch.setenv("TERRAIN_TEST_NUMBER", "0")
    with pytest.raises(ImproperlyConfigured, match="TERRAIN_TEST_NUMBER must be at least 1"):
        env_int("TERRAIN_TEST_NUMBER", 5, minimum=1)


def show(expression: str) -> str:
    return (
        f"import django; django.setup(); from django.conf import settings as s; print({expression})"
    )


def test_x_forwarded_proto_is_ignored_unless_a_proxy_is_said_to_set_it():
    shown = show("s.SECURE_PROXY_SSL_HEADER")
    assert start_django(shown).stdout.strip() == "None"
    trusted = start_django(shown, TRUST_X_FORWARDED_PROTO="true")
    assert trusted.stdout.strip() == "('HTTP_X_FORWARDED_PROTO', 'https')"


def test_one_trusted_proxy_and_no_private_webhook_targets_by_default():
    run = start_django(show("s.TRUSTED_PROXY_HOPS, s.WEBHOOKS_ALLOW_PRIVATE_TARGETS"))
    assert run.stdout.split() == ["1", "False"]


def test_the_fake_card_provider_is_the_default_only_with_debug():
    shown = show("repr(s.DONATION_CARD_PROVIDER)")
    assert start_django(shown).stdout.strip() == "'fake_card'"
    production = start_django(shown, DEBUG="false", SECRET_KEY="x" * 50)
    assert production.stdout.strip() == "''", production.stderr


def write_env_file(directory: Path) -> Path:
    """The .env `make run` writes, made by the Makefile's own rule in `directory`."""
    directory.mkdir(exist_ok=True)
    subprocess.run(
        ["make", "--no-print-directory", "-s", "-f", str(ROOT / "Makefile"), "-C", str(directory)]
        + [".env"],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return directory / ".env"


SHOW_DEBUG_AND_KEY = show("s.DEBUG, s.SECRET_KEY")


def test_make_run_writes_a_local_env_file_with_debug_and_a_random_key(tmp_path):
    first, second = write_env_file(tmp_path / "a"), write_env_file(tmp_path / "b")
    for env_file in (first, second):
        run = start_django(SHOW_DEBUG_AND_KEY, DEBUG=None, ENV_FILE=str(env_file))
        assert run.returncode == 0, run.stderr
        debug, key = run.stdout.split()
        assert debug == "True"
        assert len(key) >= 50
        assert f"SECRET_KEY={key}" in env_file.read_text()
    assert first.read_text() != second.read_text()


def test_manage_py_commands_run_in_a_checkout_with_its_env_file(tmp_path):
    env_file = write_env_file(tmp_path)
    run = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], "ENV_FILE": str(env_file)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr


def test_the_environment_wins_over_the_env_file(tmp_path):
    env_file = write_env_file(tmp_path)
    run = start_django(
        SHOW_DEBUG_AND_KEY, DEBUG="false", SECRET_KEY="k" * 50, ENV_FILE=str(env_file)
    )
    assert run.stdout.split() == ["False", "k" * 50], run.stderr


def test_the_env_file_read_is_the_one_make_run_writes_at_the_root():
    run = start_django(show("s.ENV_FILE"), ENV_FILE=None)
    assert run.stdout.strip() == str(ROOT / ".env"), run.stderr


def test_without_an_env_file_production_stays_strict():
    run = start_django(SHOW_DEBUG_AND_KEY, DEBUG=None, ENV_FILE="")
    assert run.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is false" in run.stderr


def test_an_env_file_named_and_missing_stops_the_start(tmp_path):
    run = start_django(ENV_FILE=str(tmp_path / "missing.env"))
    assert run.returncode != 0
    assert "ENV_FILE names no file" in run.stderr


def test_the_env_file_is_never_committed_nor_copied_into_the_image():
    ignored = subprocess.run(
        ["git", "check-ignore", "-q", ".env"],  # noqa: S607 (git from PATH, as developers run it)
        cwd=ROOT,
        timeout=30,
    )
    assert ignored.returncode == 0
    assert ".env" in (ROOT / ".dockerignore").read_text().split()


@pytest.mark.parametrize("target", ["install", "test", "typecheck", "lint", "serve", "worker"])
def test_only_make_run_writes_the_env_file(target):
    """CI (make install, test, typecheck) and production (serve, worker) never get one."""

    def plan(of: str) -> str:
        return subprocess.run(
            ["make", "--no-print-directory", "-n", "-B", of],  # noqa: S607 (make from PATH)
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        ).stdout

    assert "> .env" in plan("run")
    assert "> .env" not in plan(target)
