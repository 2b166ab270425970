"""Keyset (cursor) pagination: pages never count the whole table and stay fast at depth."""

from rest_framework.pagination import CursorPagination


class KeysetPagination(CursorPagination):
    """Opaque ``cursor`` links, ordered by a unique key; ``page_size`` up to 200."""

    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = "-id"
