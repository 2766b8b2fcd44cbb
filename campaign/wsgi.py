import os

from django.core.wsgi import get_wsgi_application

from campaign.checks import static_files_collected

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "campaign.settings")
application = get_wsgi_application()
# Production without collected static files would answer a 500 on every page: the server
# (gunicorn, runserver with DEBUG=false) refuses to start instead, saying what to run.
static_files_collected()
