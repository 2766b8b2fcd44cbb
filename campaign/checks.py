"""What Terrain checks as it starts serving (campaign/wsgi.py), beyond Django's system checks.

Not a system check: those run before every manage.py command, collectstatic and the deploy
check included, which come before any collection; only serving needs the collected files.
"""

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.storage import ManifestFilesMixin
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import storages

COLLECT = "run `python manage.py collectstatic --noinput` before starting (`make serve` does)"


def static_files_collected() -> None:
    """Production links static files by the hashed names collectstatic records in its manifest:
    without one, or with one older than a file of ours, every page fails with a 500 ("The file
    'css/app.css' could not be found"). Refuse to start instead, saying what to run."""
    storage = storages["staticfiles"]
    if not isinstance(storage, ManifestFilesMixin):
        return  # DEBUG: files are served from the apps under their own names
    if storage.read_manifest() is None:
        manifest = Path(settings.STATIC_ROOT) / storage.manifest_name
        raise ImproperlyConfigured(
            f"Static files are not collected ({manifest} is missing): {COLLECT}"
        )
    ours = Path(settings.BASE_DIR) / "static"
    for path in sorted(ours.rglob("*")):
        name = path.relative_to(ours).as_posix()
        if path.is_file() and not path.name.startswith(".") and name not in storage.hashed_files:
            raise ImproperlyConfigured(
                f"Static files were collected before {name} existed: {COLLECT}"
            )
