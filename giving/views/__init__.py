"""Pages of the giving tracker, one module per area (dashboard, records, imports); giving/urls.py maps them."""
