"""The portal's models in the Django administration.

Other parts of the portal append their registrations below their own heading.
"""

from django.contrib import admin

from egov.portal.eforms.admin import register_eforms

# --- application e-forms (tờ khai điện tử): read-only, edited at /bieu-mau/ -------------------
register_eforms(admin.site)
