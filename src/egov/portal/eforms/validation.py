"""Reading an e-form's answers from a POST, checking them against the JSON schema and saying
what is wrong with each field in words a citizen understands."""

from __future__ import annotations

import datetime as dt
import re
from functools import cached_property

from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from egov.core.text import normalize_text

from .schema import FieldSpec, field_specs, validator_for

DMY_RE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
ISO_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
INT_RE = re.compile(r"^[+-]?\d+$")
# 1.000.000 or 1 000 000 (Vietnamese thousands) for whole numbers.
GROUPED_INT_RE = re.compile(r"^[+-]?\d{1,3}(?:([.\s])\d{3})(?:\1\d{3})*$")
TRUE_WORDS = {"on", "true", "1", "yes", "có"}
FALSE_WORDS = {"off", "false", "0", "no", "không"}
PHONE_SEPARATORS_RE = re.compile(r"[\s.()-]")


# --- values between the form and the JSON answers --------------------------------------------
def parse_date(text: str) -> str | None:
    """``dd/mm/yyyy`` (or ISO ``yyyy-mm-dd``) → ISO date string; None when not a real date."""
    match = DMY_RE.match(text)
    if match:
        day, month, year = (int(part) for part in match.groups())
    else:
        match = ISO_RE.match(text)
        if not match:
            return None
        year, month, day = (int(part) for part in match.groups())
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def format_date(value) -> str:
    """A date (ISO text or ``date``) as ``dd/mm/yyyy``; anything else unchanged."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, str) and ISO_RE.match(value):
        iso = parse_date(value)
        if iso:
            return dt.date.fromisoformat(iso).strftime("%d/%m/%Y")
    return "" if value is None else str(value)


def _parse_integer(text: str):
    compact = re.sub(r"[.\s]", "", text) if GROUPED_INT_RE.match(text) else text
    if INT_RE.match(compact):
        return int(compact)
    return text  # left as text: the schema's "type" check names the problem


def _parse_number(text: str):
    if GROUPED_INT_RE.match(text):
        return int(re.sub(r"[.\s]", "", text))
    candidate = text.replace(" ", "")
    if "," in candidate:
        # Vietnamese decimal comma: 1.234,5 or 2,5
        candidate = candidate.replace(".", "").replace(",", ".")
    try:
        number = float(candidate)
    except ValueError:
        return text
    if number != number or number in (float("inf"), float("-inf")):
        return text
    return int(number) if number.is_integer() and "." not in candidate else number


def _scalar(spec_type: str, value, fmt: str = ""):
    """One submitted value turned into its JSON type (or left as is when it cannot be)."""
    if not isinstance(value, str):
        if spec_type == "number" and isinstance(value, int | float) and not isinstance(value, bool):
            return value
        if spec_type == "integer" and isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, dt.date):
            return value.isoformat()
        return value
    text = normalize_text(value)
    if spec_type == "integer":
        return _parse_integer(text)
    if spec_type == "number":
        return _parse_number(text)
    if spec_type == "boolean":
        lowered = text.casefold()
        if lowered in TRUE_WORDS:
            return True
        if lowered in FALSE_WORDS:
            return False
        return text
    if fmt == "date":
        return parse_date(text) or text
    if fmt == "vn-phone":
        return PHONE_SEPARATORS_RE.sub("", text)
    if fmt in ("cccd", "tax-code"):
        return text.replace(" ", "")
    if fmt == "email":
        return text.lower() if text.isascii() else text
    return text


def _choice_value(spec: FieldSpec, text):
    """A submitted choice back to the value it stands for (1, not "1", for integer enums)."""
    for value, _label in spec.choices:
        if str(value) == str(text) or value == text:
            return value
    return text


def _getlist(data, key: str) -> list:
    if hasattr(data, "getlist"):
        return data.getlist(key)
    value = data.get(key)
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


# --- messages ------------------------------------------------------------------------------
def _number(value) -> str:
    return number_format(value, force_grouping=True)


def _format_message(spec: FieldSpec, error) -> str:
    cause = error.cause
    if isinstance(cause, ValidationError) and spec.format == "cccd":
        return " ".join(cause.messages)  # the platform's own, precise message
    if spec.format == "date":
        return _("Enter a real date as dd/mm/yyyy, for example 25/08/1990.")
    if spec.format == "email":
        return _("Enter a valid e-mail address, for example ten@example.com.")
    if spec.format == "cccd":
        return _("The citizen ID number must have exactly 12 digits.")
    if spec.format == "vn-phone":
        return _(
            "Enter a Vietnamese phone number: 10 digits starting with 0 (e.g. 0912345678), "
            "or a landline with its area code."
        )
    if spec.format == "tax-code":
        return _(
            "Enter a tax code: 10 digits, 10 digits followed by -nnn for a branch, or a "
            "12-digit personal identification number."
        )
    return _("The value is not in the expected form.")


def _type_message(expected) -> str:
    expected = expected if isinstance(expected, str) else "string"
    return {
        "integer": _("Enter a whole number, for example 2."),
        "number": _("Enter a number, for example 2 or 2,5."),
        "boolean": _("Choose yes or no."),
        "array": _("Choose from the list."),
    }.get(expected, _("Enter text."))


def message_for(spec: FieldSpec | None, error) -> str:
    """The person's message for one jsonschema error, by validator keyword."""
    keyword, limit = error.validator, error.validator_value
    if keyword == "required":
        return required_message(spec)
    if spec is None:
        return _("The value is not valid.")
    if keyword == "type":
        return _type_message(limit)
    if keyword == "minLength":
        return _("Enter at least %(limit)s characters (you entered %(count)s).") % {
            "limit": limit,
            "count": len(error.instance),
        }
    if keyword == "maxLength":
        return _("Enter at most %(limit)s characters (you entered %(count)s).") % {
            "limit": limit,
            "count": len(error.instance),
        }
    if keyword == "pattern":
        return spec.ui.get("pattern_message") or _("The value is not in the expected form.")
    if keyword == "format":
        return _format_message(spec, error)
    if keyword == "const" and spec.must_tick:
        return _("Tick this box to continue.")
    if keyword in ("enum", "const", "oneOf", "anyOf"):
        return _("Choose one of the options in the list.")
    if keyword == "minimum":
        return _("Enter a value of at least %(limit)s.") % {"limit": _number(limit)}
    if keyword == "maximum":
        return _("Enter a value of at most %(limit)s.") % {"limit": _number(limit)}
    if keyword == "exclusiveMinimum":
        return _("Enter a value greater than %(limit)s.") % {"limit": _number(limit)}
    if keyword == "exclusiveMaximum":
        return _("Enter a value less than %(limit)s.") % {"limit": _number(limit)}
    if keyword == "minItems":
        return _("Choose at least %(limit)s options.") % {"limit": limit}
    if keyword == "maxItems":
        return _("Choose at most %(limit)s options.") % {"limit": limit}
    if keyword == "uniqueItems":
        return _("Choose each option only once.")
    return _("The value is not valid.")


