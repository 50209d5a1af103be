"""Issue 13, item 2 (dates): each language writes dates and times its own way (config/formats),
on pages, in emails and in PDFs — never the American "11/20/2026 11:02 p.m."."""

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import translation

from core import exports
from core.models import EmailOutbox
from core.notifications import email_user_template
from tests.factories import InvitationFactory

MOMENT = datetime.datetime(2026, 11, 20, 23, 2, tzinfo=ZoneInfo("Europe/Belgrade"))
DAY = datetime.date(2026, 3, 5)

EXPECTED = {
    # language: (DATE, DATETIME, SHORT_DATE, SHORT_DATETIME)
    "sq": ("20 nëntor 2026", "20 nëntor 2026, 23:02", "20.11.2026", "20.11.2026 23:02"),
    "sr-latn": ("20. novembra 2026", "20. novembra 2026. 23:02", "20.11.2026", "20.11.2026. 23:02"),
    "en": ("20 November 2026", "20 November 2026, 23:02", "20 Nov 2026", "20 Nov 2026, 23:02"),
}
TEMPLATE = (
    '{{ m|date:"DATE_FORMAT" }}|{{ m|date:"DATETIME_FORMAT" }}|{{ m|date:"SHORT_DATE_FORMAT" }}|'
    '{{ m|date:"SHORT_DATETIME_FORMAT" }}'
)


@pytest.mark.parametrize("language", EXPECTED)
def test_each_language_writes_dates_its_own_way(language):
    with translation.override(language):
        rendered = Template(TEMPLATE).render(Context({"m": MOMENT}))
        plain = Template("{{ m }}").render(Context({"m": MOMENT}))
    assert rendered.split("|") == list(EXPECTED[language])
    assert plain == EXPECTED[language][1]  # a datetime printed as it is
    assert "p.m." not in rendered and "11/20/2026" not in rendered


@pytest.mark.parametrize("language", EXPECTED)
def test_pdf_tables_write_dates_in_the_language(language, monkeypatch):
    seen = {}
    monkeypatch.setattr(
        exports, "html_to_pdf", lambda out, html, base_url=None: seen.setdefault("html", html)
    )
    with translation.override(language):
        exports.write_pdf(io.BytesIO(), ["When", "Day"], [[MOMENT, DAY]], title="T")
    assert f"<td>{EXPECTED[language][3]}</td>" in seen["html"]
    assert "2026-03-05" not in seen["html"]
    with translation.override(language):
        assert exports._pdf_text(DAY) in seen["html"]


def test_csv_keeps_iso_dates_for_programs():
    out = io.BytesIO()
    exports.write_csv(out, ["When", "Day"], [[MOMENT, DAY]])
    assert "2026-11-20 23:02,2026-03-05" in out.getvalue().decode("utf-8-sig")


@pytest.mark.django_db
@pytest.mark.parametrize("language", EXPECTED)
def test_emails_write_dates_in_the_recipients_language(language):
    invitation = InvitationFactory(expires_at=MOMENT)
    email_user_template(
        to=invitation.email,
        language=language,
        template="organizations/email/invitation",
        context={"invitation": invitation, "organization": invitation.organization, "inviter": None},
    )
    body = EmailOutbox.objects.get(to=invitation.email).body_text
    assert EXPECTED[language][0] in body
