"""Settings of the app processes a test starts itself (gunicorn): production's, with
static files served unhashed as in the test process, since tests run no collectstatic, and
the tests' fast password hasher (the users they log in as were made in the test process)."""

from campaign.settings import *  # noqa: F403

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
