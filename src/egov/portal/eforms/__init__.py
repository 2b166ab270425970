"""Application e-forms (tờ khai điện tử) defined as data.

Each procedure has an e-form: a JSON Schema (a subset of draft 2020-12, see
:mod:`.schema`) and a UI schema (order, groups, labels, help, widgets, placeholders, prefill
from the applicant's profile), edited by administrators at ``/bieu-mau/`` and versioned.
A published version never changes; editing makes a new draft; publishing the draft retires the
version before it. A dossier keeps the exact version it was filled in with.

Interface for the online submission page
----------------------------------------
``ApplicationForm`` (``egov.portal.models``)
    ``procedure``, ``number`` (version), ``status`` (``FormStatus``: draft / published /
    retired), ``valid_from``/``valid_to``, ``schema``, ``ui_schema``, ``content_hash``,
    ``created_by``, ``published_by``/``published_at``; ``title`` (the schema's title).
    Store ``form.pk`` (a ``ForeignKey(ApplicationForm, on_delete=PROTECT)``) and
    ``bound.cleaned`` (a ``JSONField``) on the dossier.

``current_form(procedure, day=None) -> ApplicationForm | None``
    The version applicants fill in today (None: the procedure has no e-form yet).

``bind(form, data=None, prefill=None, *, initial=None, prefix="ef-") -> BoundEForm``
    ``data``: ``request.POST`` (a ``QueryDict``) or a dict of the same shape; ``None`` for the
    empty form (GET). ``prefill``: the applicant's profile, keys ``full_name``,
    ``citizen_id``, ``date_of_birth`` (``date`` or ISO text), ``address``, ``phone``,
    ``email``; fields whose UI hints say ``"prefill": key`` start with it, and those also
    marked ``"readonly": true`` always take the profile's value (the posted one is ignored).
    ``initial``: earlier answers (the JSON of ``cleaned``) to edit again.
    Inputs are named ``<prefix><field>`` (``ef-child_name``) and their ids ``id_ef-…``, so the
    rest of the page can use any other names; pass ``prefix`` to change it.

``BoundEForm``
    ``.is_valid()``; ``.errors``: ``{field name: [messages]}`` in the active language
    (Vietnamese by default); ``.cleaned``: the answers as JSON typed per schema (int, float,
    bool, ISO ``yyyy-mm-dd`` dates, lists for multiple choices; fields left empty are absent),
    empty until valid; ``.render()``: safe HTML of the fields (Bootstrap 5, a label for every
    input, required fields marked, ``aria-invalid``/``aria-describedby`` to the error text,
    dates shown ``dd/mm/yyyy``) to put inside your ``<form method="post" novalidate>`` (with
    ``{% csrf_token %}`` and your buttons). In a template ``{{ bound }}`` renders it too.

``summary(form, answers) -> list[(label, value)]``
    The answered fields as text, in the form's order (choice labels, Có/Không, dd/mm/yyyy,
    1.000.000): for the receipt and the officer's dossier page.

``prefill_from(user_or_profile) -> dict``
    The prefill keys read from attributes of the same names (``full_name``, ``email``,
    ``phone`` of a user; any profile object that has the others).

Services (:mod:`.services`): ``save_draft``, ``publish_form``, ``publish_definition``,
``retire_form``, ``discard_draft``; ``check_definition`` (:mod:`.schema`) raises a
``ValidationError`` naming every problem of a definition. Demo forms:
:func:`.demo.load_demo_forms`.
"""

from importlib import import_module

_EXPORTS = {
    "bind": ".validation",
    "BoundEForm": ".validation",
    "current_form": ".services",
    "summary": ".rendering",
    "display_value": ".rendering",
    "check_definition": ".schema",
    "prefill_from": ".profile",
}


def __getattr__(name):
    # Lazy: the package may be imported while the apps are still loading.
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name], __name__), name)
    raise AttributeError(name)


__all__ = sorted(_EXPORTS)
