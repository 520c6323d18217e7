"""ontrack."""
