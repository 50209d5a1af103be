"""Forms of the help desk, one module per area."""
