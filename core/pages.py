"""Pages that a lower layer owns and the apps above fill.

The home page belongs to `core` and the dashboard to `accounts`, but what they show comes
from the apps above them (organisations' figures, my memberships), which a lower layer may
not import. So the page keeps its view and template and asks its registry for context; an
app contributes from its `AppConfig.ready()`::

    # organizations/pages.py
    from core.pages import HOME

    @HOME.register
    def directory_figures(request):
        return {"stats": selectors.directory_stats(), "latest": selectors.latest_verified(limit=6)}

The view renders `{**HOME.context(request), ...}`. Providers run in the order they were
registered (the order of INSTALLED_APPS); a later key overrides an earlier one. An app
that is not installed contributes nothing, and the template's defaults show.
"""

from collections.abc import Callable

ContextProvider = Callable[..., dict]


class PageContext:
    """The context providers of one page."""

    def __init__(self, name: str):
        self.name = name
        self._providers: dict[str, ContextProvider] = {}

    def register(self, provider: ContextProvider) -> ContextProvider:
        """Add `provider(request) -> dict` (idempotent: registering it again replaces it)."""
        self._providers[f"{provider.__module__}.{provider.__qualname__}"] = provider
        return provider

    def context(self, request) -> dict:
        context: dict = {}
        for provider in self._providers.values():
            context.update(provider(request))
        return context

    def __repr__(self) -> str:
        return f"<PageContext {self.name}: {', '.join(self._providers) or 'empty'}>"


HOME = PageContext("core:home")
