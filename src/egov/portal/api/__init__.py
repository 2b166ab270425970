"""The portal's API: online submission in one request (``POST /api/v1/applications/``)."""
