"""Settings of the app processes a test starts itself (gunicorn): production's, with
static files served unhashed as in the test process, since tests run no collectstatic."""

from campaign.settings import *  # noqa: F403

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
