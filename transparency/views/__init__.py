"""Pages of the transparency platform, one module per area (reports, badges, funding, strategy); transparency/urls.py maps them."""
