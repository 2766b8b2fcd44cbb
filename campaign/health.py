"""The state of each service Terrain depends on, for /healthz.

Anyone may ask whether Terrain is up (load balancers, docker-compose): they get the status
code and {"status": "ok"} or {"status": "unavailable"}, nothing else. The details (database
vendor, broker, SMS backend and sender) help an attacker map the installation, so they are
for staff logged in (admins and organizers) or a monitor sending HEALTHZ_TOKEN in the
X-Healthz-Token header: a token that reads only this, unlike an API token, which reads people.
"""

import hmac

import redis
from django.conf import settings
from django.db import connection
from django.http import HttpRequest

from actions.sms.backends import sms_backend

TOKEN_HEADER = "X-Healthz-Token"  # noqa: S105 (a header name, not a secret)


def database_state() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:  # any driver error means "down" here
        return {"status": "error", "vendor": connection.vendor, "error": exc.__class__.__name__}
    return {"status": "ok", "vendor": connection.vendor}


def broker_state() -> dict:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return {"status": "eager"}

    try:
        client = redis.Redis.from_url(
            settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1
        )
        client.ping()
    except redis.RedisError as exc:
        return {"status": "error", "error": exc.__class__.__name__}
    return {"status": "ok"}


def sms_state() -> dict:
    return sms_backend().describe()


def health() -> tuple[bool, dict]:
    report = {"database": database_state(), "broker": broker_state(), "sms": sms_state()}
    healthy = all(part["status"] != "error" for part in report.values())
    return healthy, {"status": "ok" if healthy else "unavailable", **report}


def details_allowed(request: HttpRequest) -> bool:
    """Staff logged in, or the monitoring token (compared in constant time)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.can_use_crm:
        return True
    token = settings.HEALTHZ_TOKEN
    sent = request.headers.get(TOKEN_HEADER, "")
    return bool(token) and hmac.compare_digest(sent.encode(), token.encode())


def health_answer(request: HttpRequest) -> tuple[int, dict]:
    """The status code and body of /healthz for this request: details only when allowed."""
    healthy, report = health()
    if not details_allowed(request):
        report = {"status": report["status"]}
    return (200 if healthy else 503), report
