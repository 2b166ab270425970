"""Refusing a page: the officials-only decorator and the 403 page the apps share."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _


def forbidden(request, message: str):
    """The 403 page with the reason, in the site's layout."""
    return render(request, "forbidden.html", {"message": message}, status=403)


def staff_required(view):
    """Log-in required, and the page is for officials (not citizens or businesses)."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.kind != request.user.Kind.STAFF:
            return forbidden(request, _("This page is for officials."))
        return view(request, *args, **kwargs)

    return wrapper
