"""One error type for domain rules a person broke; interfaces turn it into a clear message."""

from django.db.utils import InterfaceError, OperationalError
from kombu.exceptions import OperationalError as BrokerError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError


class ApplicationError(Exception):
    def __init__(self, message: str, *, field: str | None = None, extra: dict | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.extra = extra or {}


def service_outage(error: BaseException | None) -> bool:
    """True when `error` (or what caused it) says PostgreSQL or Redis cannot be reached: a
    restart or an outage, to be answered "try again in a moment", not as a bug."""
    outages = (
        OperationalError,
        InterfaceError,
        BrokerError,
        RedisConnectionError,
        RedisTimeoutError,
    )
    seen = 0
    while error is not None and seen < 10:
        if isinstance(error, outages):
            return True
        error = error.__cause__ or error.__context__
        seen += 1
    return False
