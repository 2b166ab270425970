"""Models of fee payments."""
