"""Email: the report composed and sent."""
