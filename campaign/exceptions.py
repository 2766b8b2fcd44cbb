"""One error type for domain rules a person broke; interfaces turn it into a clear message."""


class ApplicationError(Exception):
    def __init__(self, message: str, *, field: str | None = None, extra: dict | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.extra = extra or {}
