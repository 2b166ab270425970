"""Server-side rendering of an e-form: Bootstrap 5 fields with labels, help, the required
mark, and each error tied to its input (``aria-invalid``, ``aria-describedby``)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from .schema import FieldSpec

AUTOCOMPLETE = {
    "full_name": "name",
    "email": "email",
    "phone": "tel",
    "address": "street-address",
}
DATE_PLACEHOLDER = "dd/mm/yyyy"


def _options(bound, spec: FieldSpec, raw) -> list[dict]:
    if spec.choices:
        choices = [(str(value), label) for value, label in spec.choices]
    elif spec.type == "boolean":
        choices = [("true", _("Yes")), ("false", _("No"))]
    else:
        choices = []
    chosen = set(raw) if isinstance(raw, list) else {raw}
    base = bound.html_id(spec)
    return [
        {"value": value, "label": label, "id": f"{base}_{i}", "selected": value in chosen}
        for i, (value, label) in enumerate(choices)
    ]


def field_context(bound, spec: FieldSpec) -> dict:
    """Everything the template needs to draw one field."""
    html_id = bound.html_id(spec)
    errors = bound.errors.get(spec.name, [])
    raw = bound.raw_value(spec)
    help_text = spec.help
    widget = spec.widget
    if widget == "date" and not help_text:
        help_text = _("Date as dd/mm/yyyy.")
    described = []
    if help_text:
        described.append(f"{html_id}_help")
    if errors:
        described.append(f"{html_id}_error")
    input_type, inputmode = "text", ""
    if spec.format == "email":
        inputmode = "email"
    elif spec.format == "vn-phone":
        input_type = "tel"
    elif spec.format in ("cccd", "tax-code") or widget == "date" or spec.type == "integer":
        inputmode = "numeric"
    elif spec.type == "number":
        inputmode = "decimal"
    readonly = bool(spec.ui.get("readonly")) and bound._locked_value(spec) is not None
    return {
        "spec": spec,
        "name": bound.html_name(spec),
        "id": html_id,
        "label": spec.label,
        "help": help_text,
        "help_id": f"{html_id}_help",
        "error_id": f"{html_id}_error",
        "describedby": " ".join(described),
        "errors": errors,
        "required": spec.required or spec.must_tick,
        "widget": widget,
        "multiple": spec.is_multiple,
        "value": raw if not isinstance(raw, list) else "",
        "checked": (not spec.is_multiple) and str(raw).casefold() in ("true", "on", "1"),
        "options": _options(bound, spec, raw)
        if widget in ("select", "radio") or spec.is_multiple
        else [],
        "placeholder": spec.ui.get("placeholder") or (DATE_PLACEHOLDER if widget == "date" else ""),
        "rows": spec.ui.get("rows", 3),
        "width": spec.ui.get("width", 12),
        "input_type": input_type,
        "inputmode": inputmode,
        "autocomplete": AUTOCOMPLETE.get(spec.ui.get("prefill", ""), ""),
        "readonly": readonly,
        "maxlength": spec.prop.get("maxLength") if spec.type == "string" else None,
    }


def sections(bound) -> list[dict]:
    """The fields grouped as the UI schema says: its groups, then the fields outside them."""
    by_name = {spec.name: spec for spec in bound.fields}
    placed: set[str] = set()
    result = []
    for group in bound.ui_schema.get("groups", []):
        names = [name for name in group["fields"] if name in by_name]
        placed.update(names)
        result.append(
            {
                "title": group.get("title", ""),
                "description": group.get("description", ""),
                "fields": [field_context(bound, by_name[name]) for name in names],
            }
        )
    rest = [spec for spec in bound.fields if spec.name not in placed]
    if rest:
        result.append(
            {"title": "", "description": "", "fields": [field_context(bound, s) for s in rest]}
        )
    return result


def render_fields(bound):
    """The HTML of every field of ``bound`` (a :class:`BoundEForm`), marked safe."""
    return render_to_string(
        "portal/eforms/_fields.html",
        {
            "sections": sections(bound),
            "has_errors": bool(bound.errors),
            "description": bound.schema.get("description", ""),
            "prefix": bound.prefix,
        },
    )


def display_value(spec: FieldSpec, value) -> str:
    """One answer as a person reads it: labels of choices, “Yes”/“No”, dd/mm/yyyy, 1.000.000."""
    from django.utils.formats import number_format

    from .validation import format_date

    if value is None or value == "" or value == []:
        return ""
    if spec.is_multiple:
        return ", ".join(spec.label_of(item) for item in value)
    if spec.choices:
        return spec.label_of(value)
    if spec.type == "boolean" or isinstance(value, bool):
        return _("Yes") if value is True else _("No") if value is False else str(value)
    if spec.format == "date":
        return format_date(value)
    if spec.type in ("integer", "number") and isinstance(value, int | float):
        return number_format(value, force_grouping=True)
    return str(value)


def summary(form, answers: dict) -> list[tuple[str, str]]:
    """(label, value as shown) of each answered field of ``form``, in the form's order: for the
    receipt and the officer's dossier page."""
    from .schema import field_specs

    answers = answers or {}
    rows = []
    for spec in field_specs(form.schema, form.ui_schema):
        shown = display_value(spec, answers.get(spec.name))
        if shown:
            rows.append((spec.label, shown))
    return rows
