"""Every write to the giving tracker that matters, one module per sub-domain."""
