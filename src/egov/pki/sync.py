"""Calling pyHanko's synchronous API from any thread.

pyHanko's blocking functions (``PdfSigner.sign_pdf``, ``validate_pdf_signature``…) run their
coroutines with ``asyncio.run``, which refuses to start when the calling thread already runs an
event loop: an async view, a worker built on asyncio, or a test session driving a browser with
Playwright's synchronous API. ``outside_event_loop`` runs such a call directly when no loop is
running, and otherwise in a short-lived thread of its own, where ``asyncio.run`` may start one.
"""

from __future__ import annotations

import asyncio
import contextvars
from concurrent.futures import ThreadPoolExecutor


def _loop_running() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def outside_event_loop(function, /, *args, **kwargs):
    """``function(*args, **kwargs)``, run where ``asyncio.run`` is allowed (same result, same
    exceptions). The request context (request id, audit actor) travels with the call."""
    if not _loop_running():
        return function(*args, **kwargs)
    context = contextvars.copy_context()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="pyhanko") as pool:
        return pool.submit(context.run, function, *args, **kwargs).result()


def run_coroutine(coroutine_function, /, *args, **kwargs):
    """Run ``coroutine_function(*args, **kwargs)`` to completion from synchronous code."""
    return outside_event_loop(lambda: asyncio.run(coroutine_function(*args, **kwargs)))
