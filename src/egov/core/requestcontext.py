"""Per-request context (request id, client address, user) visible to logs and the audit trail."""

import contextvars
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    request_id: str = ""
    ip: str | None = None
    request: object | None = None

    @property
    def user(self):
        """The authenticated user of the request, read late (authentication runs after us)."""
        return getattr(self.request, "user", None)


_NO_REQUEST = RequestContext()
_context: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar(
    "egov_request_context", default=None
)


def current_request_context() -> RequestContext:
    """The context of the request being served, or an empty one (commands, workers)."""
    return _context.get() or _NO_REQUEST


def set_request_context(ctx: RequestContext) -> contextvars.Token:
    return _context.set(ctx)


def reset_request_context(token: contextvars.Token) -> None:
    _context.reset(token)
