"""The giving API's endpoints, one module per area; giving/api/urls.py maps them."""
