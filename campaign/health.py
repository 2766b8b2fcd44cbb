"""The state of each service Terrain depends on, for /healthz."""

from django.conf import settings
from django.db import connection


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
    import redis

    try:
        client = redis.Redis.from_url(
            settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1
        )
        client.ping()
    except redis.RedisError as exc:
        return {"status": "error", "error": exc.__class__.__name__}
    return {"status": "ok"}


def sms_state() -> dict:
    from actions.sms.backends import sms_backend

    return sms_backend().describe()


def health() -> tuple[bool, dict]:
    report = {"database": database_state(), "broker": broker_state(), "sms": sms_state()}
    healthy = all(part["status"] != "error" for part in report.values())
    return healthy, {"status": "ok" if healthy else "error", **report}
