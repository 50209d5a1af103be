# Placeholder: API token pages for organisation owners (being written, issue 2).
from organizations.views import directory as token_list
from organizations.views import directory as token_revoke

__all__ = ["token_list", "token_revoke"]
