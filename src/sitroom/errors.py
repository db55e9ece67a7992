"""sitroom's exceptions.

Every error sitroom raises on purpose derives from :class:`SitroomError` and carries a
short ``code`` (stable, machine-readable: it is stored with rejections and returned in
API problem documents) and a message that names the item and says what to do.
The edges translate them once: the CLI to a one-line message and an exit status,
the API to ``application/problem+json``.

SitroomError
├── ConfigError            bad setting, file or flag (CLI exit 2)
├── SourceError            a source argument cannot be expanded (missing path, bad scheme)
├── InputError             one input item cannot become an article; stored as a rejection
│   ├── FetchError         network: unreachable, timeout, too large, bad content type, blocked address
│   │   └── ServerBusy     the server answered 429 or 503 (``retry_after``: its Retry-After, seconds)
│   ├── DecodeError        binary data, undecodable bytes, truncated gzip, malformed JSON line
│   └── ExtractionError    no article text in the page (empty, boilerplate only)
├── StoreError             the store cannot be opened, migrated or written
│   └── StoreOpenError     bad store URL, store unreachable, or no store where a read expects one (CLI exit 2)
├── WatchError             a watch cannot be added, found or removed (bad spec, name taken or unknown)
├── FilterError            an event filter value means nothing (unknown type, bad box or date ...): API 422, CLI exit 2
├── ReviewError            a review action cannot be applied (no reason, bad value): API 422, CLI exit 1
│   └── EventNotFound      no event with that id: API 404
└── EvalError              an evaluation data folder is missing or not in the expected layout
"""

from __future__ import annotations


class SitroomError(Exception):
    """Base class. ``code`` is a stable short identifier of the failure kind."""

    code = "error"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else self.code


class ConfigError(SitroomError):
    code = "config"


class SourceError(SitroomError):
    code = "source"


class InputError(SitroomError):
    code = "input"


class FetchError(InputError):
    code = "fetch"


class ServerBusy(FetchError):
    """429 Too Many Requests or 503: ``retry_after`` is the wait the server asked for, if any."""

    code = "fetch-busy"

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class DecodeError(InputError):
    code = "decode"


class ExtractionError(InputError):
    code = "no-article"


class StoreError(SitroomError):
    code = "store"


class StoreOpenError(StoreError):
    code = "store-open"


class EvalError(SitroomError):
    code = "eval"


class WatchError(SitroomError):
    code = "watch"


class ReviewError(SitroomError):
    """A review action that cannot be applied: no reason given, an unknown field or value."""

    code = "review"


class EventNotFound(ReviewError):
    code = "no-event"


class FilterError(SitroomError):
    """A value of the event filter (``name``: the filter's field) that means nothing; ``detail``
    says why and lists the valid values where there are few."""

    code = "filter"

    def __init__(self, name: str, detail: str) -> None:
        super().__init__(f"{name}: {detail}")
        self.name = name
        self.detail = detail


# Longest exception message quoted in a rejection's reason.
FAILURE_CHARS = 200


def describe_failure(exc: BaseException) -> str:
    """An unexpected exception in one line: its class and the first line of its message, cut
    to :data:`FAILURE_CHARS` (spaCy's messages run to paragraphs)."""
    lines = str(exc).strip().splitlines()
    message = lines[0] if lines else ""
    if len(message) > FAILURE_CHARS:
        message = message[: FAILURE_CHARS - 3] + "..."
    return f"{exc.__class__.__name__}: {message}" if message else exc.__class__.__name__
