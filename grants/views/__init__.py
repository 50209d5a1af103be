"""Pages of grants, one module per area (calls, apply, applications, staff, review, awards, open_data); grants/urls.py maps them."""
