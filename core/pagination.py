"""Paginators that do not run a separate COUNT(*).

Django's `Paginator` asks the database twice per page: `SELECT COUNT(*)` (over the whole
filtered query, window functions and all) and the page's rows. Two cheaper ways:

- `KnownCountPaginator`: the caller already knows the number of rows (it computed totals
  in the same pass); the page costs one query.
- `page_with_total(qs, number, per_page)`: the rows carry the number themselves,
  `COUNT(*) OVER ()` annotated as `total_rows`; the page is one query (two more only when
  the asked page lies past the end: the number of rows, then the last page). Its rows are a
  list, so callers may annotate them.
"""

from django.core.paginator import Page, Paginator
from django.db.models import Count, Window

TOTAL_ROWS = "total_rows"
MAX_OFFSET = 2**53


class KnownCountPaginator(Paginator):
    """A paginator told the number of rows, so it never counts them again."""

    def __init__(self, *args, known_count: int, **kwargs):
        super().__init__(*args, **kwargs)
        self._known_count = known_count

    @property
    def count(self):
        return self._known_count


def with_total(qs):
    """`qs` with `total_rows` (`COUNT(*) OVER ()`, the whole filtered set) on every row."""
    return qs.annotate(**{TOTAL_ROWS: Window(Count("pk"))})


def page_with_total(qs, number, per_page: int) -> Page:
    """Page `number` of `qs` (as `Paginator.get_page`: a bad number gives page 1, one past the
    end gives the last page) in one query, reading the number of rows from the rows."""
    qs = with_total(qs)
    try:
        number = max(1, int(number))
    except (TypeError, ValueError):
        number = 1
    offset = (number - 1) * per_page
    # An absurd page number ("1" * 40) would overflow the database's OFFSET: it is past the end.
    rows = list(qs[offset : offset + per_page]) if offset <= MAX_OFFSET else []
    if rows or number == 1:
        return _page(qs, rows, number, per_page, getattr(rows[0], TOTAL_ROWS) if rows else 0)
    # Past the end: the first row knows how many there are; show the last page.
    first = list(qs[:1])
    count = getattr(first[0], TOTAL_ROWS) if first else 0
    last = max(1, -(-count // per_page))
    return _page(qs, list(qs[(last - 1) * per_page : last * per_page]), last, per_page, count)


def _page(qs, rows: list, number: int, per_page: int, count: int) -> Page:
    paginator = KnownCountPaginator(qs, per_page, known_count=count)
    return Page(rows, number, paginator)
