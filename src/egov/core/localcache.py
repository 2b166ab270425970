"""Answers kept in the web process for a few seconds.

Some reads are asked on nearly every request and change rarely: the positions an official
holds today, the procedure version in force. Reading them once per process and per short
while, instead of once per request, saves a query and its model building on every intake.

Changes made in this process empty the caches at once (signal receivers below); other
processes see a change within ``EGOV_LOCAL_CACHE_SECONDS`` (30 s by default). That bound is
what a withdrawn role or a newly published procedure version may take to apply everywhere.
"""

from __future__ import annotations

import threading
import time

from django.conf import settings


class ProcessCache:
    """key → value for at most ``seconds``, in this process only."""

    caches: list[ProcessCache] = []

    def __init__(self, name: str):
        self.name = name
        self._data: dict = {}
        self._lock = threading.Lock()
        ProcessCache.caches.append(self)

    def get(self, key, compute):
        """The cached value of ``key``, computed by ``compute()`` when missing or too old."""
        now = time.monotonic()
        found = self._data.get(key)
        if found is not None and found[0] > now:
            return found[1]
        value = compute()
        seconds = getattr(settings, "EGOV_LOCAL_CACHE_SECONDS", 30)
        if seconds > 0:
            with self._lock:
                if len(self._data) > 10_000:  # a bound, not an eviction policy: rare
                    self._data.clear()
                self._data[key] = (now + seconds, value)
        return value

    def clear(self) -> None:
        with self._lock:
            self._data.clear()

    @classmethod
    def clear_all(cls) -> None:
        for cache in cls.caches:
            cache.clear()