def required_message(spec: FieldSpec | None) -> str:
    if spec is not None and spec.must_tick:
        return _("Tick this box to continue.")
    if spec is not None and (spec.choices or spec.type == "boolean"):
        return _("Choose an option.")
    return _("This field is required.")


# --- the bound form ------------------------------------------------------------------------
class BoundEForm:
    """An e-form with the applicant's data (or the initial values when ``data`` is None).

    ``errors`` maps a field name to its messages; ``cleaned`` is the answers as JSON (ints,
    floats, bools, ISO dates, lists of choices), filled once ``is_valid()`` is true.
    """

    def __init__(
        self,
        form,
        data=None,
        prefill: dict | None = None,
        *,
        initial: dict | None = None,
        prefix: str = "ef-",
    ):
        self.form = form
        self.schema = form.schema
        self.ui_schema = form.ui_schema or {}
        self.data = data
        self.prefill = {k: v for k, v in (prefill or {}).items() if v not in (None, "")}
        self.initial = initial or {}
        self.prefix = prefix
        self.fields = field_specs(self.schema, self.ui_schema)
        self._by_name = {spec.name: spec for spec in self.fields}

    @property
    def is_bound(self) -> bool:
        return self.data is not None

    def html_name(self, spec: FieldSpec) -> str:
        return f"{self.prefix}{spec.name}"

    def html_id(self, spec: FieldSpec) -> str:
        return f"id_{self.prefix}{spec.name}"

    def _locked_value(self, spec: FieldSpec):
        """A read-only prefilled field keeps the profile's value, whatever was posted."""
        key = spec.ui.get("prefill")
        if spec.ui.get("readonly") and key and key in self.prefill:
            return self.prefill[key]
        return None

    # raw values: what the inputs show ---------------------------------------------------------
    def raw_value(self, spec: FieldSpec):
        """What the input shows: the posted text when bound, else the initial value (answers
        given, then the profile, then the schema's default) formatted for display."""
        locked = self._locked_value(spec)
        if self.is_bound and locked is None:
            values = [str(v) for v in _getlist(self.data, self.html_name(spec))]
            if spec.is_multiple:
                return values
            return values[-1] if values else ""
        value = locked
        if value is None:
            value = self.initial.get(spec.name)
        if value is None and spec.ui.get("prefill"):
            value = self.prefill.get(spec.ui["prefill"])
        if value is None:
            value = spec.prop.get("default")
        return self.display_raw(spec, value)

    def display_raw(self, spec: FieldSpec, value):
        if spec.is_multiple:
            return [str(v) for v in (value or [])]
        if value is None:
            return ""
        if spec.type == "boolean":
            return "true" if value is True else ("false" if value is False else str(value))
        if spec.format == "date":
            return format_date(value)
        return str(value)

    # validation -------------------------------------------------------------------------------
    def _instance(self) -> dict:
        """The submitted answers as a JSON object, each value in its schema type when it can
        be read as one; empty inputs are left out (so "required" catches them)."""
        instance = {}
        for spec in self.fields:
            locked = self._locked_value(spec)
            if locked is not None:
                value = _scalar(spec.type, locked, spec.format)
                instance[spec.name] = value
                continue
            raw = self.raw_value(spec)
            if spec.is_multiple:
                items = [_choice_value(spec, v) for v in raw if str(v).strip()]
                if items:
                    instance[spec.name] = items
                continue
            if spec.type == "boolean" and spec.widget == "checkbox":
                instance[spec.name] = str(raw).strip().casefold() in TRUE_WORDS
                continue
            if str(raw).strip() == "":
                continue
            value = _scalar(spec.type, raw, spec.format)
            if spec.choices and not isinstance(value, bool):
                value = _choice_value(spec, value)
            instance[spec.name] = value
        return instance

    @cached_property
    def _validated(self) -> tuple[dict, dict[str, list[str]]]:
        if not self.is_bound:
            return {}, {}
        instance = self._instance()
        errors: dict[str, list[str]] = {}

        def add(name: str, message: str):
            messages = errors.setdefault(name, [])
            if message not in messages:
                messages.append(message)

        for error in validator_for(self.schema).iter_errors(instance):
            if error.validator == "required" and not error.path:
                for name in error.validator_value:
                    if name not in instance:
                        add(name, required_message(self._by_name.get(name)))
                continue
            name = str(error.path[0]) if error.path else ""
            add(name, message_for(self._by_name.get(name), error))
        order = {spec.name: i for i, spec in enumerate(self.fields)}
        errors = dict(sorted(errors.items(), key=lambda item: order.get(item[0], -1)))
        return instance, errors

    @property
    def errors(self) -> dict[str, list[str]]:
        return self._validated[1]

    def is_valid(self) -> bool:
        return self.is_bound and not self.errors

    @property
    def cleaned(self) -> dict:
        """The answers as JSON typed per schema; empty until the form is valid."""
        return dict(self._validated[0]) if self.is_valid() else {}

    # display ----------------------------------------------------------------------------
    def render(self):
        """Safe HTML of the fields (Bootstrap 5), to put inside the page's ``<form>``."""
        from .rendering import render_fields

        return render_fields(self)

    def __html__(self):
        return self.render()

    def __str__(self):
        return str(self.render())


def bind(form, data=None, prefill: dict | None = None, **kwargs) -> BoundEForm:
    """The e-form ``form`` with posted ``data`` (a ``QueryDict`` or a dict; None shows the
    initial values) and the applicant's profile as ``prefill``."""
    return BoundEForm(form, data, prefill, **kwargs)
