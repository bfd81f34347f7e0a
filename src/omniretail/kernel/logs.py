"""Structured JSON logs with the request id on every line, and secrets kept out of them."""

from __future__ import annotations

import logging
import re
import sys
from contextvars import ContextVar
from typing import Any

from pythonjsonlogger.json import JsonFormatter

request_id: ContextVar[str | None] = ContextVar("request_id", default=None)

_SECRET_KEYS = re.compile(r"pass(word)?|secret|token|authorization|cookie|csrf", re.IGNORECASE)
_BEARER = re.compile(r"(ort|ors|orc)_[A-Za-z0-9_\-]{20,}")
REDACTED = "[redacted]"


def redact(value: Any) -> Any:
    """Mask token-looking strings; mask whole values stored under secret-sounding keys."""
    if isinstance(value, str):
        return _BEARER.sub(REDACTED, value)
    if isinstance(value, dict):
        return {k: REDACTED if _SECRET_KEYS.search(str(k)) else redact(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [redact(v) for v in value]
    return value


_STANDARD = set(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {"message", "asctime"}


class ContextFilter(logging.Filter):
    """Adds the request id and scrubs secrets from the message and every extra field."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if record.args:
            record.args = tuple(redact(a) for a in record.args) if isinstance(record.args, tuple) else record.args
        for key in list(record.__dict__):
            if key not in _STANDARD and key != "request_id":
                value = record.__dict__[key]
                record.__dict__[key] = REDACTED if _SECRET_KEYS.search(key) else redact(value)
        return True


def configure(*, json_lines: bool = True, level: int = logging.INFO) -> None:
    """Route every logger (ours, uvicorn's, SQLAlchemy's) through one handler on stderr."""
    handler = logging.StreamHandler(sys.stderr)
    if json_lines:
        handler.setFormatter(JsonFormatter("%(asctime)s %(levelname)s %(name)s %(message)s",
                                           rename_fields={"levelname": "level", "name": "logger"}))
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    handler.addFilter(ContextFilter())
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logging.getLogger(name).handlers = []
        logging.getLogger(name).propagate = True
    logging.getLogger("uvicorn.access").setLevel(logging.WARNING)
