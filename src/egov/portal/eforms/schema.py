"""What an e-form definition may say, and the checks made before one is saved.

The JSON schema is a subset of draft 2020-12: an object whose properties are strings,
integers, numbers, booleans or arrays of choices, with ``enum`` (or ``oneOf`` of
``{"const", "title"}`` to give each choice a label), ``format`` (``date``, ``email`` and the
Vietnamese ``cccd``, ``vn-phone``, ``tax-code``), ``pattern``, ``minLength``/``maxLength``,
``minimum``/``maximum`` (and the exclusive ones), ``minItems``/``maxItems``, ``const`` (a
box that must be ticked), ``default`` and ``required``.

The UI schema says how the fields are shown::

    {
      "order": ["name", ...],                     # fields outside groups, in this order
      "groups": [{"title": "...", "description": "...", "fields": ["name", ...]}],
      "fields": {
        "name": {"label": "...", "help": "...", "placeholder": "...",
                 "widget": "text|textarea|select|radio|checkbox|date",
                 "prefill": "full_name|citizen_id|date_of_birth|address|phone|email",
                 "readonly": false, "width": 1-12, "rows": 3,
                 "choice_labels": {"value": "label"}, "pattern_message": "..."}
      }
    }
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import SchemaError
from jsonschema.exceptions import ValidationError as JSONSchemaError

from egov.core.validators import validate_citizen_id

# --- formats -------------------------------------------------------------------------------------
ISO_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Mobile: 0 + 3/5/7/8/9 + 8 digits; landline: 0 + 2xx area code + subscriber, 11 digits in all.
VN_PHONE_RE = re.compile(r"^(?:0|\+84)(?:[35789]\d{8}|2\d{9})$")
# Tax code (mã số thuế): 10 digits, 10-3 for a dependent unit (branch), or since 1 July 2025 a
# person's 12-digit identification number.
TAX_CODE_RE = re.compile(r"^(?:\d{10}(?:-\d{3})?|\d{12})$")

FORMAT_CHECKER = FormatChecker(formats=())


@FORMAT_CHECKER.checks("date", raises=ValueError)
def _is_date(value) -> bool:
    if not isinstance(value, str):
        return True
    if not ISO_DATE_RE.match(value):
        return False
    dt.date.fromisoformat(value)  # raises ValueError for 2024-02-31
    return True


@FORMAT_CHECKER.checks("email", raises=ValidationError)
def _is_email(value) -> bool:
    if isinstance(value, str):
        validate_email(value)
    return True


@FORMAT_CHECKER.checks("cccd", raises=ValidationError)
def _is_citizen_id(value) -> bool:
    if isinstance(value, str):
        validate_citizen_id(value)
    return True


@FORMAT_CHECKER.checks("vn-phone")
def _is_vn_phone(value) -> bool:
    return not isinstance(value, str) or bool(VN_PHONE_RE.match(value))


@FORMAT_CHECKER.checks("tax-code")
def _is_tax_code(value) -> bool:
    return not isinstance(value, str) or bool(TAX_CODE_RE.match(value))


SCHEMA_2020_12 = "https://json-schema.org/draft/2020-12/schema"
SUPPORTED_FORMATS = ("date", "email", "cccd", "vn-phone", "tax-code")
SUPPORTED_TYPES = ("string", "integer", "number", "boolean", "array")
WIDGETS = ("text", "textarea", "select", "radio", "checkbox", "date")
PREFILL_KEYS = ("full_name", "citizen_id", "date_of_birth", "address", "phone", "email")

ROOT_KEYWORDS = {
    "$schema",
    "$id",
    "$comment",
    "title",
    "description",
    "type",
    "properties",
    "required",
    "additionalProperties",
}
PROPERTY_KEYWORDS = {
    "type",
    "title",
    "description",
    "$comment",
    "enum",
    "const",
    "oneOf",
    "format",
    "pattern",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "items",
    "minItems",
    "maxItems",
    "uniqueItems",
    "default",
    "examples",
}
ITEM_KEYWORDS = {"type", "enum", "oneOf", "title", "description", "$comment"}
NAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,63}$")

# The shape of a UI schema, itself checked with jsonschema.
UI_META_SCHEMA = {
    "$schema": SCHEMA_2020_12,
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "order": {"type": "array", "items": {"type": "string"}},
        "groups": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["title", "fields"],
                "properties": {
                    "title": {"type": "string"},
                    "description": {"type": "string"},
                    "fields": {"type": "array", "items": {"type": "string"}},
                },
            },
        },
        "fields": {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    "label": {"type": "string"},
                    "help": {"type": "string"},
                    "placeholder": {"type": "string"},
                    "widget": {"enum": list(WIDGETS)},
                    "prefill": {"enum": list(PREFILL_KEYS)},
                    "readonly": {"type": "boolean"},
                    "width": {"type": "integer", "minimum": 1, "maximum": 12},
                    "rows": {"type": "integer", "minimum": 1, "maximum": 30},
                    "choice_labels": {"type": "object", "additionalProperties": {"type": "string"}},
                    "pattern_message": {"type": "string"},
                },
            },
        },
    },
}


# --- the fields of a definition, as the renderer and the validator see them -------------------
@dataclass
class FieldSpec:
    """One property of the schema with its UI hints resolved."""

    name: str
    prop: dict
    ui: dict
    required: bool
    label: str = ""
    choices: list[tuple[object, str]] = field(default_factory=list)

    @property
    def type(self) -> str:
        return self.prop.get("type", "string")

    @property
    def format(self) -> str:
        return self.prop.get("format", "")

    @property
    def is_multiple(self) -> bool:
        return self.type == "array"

    @property
    def item_type(self) -> str:
        return (self.prop.get("items") or {}).get("type", "string")

    @property
    def must_tick(self) -> bool:
        """A box that must be ticked (a commitment: ``{"type": "boolean", "const": true}``)."""
        return self.type == "boolean" and self.prop.get("const") is True

    @property
    def widget(self) -> str:
        widget = self.ui.get("widget")
        if widget:
            return widget
        if self.type in ("boolean", "array"):
            return "checkbox"
        if self.choices:
            return "select"
        if self.format == "date":
            return "date"
        if self.type == "string" and (self.prop.get("maxLength") or 0) > 250:
            return "textarea"
        return "text"

    @property
    def help(self) -> str:
        return self.ui.get("help") or self.prop.get("description", "")

    def label_of(self, value) -> str:
        """The label of one choice (the value itself when none is given)."""
        for choice, label in self.choices:
            if choice == value:
                return label
        return str(value)


def _const_choices(options) -> list[tuple[object, str]] | None:
    """``oneOf: [{"const": v, "title": "…"}]`` as choices, None when it is something else."""
    if not isinstance(options, list) or not options:
        return None
    choices = []
    for option in options:
        if not isinstance(option, dict) or "const" not in option:
            return None
        choices.append((option["const"], str(option.get("title", option["const"]))))
    return choices


def choices_of(prop: dict, ui: dict) -> list[tuple[object, str]]:
    """The choices of an enum property (or of the items of an array), with their labels."""
    source = prop.get("items", {}) if prop.get("type") == "array" else prop
    labels = ui.get("choice_labels", {})
    if "enum" in source:
        return [(value, labels.get(str(value), str(value))) for value in source["enum"]]
    consts = _const_choices(source.get("oneOf"))
    if consts:
        return [(value, labels.get(str(value), label)) for value, label in consts]
    return []


def field_specs(schema: dict, ui_schema: dict | None) -> list[FieldSpec]:
    """The fields of a (checked) definition in display order."""
    ui_schema = ui_schema or {}
    properties = schema.get("properties", {})
    required = set(schema.get("required", []))
    ui_fields = ui_schema.get("fields", {})
    specs = {}
    for name, prop in properties.items():
        ui = ui_fields.get(name, {})
        specs[name] = FieldSpec(
            name=name,
            prop=prop,
            ui=ui,
            required=name in required,
            label=ui.get("label") or prop.get("title") or name,
            choices=choices_of(prop, ui),
        )
    ordered = [name for group in ui_schema.get("groups", []) for name in group["fields"]]
    ordered += [name for name in ui_schema.get("order", []) if name not in ordered]
    ordered += [name for name in properties if name not in ordered]
    return [specs[name] for name in ordered if name in specs]


# --- checks before saving -------------------------------------------------------------------------
def _where(path) -> str:
    return "/".join(str(part) for part in path) or "/"


def _check_property(name: str, prop, problems: list[str]) -> None:
    if not NAME_RE.match(name):
        problems.append(
            _(
                "Field name “%(name)s”: use Latin letters, digits and underscores, starting "
                "with a letter (it becomes the name of the input)."
            )
            % {"name": name}
        )
    if not isinstance(prop, dict):
        problems.append(_("Field “%(name)s” must be an object.") % {"name": name})
        return
    unknown = sorted(set(prop) - PROPERTY_KEYWORDS)
    if unknown:
        problems.append(
            _("Field “%(name)s”: the keywords %(keywords)s are not supported by the e-forms.")
            % {"name": name, "keywords": ", ".join(unknown)}
        )
    kind = prop.get("type")
    if kind not in SUPPORTED_TYPES:
        problems.append(
            _(
                "Field “%(name)s”: the type must be one of string, integer, number, boolean or "
                "array (of choices)."
            )
            % {"name": name}
        )
        return
    if "format" in prop:
        if kind != "string":
            problems.append(
                _("Field “%(name)s”: a format applies only to a string.") % {"name": name}
            )
        elif prop["format"] not in SUPPORTED_FORMATS:
            problems.append(
                _("Field “%(name)s”: the format “%(format)s” is not known; use one of %(known)s.")
                % {"name": name, "format": prop["format"], "known": ", ".join(SUPPORTED_FORMATS)}
            )
    if "oneOf" in prop and _const_choices(prop["oneOf"]) is None:
        problems.append(
            _(
                "Field “%(name)s”: oneOf may only list the choices, each as "
                '{"const": value, "title": label}.'
            )
            % {"name": name}
        )
    if kind == "array":
        items = prop.get("items")
        if (
            not isinstance(items, dict)
            or items.get("type") not in ("string", "integer")
            or not ("enum" in items or _const_choices(items.get("oneOf")))
            or set(items) - ITEM_KEYWORDS
        ):
            problems.append(
                _(
                    "Field “%(name)s”: an array must be a list of choices: "
                    '"items": {"type": "string", "enum": [...]}.'
                )
                % {"name": name}
            )


def schema_problems(schema) -> list[str]:
    """Everything wrong with a JSON schema for an e-form (empty when it can be saved)."""
    if not isinstance(schema, dict):
        return [_("The JSON schema must be a JSON object.")]
    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as error:
        return [
            _("The schema is not a valid JSON Schema (draft 2020-12) at %(where)s: %(error)s")
            % {"where": _where(error.absolute_path), "error": error.message}
        ]
    problems = []
    if schema.get("$schema", SCHEMA_2020_12) != SCHEMA_2020_12:
        problems.append(
            _('"$schema" must be %(uri)s (the e-forms use draft 2020-12).')
            % {"uri": SCHEMA_2020_12}
        )
    if schema.get("type") != "object":
        problems.append(_('The schema must describe an object: "type": "object".'))
    unknown = sorted(set(schema) - ROOT_KEYWORDS)
    if unknown:
        problems.append(
            _("The keywords %(keywords)s are not supported at the top of an e-form schema.")
            % {"keywords": ", ".join(unknown)}
        )
    properties = schema.get("properties")
    if not isinstance(properties, dict) or not properties:
        problems.append(_('The schema has no fields: add them under "properties".'))
        return problems
    for name, prop in properties.items():
        _check_property(name, prop, problems)
    for name in schema.get("required", []):
        if name not in properties:
            problems.append(
                _("“%(name)s” is required but is not a field of the schema.") % {"name": name}
            )
    return problems


WIDGETS_FOR = {
    "text": {"string", "integer", "number"},
    "textarea": {"string"},
    "date": {"string"},
    "select": {"string", "integer", "number", "boolean"},
    "radio": {"string", "integer", "number", "boolean"},
    "checkbox": {"boolean", "array"},
}


def ui_problems(ui_schema, schema: dict) -> list[str]:
    """Everything wrong with a UI schema, given a schema without problems."""
    if not isinstance(ui_schema, dict):
        return [_("The UI schema must be a JSON object.")]
    shape = sorted(
        Draft202012Validator(UI_META_SCHEMA).iter_errors(ui_schema), key=lambda e: list(e.path)
    )
    if shape:
        return [
            _("UI schema at %(where)s: %(error)s")
            % {"where": _where(error.absolute_path), "error": error.message}
            for error in shape
        ]
    properties = schema.get("properties", {})
    problems = []

    def unknown(name, where):
        problems.append(
            _("The UI schema names “%(name)s” (in %(where)s) but the schema has no such field.")
            % {"name": name, "where": where}
        )

    for name in ui_schema.get("order", []):
        if name not in properties:
            unknown(name, "order")
    seen: set[str] = set()
    for group in ui_schema.get("groups", []):
        for name in group["fields"]:
            if name not in properties:
                unknown(name, "groups")
            elif name in seen:
                problems.append(_("The field “%(name)s” is placed in two groups.") % {"name": name})
            seen.add(name)
    for name, ui in ui_schema.get("fields", {}).items():
        if name not in properties:
            unknown(name, "fields")
            continue
        prop = properties[name]
        widget = ui.get("widget")
        choices = choices_of(prop, {})
        if widget and prop.get("type") not in WIDGETS_FOR[widget]:
            problems.append(
                _("The widget “%(widget)s” cannot show the field “%(name)s” (%(type)s).")
                % {"widget": widget, "name": name, "type": prop.get("type")}
            )
        elif widget in ("select", "radio") and not choices and prop.get("type") != "boolean":
            problems.append(
                _("The field “%(name)s” has no choices (enum) for the widget “%(widget)s”.")
                % {"name": name, "widget": widget}
            )
        elif widget == "date" and prop.get("format") != "date":
            problems.append(
                _('The field “%(name)s” needs "format": "date" for the date widget.')
                % {"name": name}
            )
        values = {str(value) for value, _label in choices}
        for value in ui.get("choice_labels", {}):
            if value not in values:
                problems.append(
                    _("The field “%(name)s” has no choice “%(value)s” to label.")
                    % {"name": name, "value": value}
                )
    return problems


def check_definition(schema, ui_schema) -> None:
    """Raise ``ValidationError({"schema": [...], "ui_schema": [...]})`` unless the definition
    can be saved: a valid JSON Schema in the supported subset, and a UI schema that names only
    fields of the schema."""
    problems = schema_problems(schema)
    if problems:
        raise ValidationError({"schema": problems})
    problems = ui_problems(ui_schema, schema)
    if problems:
        raise ValidationError({"ui_schema": problems})


def validator_for(schema: dict) -> Draft202012Validator:
    return Draft202012Validator(schema, format_checker=FORMAT_CHECKER)


__all__ = [
    "FORMAT_CHECKER",
    "PREFILL_KEYS",
    "SUPPORTED_FORMATS",
    "WIDGETS",
    "FieldSpec",
    "JSONSchemaError",
    "check_definition",
    "choices_of",
    "field_specs",
    "schema_problems",
    "ui_problems",
    "validator_for",
]
