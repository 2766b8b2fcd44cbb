import pytest
from django.apps import apps

from contacts.plugins import installed


@pytest.fixture
def plugged(monkeypatch):
    """plugged("petitions", "tests.….SomePlugin"): that app names another plugin for the test
    (found by contacts.plugins.installed() as any other); all is as before afterwards."""

    def plug(app_label: str, path: str) -> None:
        monkeypatch.setattr(apps.get_app_config(app_label), "plugin", path)
        installed.cache_clear()

    yield plug
    installed.cache_clear()
