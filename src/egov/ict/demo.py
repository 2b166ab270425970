"""Demo data of this app for ``manage.py load_demo`` (idempotent)."""


def load(stdout=None):
    """Nothing yet."""
