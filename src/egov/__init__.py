"""egov — open e-government platform for a Vietnamese province."""
