"""Read-side helpers of the catalogue shared by the officials' pages and the public portal."""

from django.db.models import Q, QuerySet

from egov.core.models import Level
from egov.core.text import fold

from .models import OnlineMode, ProcedureVersion, VersionStatus


def in_force() -> QuerySet:
    """Published procedure versions valid today."""
    return ProcedureVersion.objects.filter(status=VersionStatus.PUBLISHED).valid_on()


def search_in_force(
    query: str = "",
    *,
    level: str = "",
    field: str = "",
    online_mode: str = "",
    agency: str = "",
) -> QuerySet:
    """Versions in force matching every word of ``query`` without regard to accents or case
    (code, name, field), and the filters given; unknown filter values are ignored.

    ``agency`` is an agency id: the procedures it decides or where it receives dossiers.
    """
    versions = in_force().select_related("procedure", "field", "competent_agency")
    for word in fold(query).split():
        versions = versions.filter(search_text__contains=word)
    if level in Level.values:
        versions = versions.filter(level=level)
    if str(field).isdigit():
        versions = versions.filter(field_id=int(field))
    if online_mode in OnlineMode.values:
        versions = versions.filter(online_mode=online_mode)
    if str(agency).isdigit():
        agency_id = int(agency)
        versions = versions.filter(
            Q(competent_agency_id=agency_id) | Q(receiving_places__id=agency_id)
        ).distinct()
    return versions
