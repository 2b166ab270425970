"""Official one-stop forms as PDF (placeholder until the forms module lands)."""

FORMS = ("receipt", "supplement", "refusal", "apology", "control-sheet")


class FormNotApplicable(Exception):
    """The form does not apply to the dossier in its state (e.g. no apology was issued)."""


def render_form(dossier, name: str) -> bytes:
    raise FormNotApplicable("not yet implemented")
