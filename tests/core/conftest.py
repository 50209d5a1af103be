from types import SimpleNamespace

import pytest
from django.core.files.storage import FileSystemStorage
from django.utils.translation import gettext_lazy as _

from core import reports
from core.models import ReportJob

OPEN_KIND = "tests.numbers"


@pytest.fixture
def private_media(tmp_path, monkeypatch):
    """Report files go to a temporary private storage instead of private_media/."""
    storage = FileSystemStorage(location=tmp_path / "private", base_url=None)
    monkeypatch.setattr(ReportJob._meta.get_field("file"), "storage", storage)
    return storage


@pytest.fixture
def open_report():
    """A report any signed-in user may run: rows 1..n (n from params, default 3)."""
    calls = []

    def rows(params, user):
        calls.append((params, user))
        n = int(params.get("n", 3))
        return n, ([i, f"row {i}", "Ëç Šđ"] for i in range(1, n + 1))

    report = reports.register(
        kind=OPEN_KIND,
        title=_("Numbers"),
        columns=[_("number"), _("label"), _("letters")],
        rows=rows,
        params=("n",),
    )
    yield SimpleNamespace(report=report, kind=OPEN_KIND, calls=calls)
    reports.unregister(OPEN_KIND)


@pytest.fixture(autouse=True)
def _throttle_clock_mid_window(monkeypatch):
    """The API throttles count per fixed window (a minute): their clock stands still in the
    middle of one, so that a test's requests never straddle two windows."""
    from core.api import throttling

    monkeypatch.setattr(throttling._FixedWindowMixin, "timer", lambda self: 1_800_000_030.0, raising=False)
