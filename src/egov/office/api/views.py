"""The office API (read-only): outgoing and incoming documents the caller may see (the same
rules as the pages, secrecy included), one document, the status trail of an outgoing document,
and the register entries of a period. Changes go through the pages (signing needs the
signer's second factor there); a document the caller may not see is a 404, so that nobody
learns whether an id exists."""

from __future__ import annotations

import datetime as dt

import django_filters
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from egov.core import permissions as perms
from egov.core.models import Agency
from egov.core.text import fold

from .. import access, registers
from ..models import IncomingDocument, OutgoingDocument
from ..services import STATUS_LABELS
from . import serializers as s


class _TextFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="by_text", label="number, symbol or subject words (accents ignored)"
    )
    agency = django_filters.CharFilter(field_name="agency__code", label="agency code")

    def by_text(self, queryset, name, value):
        for word in fold(value).split():
            queryset = queryset.filter(search_text__contains=word)
        return queryset


class OutgoingFilter(_TextFilter):
    state = django_filters.MultipleChoiceFilter(choices=OutgoingDocument.State.choices)
    year = django_filters.NumberFilter()

    class Meta:
        model = OutgoingDocument
        fields = ["q", "agency", "state", "year"]


class IncomingFilter(_TextFilter):
    state = django_filters.MultipleChoiceFilter(choices=IncomingDocument.State.choices)
    source = django_filters.ChoiceFilter(choices=IncomingDocument.Source.choices)
    sender = django_filters.CharFilter(field_name="sender_code", label="sender agency code")
    year = django_filters.NumberFilter()

    class Meta:
        model = IncomingDocument
        fields = ["q", "agency", "state", "source", "sender", "year"]


def _visible(user, queryset, pk):
    """One document ``user`` may see, else 404 (the same query as the lists)."""
    return get_object_or_404(perms.scope(user, queryset), pk=pk)


class OutgoingListView(generics.ListAPIView):
    """Outgoing documents the caller may see (secret ones only to those who handle them), newest
    first, keyset pagination."""

    serializer_class = s.OutgoingListSerializer
    filterset_class = OutgoingFilter

    def get_queryset(self):
        return perms.scope(
            self.request.user,
            OutgoingDocument.objects.select_related("agency", "doc_type"),
        )


class OutgoingDetailView(APIView):
    @extend_schema(responses=s.OutgoingDetailSerializer)
    def get(self, request, pk):
        """One outgoing document with its files and recipients list."""
        document = _visible(
            request.user,
            OutgoingDocument.objects.select_related("agency", "doc_type", "signer"),
            pk,
        )
        return Response(s.OutgoingDetailSerializer(document).data)


class OutgoingStatusView(APIView):
    @extend_schema(responses=s.StatusTrailSerializer)
    def get(self, request, pk):
        """The status trail: the document's history (drafted … released, recalled) and, per
        recipient, the edXML statuses that came back (01 arrived … 06 completed, 13/15/16)."""
        document = _visible(request.user, OutgoingDocument.objects.all(), pk)
        history = [
            {"action": r.action, "comment": r.comment, "actor": str(r.actor or ""), "at": r.at}
            for r in document.reviews.select_related("actor")
        ]
        recipients = [
            {
                "code": r.code,
                "name": r.name,
                "kind": r.kind,
                "statuses": [
                    {
                        "code": st.code,
                        "label": str(STATUS_LABELS.get(st.code, st.code)),
                        "description": st.description,
                        "at": st.at,
                    }
                    for st in r.statuses.all()
                ],
            }
            for r in document.recipients.prefetch_related("statuses")
        ]
        body = {
            "document": document.pk,
            "number_symbol": document.number_symbol,
            "state": document.state,
            "history": history,
            "recipients": recipients,
        }
        return Response(s.StatusTrailSerializer(body).data)


class IncomingListView(generics.ListAPIView):
    """Incoming documents the caller may see (secret ones only to those who handle them),
    newest first, keyset pagination."""

    serializer_class = s.IncomingListSerializer
    filterset_class = IncomingFilter

    def get_queryset(self):
        return perms.scope(
            self.request.user,
            IncomingDocument.objects.select_related("agency", "assignee"),
        )


class IncomingDetailView(APIView):
    @extend_schema(responses=s.IncomingDetailSerializer)
    def get(self, request, pk):
        """One incoming document: its files (earlier versions marked), the signature validation
        report (with the sender certificate's revocation check) and its handling history."""
        document = _visible(
            request.user, IncomingDocument.objects.select_related("agency", "assignee"), pk
        )
        document.history = [
            {
                "action": h.action,
                "note": h.note,
                "actor": str(h.actor) if h.actor_id else None,
                "to_user": str(h.to_user) if h.to_user_id else None,
                "at": h.at,
            }
            for h in document.handlings.select_related("actor", "to_user")
        ]
        return Response(s.IncomingDetailSerializer(document).data)


class RegisterView(APIView):
    pagination_class = None

    @extend_schema(
        parameters=[
            OpenApiParameter("agency", str, description="agency code", required=True),
            OpenApiParameter("start", dt.date, description="first day (default 1 January)"),
            OpenApiParameter("end", dt.date, description="last day (default today)"),
        ],
        responses=s.RegisterEntrySerializer,
    )
    def get(self, request, kind):
        """The entries of the outgoing or incoming register (sổ văn bản đi / đến) of a period,
        in register order, as the printed register has them: every number is listed, the
        subject of a secret document is masked for a caller who may not open it."""
        if kind not in registers.REGISTERS:
            raise Http404
        agency = Agency.objects.filter(code=request.query_params.get("agency", "")).first()
        if agency is None:
            raise ValidationError({"agency": [_("Give the agency code.")]})
        if not access.holds(request.user, agency):
            raise PermissionDenied(_("You may only read your own agency's registers."))
        today = timezone.localdate()
        try:
            start = dt.date.fromisoformat(
                request.query_params.get("start") or f"{today.year}-01-01"
            )
            end = dt.date.fromisoformat(request.query_params.get("end") or today.isoformat())
        except ValueError as error:
            raise ValidationError({"start": [_("Check the dates of the period.")]}) from error
        if end < start or (end - start).days > 366:
            raise ValidationError({"end": [_("A period is at most one year.")]})
        _title, columns, rows_of = registers.REGISTERS[kind]
        rows = rows_of(agency, start, end, request.user)
        body = {
            "columns": [title for title, _width in columns],
            "rows": [[str(v) for v in row] for row in rows],
        }
        return Response(s.RegisterEntrySerializer(body).data)
