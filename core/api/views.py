"""API views shared by every app."""

from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, views
from rest_framework.permissions import AllowAny


@extend_schema(exclude=True)
class NotFoundView(views.APIView):
    """The catch-all last route of an API prefix (a malformed slug or id, any other address
    under it): a JSON 404 for every method, not the site's HTML error page."""

    permission_classes = [AllowAny]  # public: it only ever answers 404

    def get(self, request, *args, **kwargs):
        raise exceptions.NotFound()

    post = put = patch = delete = get


class KeptListMixin:
    """The pages of a public API list, the same for every caller, kept in the cache
    (core.fragments) under `kept_list_topics` until the data behind them changes: the apps'
    receivers touch the topics on every save or delete, so a change shows at the next request.
    Before a DRF list view: `class V(KeptListMixin, generics.ListAPIView)`, with
    `kept_list_name` and `kept_list_topics`.

    What is kept is the list's data (count, links, rows), rendered per request as usual (JSON,
    the browsable API). The key holds the language and the whole address (the links are
    absolute). Kept: query strings of the filterset's parameters, the page size, `format` and
    `page` (1 to `kept_list_max_page`), each given once. Built every time: a free-text parameter
    (`kept_list_search`), any other parameter (a cursor: pages after the first), a selection
    that is refused (it raises, nothing is stored), and new selections past the page cache's
    cap of variants a window (core.page_cache.may_keep_another: one client cycling through
    values cannot fill the cache). When the cache does not answer, every page is built."""

    kept_list_name: str = ""
    kept_list_topics: tuple[str, ...] = ()
    kept_list_search: tuple[str, ...] = ()
    kept_list_max_page: int | None = None  # None: core.fragments.MAX_CACHED_PAGE

    def kept_list_parameters(self) -> list[str]:
        names = ["format"]
        filterset_class = getattr(self, "filterset_class", None)
        if filterset_class is not None:
            names += list(filterset_class.base_filters)
        for attribute in ("page_query_param", "page_size_query_param"):
            name = getattr(self.paginator, attribute, None)
            if name:
                names.append(name)
        return names

    def list(self, request, *args, **kwargs):
        from django.utils import translation
        from rest_framework.response import Response

        from core import fragments, page_cache

        query = request.query_params
        key = None
        if not any(query.get(name) for name in self.kept_list_search):
            key = fragments.query_key(
                query,
                self.kept_list_parameters(),
                max_page=self.kept_list_max_page or fragments.MAX_CACHED_PAGE,
            )
        if key is None:
            return super().list(request, *args, **kwargs)

        def build() -> dict:
            data = super(KeptListMixin, self).list(request, *args, **kwargs).data
            return {
                name: ([dict(row) for row in value] if name == "results" else value)
                for name, value in data.items()
            }

        return Response(
            fragments.cached(
                self.kept_list_name,
                [translation.get_language(), request.build_absolute_uri()],
                topics=self.kept_list_topics,
                build=build,
                timeout=page_cache.timeout_seconds(),
                may_store=lambda: page_cache.may_keep_another(self.kept_list_name),
            )
        )
