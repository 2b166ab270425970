"""Officer workspace pages (counter intake, inbox, dossier page, leader overview)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def inbox(request):
    return render(request, "dossiers/inbox.html", {})
