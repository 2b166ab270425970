"""Logging helpers: every record carries the request id of the request that produced it."""

import logging

from .requestcontext import current_request_context


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_context().request_id or "-"
        return True
