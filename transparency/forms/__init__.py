"""Forms of the transparency platform, one module per area."""
