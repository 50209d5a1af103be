"""Every write of the transparency platform that matters, one module per sub-domain."""
