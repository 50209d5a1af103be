"""Which public pages (core.page_cache) a change of giving data makes out of date.

The dashboard shows the aggregates and the verified records: a record saved or deleted through
the ORM touches the topic, and so do `giving.aggregates.refresh_on_commit` (every write that
changes records calls it, bulk imports included) and `refresh` (the numbers changed)."""

from core.page_cache import GIVING, ORGANIZATIONS, REFERENCE, touch_on_change

# The dashboard shows donors' and recipients' organisations and municipalities too.
PAGE_TOPICS = (GIVING, ORGANIZATIONS, REFERENCE)


def connect() -> None:
    from giving.models import GivingRecord

    touch_on_change(GIVING, GivingRecord)
