"""A fixed-window rate limit kept in the shared cache (database or Redis), for web views.

The API uses DRF throttles; pages that anyone can hit (log-in, public look-up) use this, so
every web process counts against the same limit.
"""

import time
from functools import wraps

from django.core.cache import cache
from django.shortcuts import render

from .middleware import client_ip


def hit(key: str, limit: int, window_seconds: int = 60) -> bool:
    """Count one attempt under ``key``; False once ``limit`` attempts fall in the window."""
    bucket = f"ratelimit:{key}:{int(time.time() // window_seconds)}"
    if cache.add(bucket, 1, timeout=window_seconds + 5):
        return True
    try:
        count = cache.incr(bucket)
    except ValueError:  # the bucket expired between add and incr
        cache.add(bucket, 1, timeout=window_seconds + 5)
        return True
    return count <= limit


def limit_posts_per_address(scope: str, limit_setting: str):
    """Decorator: refuse POSTs from one address beyond ``settings.<limit_setting>`` a minute."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            from django.conf import settings

            if request.method == "POST":
                limit = getattr(settings, limit_setting)
                if not hit(f"{scope}:{client_ip(request)}", limit):
                    return render(request, "core/rate_limited.html", status=429)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
