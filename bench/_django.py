"""Set up Django for a benchmark script (DATABASE_URL chooses the database)."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "egov.settings.dev")
os.environ.setdefault("DEBUG", "0")

import django  # noqa: E402

django.setup()
