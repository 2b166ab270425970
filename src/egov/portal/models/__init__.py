"""Models of the portal, one module per concern (each helper-owned module is imported here)."""

from .accounts import *  # noqa
from .eforms import *  # noqa
from .applications import *  # noqa
from .datastore import *  # noqa
