"""Forms of grants, one module per area."""
