"""Fees and charges (phí, lệ phí) of a procedure: one amount, or a table of amounts by case.

A fee "by table" lists the cases the law distinguishes, each with its amount in whole đồng and
what it is counted per, e.g. the construction permit::

    [{"condition": "Nhà ở riêng lẻ", "amount": 75000, "unit": "đồng/giấy phép"},
     {"condition": "Công trình khác", "amount": 150000, "unit": "đồng/giấy phép"}]

The same list is stored on :class:`~egov.catalog.models.Fee` (``rows``), written in the
catalogue exchange format (JSON, and one line per case in the XLSX sheet of fees) and shown by
the API. This module holds the rules for reading and showing it; it imports no model.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from egov.core.text import fold, normalize_text

CONDITION_MAX_LENGTH = 300
UNIT_MAX_LENGTH = 50
KIND_FEE, KIND_CHARGE = "fee", "charge"
KINDS = ("", KIND_FEE, KIND_CHARGE)


def format_vnd(amount: int | None) -> str:
    """An amount of đồng as written in Vietnam: 75000 → “75.000 đ”."""
    return f"{int(amount or 0):,}".replace(",", ".") + " đ"


def amount_with_unit(amount: int | None, unit: str = "") -> str:
    """“75.000 đồng/giấy phép” when the unit says what it is counted per, else “75.000 đ”."""
    if unit and fold(unit).startswith("dong"):
        return f"{int(amount or 0):,}".replace(",", ".") + f" {unit}"
    if unit:
        return f"{format_vnd(amount)} ({unit})"
    return format_vnd(amount)


def kind_from_name(name: str) -> str:
    """Phí or lệ phí, as the published name says: “Lệ phí…” is a charge, “Phí…” a fee; a name
    that says both (“Phí, lệ phí”) or neither leaves the kind unstated ("")."""
    folded = fold(name)
    if re.match(r"le phi\b", folded):
        return KIND_CHARGE
    if re.match(r"phi\b", folded) and "le phi" not in folded:
        return KIND_FEE
    return ""


def _is_whole(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def row_problems(rows) -> list[str]:
    """What is wrong with a table of amounts (empty when it can be stored)."""
    if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
        return [_("The table of amounts must be a list of cases.")]
    problems = []
    for number, row in enumerate(rows, start=1):
        condition = row.get("condition")
        condition = normalize_text(condition) if isinstance(condition, str) else ""
        if not condition or len(condition) > CONDITION_MAX_LENGTH:
            problems.append(
                _("Case %(number)s: the case is missing or longer than %(max)s characters.")
                % {"number": number, "max": CONDITION_MAX_LENGTH}
            )
        if not _is_whole(row.get("amount")):
            problems.append(
                _("Case %(number)s: the amount must be a whole number of đồng.")
                % {"number": number}
            )
        unit = row.get("unit", "")
        if unit is not None and (not isinstance(unit, str) or len(unit) > UNIT_MAX_LENGTH):
            problems.append(
                _("Case %(number)s: the unit must be text of at most %(max)s characters.")
                % {"number": number, "max": UNIT_MAX_LENGTH}
            )
        unknown = set(row) - {"condition", "amount", "unit"}
        if unknown:
            problems.append(
                _("Case %(number)s: unknown keys %(keys)s.")
                % {"number": number, "keys": ", ".join(sorted(map(str, unknown)))}
            )
    return problems


def clean_rows(rows: list[dict]) -> list[dict]:
    """A valid table in its stored form: NFC text, every key present, nothing else."""
    return [
        {
            "condition": normalize_text(row["condition"]),
            "amount": row["amount"],
            "unit": normalize_text(row.get("unit") or ""),
        }
        for row in rows
    ]


def validate_fee_rows(value) -> None:
    """Model-field validator of ``Fee.rows``."""
    problems = row_problems(value)
    if problems:
        raise ValidationError(problems)


def fee_problems(fee: dict) -> list[str]:
    """What is wrong with one fee of a catalogue row (the exchange format)."""
    name = fee.get("name", "")
    label = name if isinstance(name, str) else ""
    problems = []
    if not isinstance(name, str) or len(normalize_text(name)) > 200:
        problems.append(_("A fee name must be text of at most 200 characters."))
    if fee.get("kind", "") not in KINDS:
        problems.append(
            _("Fee “%(name)s”: the kind must be fee (phí) or charge (lệ phí).") % {"name": label}
        )
    for key in ("unit", "note"):
        if not isinstance(fee.get(key) or "", str):
            problems.append(
                _("Fee “%(name)s”: “%(key)s” must be text.") % {"name": label, "key": key}
            )
    if isinstance(fee.get("unit"), str) and len(fee["unit"]) > UNIT_MAX_LENGTH:
        problems.append(
            _("Fee “%(name)s”: the unit is longer than %(max)s characters.")
            % {"name": label, "max": UNIT_MAX_LENGTH}
        )
    rows = fee.get("rows") or []
    amount = fee.get("amount")
    if rows:
        if amount not in (None, 0):
            problems.append(
                _(
                    "Fee “%(name)s”: a fee is either one amount or a table of amounts by case, "
                    "not both."
                )
                % {"name": label}
            )
        problems += [
            _("Fee “%(name)s”: %(problem)s") % {"name": label, "problem": problem}
            for problem in row_problems(rows)
        ]
    elif not _is_whole(amount):
        problems.append(
            _("Fee “%(name)s”: the amount must be a whole number of đồng.") % {"name": label}
        )
    return problems


def clean_fee(fee: dict) -> dict:
    """A valid fee of a catalogue row as the values of a ``Fee`` (without its version).

    A fee whose kind is not given takes it from its name (:func:`kind_from_name`), so that
    catalogues written before the kind existed read the same as they are exported now.
    """
    name = normalize_text(fee.get("name") or "Lệ phí")
    rows = clean_rows(fee.get("rows") or [])
    kind = fee["kind"] if "kind" in fee else kind_from_name(name)
    return {
        "name": name,
        "kind": kind,
        "amount": None if rows else fee["amount"],
        "unit": "" if rows else normalize_text(fee.get("unit") or ""),
        "note": normalize_text(fee.get("note") or ""),
        "rows": rows,
    }


# --- the table as text, one case a line (the administration's editing field) ----------------
SEPARATOR = "|"
_DIGITS = re.compile(r"^\d{1,3}([.,\s]\d{3})+$|^\d+$")


def rows_to_text(rows: list[dict] | None) -> str:
    """“Nhà ở riêng lẻ | 75.000 | đồng/giấy phép”, one case a line."""
    lines = []
    for row in rows or []:
        amount = f"{int(row.get('amount') or 0):,}".replace(",", ".")
        parts = [row.get("condition", ""), amount]
        if row.get("unit"):
            parts.append(row["unit"])
        lines.append(f" {SEPARATOR} ".join(parts))
    return "\n".join(lines)


def rows_from_text(text: str | None) -> list[dict]:
    """The table typed as text, one case a line: ``case | amount | unit`` (unit optional;
    the amount may be written 75000 or 75.000). Raises ``ValidationError`` naming each bad
    line."""
    rows, problems = [], []
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = normalize_text(line)
        if not line:
            continue
        parts = [part.strip() for part in line.split(SEPARATOR)]
        if len(parts) not in (2, 3) or not parts[0]:
            problems.append(
                _("Line %(number)s: write “case | amount | unit” (the unit may be left out).")
                % {"number": number}
            )
            continue
        amount_text = parts[1].removesuffix("đ").removesuffix("đồng").strip()
        if not _DIGITS.match(amount_text):
            problems.append(
                _("Line %(number)s: the amount must be a whole number of đồng.")
                % {"number": number}
            )
            continue
        row = {"condition": parts[0], "amount": int(re.sub(r"[.,\s]", "", amount_text))}
        row["unit"] = parts[2] if len(parts) == 3 else ""
        rows.append(row)
    problems += row_problems(rows) if not problems else []
    if problems:
        raise ValidationError(problems)
    return clean_rows(rows)
