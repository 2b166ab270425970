"""Catalogue pages for staff and administrators."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def procedure_list(request):
    return render(request, "catalog/list.html", {})
