"""Pages of the organisation registry, one module per area: directory (public list, profile, create, manage, members, invitations) and tokens (partner API tokens); organizations/urls.py maps them."""
