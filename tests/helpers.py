"""Helpers shared by the whole suite (plain functions; the fixtures live in conftest.py, and
test modules import helpers from here or from the factories, never from a conftest)."""

import socket
import threading
from contextlib import contextmanager

from django.utils import translation


def t(message: str, language: str = "sq", **params) -> str:
    """`message` as a page in `language` shows it (the portal's default language is sq)."""
    with translation.override(language):
        text = translation.gettext(message)
    return text % params if params else text


def login(client, user):
    """`client` signed in as `user` (left anonymous when `user` is None)."""
    if user is not None:
        client.force_login(user)
    return client


def load_reference_data():
    """The rows the data migrations load (municipalities, sectors, the site)."""
    from django.conf import settings
    from django.contrib.sites.models import Site

    from core.models import Municipality, Sector
    from core.reference_data import MUNICIPALITIES, SECTORS

    for slug, sq, sr, en in MUNICIPALITIES:
        Municipality.objects.update_or_create(
            slug=slug, defaults={"name_sq": sq, "name_sr": sr, "name_en": en}
        )
    for order, (slug, sq, sr, en) in enumerate(SECTORS):
        Sector.objects.update_or_create(
            slug=slug, defaults={"name_sq": sq, "name_sr": sr, "name_en": en, "ordering": order}
        )
    Site.objects.update_or_create(
        pk=settings.SITE_ID, defaults={"domain": "testserver", "name": "CEA Portal"}
    )
    Site.objects.clear_cache()


@contextmanager
def rows_for_the_scope(django_db_blocker):
    """For a fixture of module (or class) scope whose rows many tests share, built once: the
    rows go into a transaction that stays open while the tests run (each test's own
    transaction is a savepoint inside it, rolled back after the test, so every test sees the
    rows as built) and is rolled back at the end. Use the database inside `with
    django_db_blocker.unblock():`. The data-migration rows are put back first if a
    transactional test flushed them."""
    from django.db import transaction

    from core.models import Municipality

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        if not Municipality.objects.exists():
            load_reference_data()
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def sent_reminder_reads(queries, kind: str) -> list[set[int] | None]:
    """For each read a sweep made of the `core.SentReminder` rows of `kind` among captured
    queries (`CaptureQueriesContext`; its `already_sent`, not `remind_once`'s check of one
    reminder): the object ids the read was limited to, or None when it read every row of the
    kind ever sent."""
    import re

    reads = []
    for query in queries:
        sql = query["sql"]
        if not sql.startswith("SELECT") or '"core_sentreminder"' not in sql or f"'{kind}'" not in sql:
            continue
        if '"core_sentreminder"."user_id" =' in sql:
            continue  # remind_once: one (kind, object, person)
        limited = re.search(r'"core_sentreminder"\."object_id" IN \(([^)]*)\)', sql)
        reads.append({int(i) for i in limited.group(1).split(",")} if limited else None)
    return reads


# --- a Redis that refuses or hangs (tests of the cache failing soft) ---------------------------


def refusing_port() -> int:
    """A port of 127.0.0.1 nobody listens on: every connection to it is refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # closed again: connections to it are refused


class HungServer:
    """Accepts connections on 127.0.0.1 and never answers."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.connections: list[socket.socket] = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections.append(conn)  # kept open, never read nor answered

    def close(self):
        self.sock.close()
        for conn in self.connections:
            conn.close()


def scroll_width(page) -> int:
    """How wide the page's document is, in CSS pixels (more than the viewport: the page scrolls
    sideways). Read once the page has loaded; a click on a link may still be replacing the
    document when the caller asks, and then the old document is gone or the new one has no
    root yet, so the reading is tried again on the new document."""
    from playwright.sync_api import Error

    for _attempt in range(20):
        page.wait_for_load_state("load")
        try:
            width = page.evaluate(
                "document.documentElement && document.readyState === 'complete'"
                " ? document.documentElement.scrollWidth : null"
            )
        except Error:  # the document was replaced while the script ran
            width = None
        if width is not None:
            return width
        page.wait_for_timeout(100)
    raise AssertionError(f"{page.url} never finished loading")
