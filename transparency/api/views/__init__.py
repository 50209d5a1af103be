"""The transparency API's endpoints, one module per area; transparency/api/urls.py maps them."""
