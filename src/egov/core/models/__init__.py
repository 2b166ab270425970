"""Core models: places and agencies, people and roles, the working calendar, the audit trail."""

from .audit import AuditChainHead, AuditEvent
from .calendar import CalendarDay
from .people import Position, Role, User
from .places import AdministrativeUnit, Agency, AgencyKind, Level, UnitType

__all__ = [
    "AdministrativeUnit",
    "Agency",
    "AgencyKind",
    "AuditChainHead",
    "AuditEvent",
    "CalendarDay",
    "Level",
    "Position",
    "Role",
    "UnitType",
    "User",
]
