"""API tokens that expire (``Authorization: Token <key>``)."""

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token


def token_expired(token) -> bool:
    ttl = dt.timedelta(hours=settings.EGOV_API_TOKEN_TTL_HOURS)
    return token.created < timezone.now() - ttl


_lookup_sql: str | None = None


def _token_lookup_sql() -> str:
    """``SELECT token.created, user.* … WHERE token.key = %s``, built once per process: every
    API request runs it, and building it through the ORM cost more than running it."""
    global _lookup_sql
    if _lookup_sql is None:
        user_model, quote = get_user_model(), connection.ops.quote_name
        token_table, user_table = Token._meta.db_table, user_model._meta.db_table
        columns = ", ".join(f"u.{quote(f.column)}" for f in user_model._meta.concrete_fields)
        _lookup_sql = (
            f"SELECT t.{quote('created')}, {columns} FROM {quote(token_table)} t "  # noqa: S608
            f"JOIN {quote(user_table)} u ON u.{quote(user_model._meta.pk.column)} = "
            f"t.{quote(Token._meta.get_field('user').column)} WHERE t.{quote('key')} = %s"
        )
    return _lookup_sql


def find_token(key: str) -> Token | None:
    """The token with ``key`` and its user (already attached), or None."""
    with connection.cursor() as cursor:
        cursor.execute(_token_lookup_sql(), [key])
        row = cursor.fetchone()
    if row is None:
        return None
    user_model = get_user_model()
    names = [f.attname for f in user_model._meta.concrete_fields]
    created = _converted([Token._meta.get_field("created")], row[:1])[0]
    user = user_model.from_db(
        connection.alias, names, _converted(user_model._meta.concrete_fields, row[1:])
    )
    token = Token(key=key, user_id=user.pk, created=created)
    token._state.adding, token._state.db = False, connection.alias
    token.user = user
    return token


def _converted(fields, values) -> list:
    """Column values as the fields hold them, through the converters Django's compiler would
    apply (SQLite, for one, returns dates and times as text)."""
    out = []
    for field, value in zip(fields, values, strict=True):
        column = field.get_col(field.model._meta.db_table)
        for converter in connection.ops.get_db_converters(column) + column.get_db_converters(
            connection
        ):
            value = converter(value, column, connection)
        out.append(value)
    return out


class ExpiringTokenAuthentication(TokenAuthentication):
    """DRF token authentication that refuses tokens older than ``EGOV_API_TOKEN_TTL_HOURS``."""

    def authenticate_credentials(self, key):
        token = find_token(key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        if token_expired(token):
            raise exceptions.AuthenticationFailed(_("The token has expired; log in again."))
        return token.user, token
