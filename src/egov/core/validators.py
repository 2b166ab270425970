"""Validators for Vietnamese identifiers, with messages a person can act on."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

AGENCY_CODE_RE = re.compile(r"^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}$")
ADMIN_UNIT_CODE_RE = re.compile(r"^(\d{2}|\d{3}|\d{5})$")
CITIZEN_ID_RE = re.compile(r"^\d{12}$")

# Province/centrally-run city codes used as the first three digits of a 12-digit citizen ID
# (Circular 07/2016/TT-BCA, amended by 59/2021): the 63 pre-2025 codes.
CITIZEN_ID_PLACE_CODES = frozenset(
    (
        "001",
        "002",
        "004",
        "006",
        "008",
        "010",
        "011",
        "012",
        "014",
        "015",
        "017",
        "019",
        "020",
        "022",
        "024",
        "025",
        "026",
        "027",
        "030",
        "031",
        "033",
        "034",
        "035",
        "036",
        "037",
        "038",
        "040",
        "042",
        "044",
        "045",
        "046",
        "048",
        "049",
        "051",
        "052",
        "054",
        "056",
        "058",
        "060",
        "062",
        "064",
        "066",
        "067",
        "068",
        "070",
        "072",
        "074",
        "075",
        "077",
        "079",
        "080",
        "082",
        "083",
        "084",
        "086",
        "087",
        "089",
        "091",
        "092",
        "093",
        "094",
        "095",
        "096",
    )
)


def validate_agency_code(value: str) -> None:
    """QCVN 102:2016 agency identifier ``XXX.YY.ZZ.Lnn`` (e.g. ``000.00.00.H16``)."""
    if not AGENCY_CODE_RE.match(value or ""):
        raise ValidationError(
            _(
                "“%(value)s” is not a valid agency code: the form is XXX.YY.ZZ.Lnn, "
                "for example 000.00.00.H16."
            ),
            code="invalid_agency_code",
            params={"value": value},
        )


def validate_admin_unit_code(value: str) -> None:
    """General Statistics Office code: 2 digits (province), 3 (district) or 5 (commune)."""
    if not ADMIN_UNIT_CODE_RE.match(value or ""):
        raise ValidationError(
            _(
                "“%(value)s” is not a valid administrative unit code: use 2 digits for a "
                "province, 3 for a district, 5 for a commune."
            ),
            code="invalid_admin_unit_code",
            params={"value": value},
        )


def validate_citizen_id(value: str) -> None:
    """12-digit citizen identity number (CCCD / số định danh cá nhân).

    Digits 1–3: place of birth registration; digit 4: sex and century of birth; digits 5–6:
    year of birth; digits 7–12: a random number.
    """
    if not CITIZEN_ID_RE.match(value or ""):
        raise ValidationError(
            _("The citizen ID number must have exactly 12 digits."), code="invalid_citizen_id"
        )
    if value[:3] not in CITIZEN_ID_PLACE_CODES:
        raise ValidationError(
            _("The first three digits of the citizen ID (%(place)s) are not a province code."),
            code="invalid_citizen_id_place",
            params={"place": value[:3]},
        )
