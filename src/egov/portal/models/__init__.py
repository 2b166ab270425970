"""Models of the portal, one module per concern (each helper-owned module is imported here)."""
