"""Words (issue 13, item 5): short words get a context where one msgid had two meanings
("to" of a date range and the recipient of an email), and the submission's "Revision N"
is data, shown in the reader's language."""

import pytest
from django.urls import reverse
from django.utils import translation

from core.models import EmailOutbox, StatusChange
from grants.models import PlannedActivity
from tests.factories import StaffFactory
from tests.grants.factories import submitted_application

pytestmark = pytest.mark.django_db


def msgid(model, field) -> tuple:
    """(context, msgid) of a field's label, or (msgid,) without context: the catalogues' key."""
    return tuple(model._meta.get_field(field).verbose_name._args)


def test_the_end_of_a_date_range_is_not_the_recipient_of_an_email():
    recipient = msgid(EmailOutbox, "to")
    assert msgid(PlannedActivity, "ends_on") != recipient
    assert msgid(StatusChange, "to_status") != recipient
    assert msgid(PlannedActivity, "ends_on") != msgid(StatusChange, "to_status")
    translated = {}
    for language in ("sq", "sr-latn"):
        with translation.override(language):
            translated[language] = (
                translation.pgettext(*msgid(PlannedActivity, "ends_on")),
                translation.pgettext(*recipient),
            )
    assert translated == {"sq": ("deri", "marrësi"), "sr-latn": ("do", "primalac")}


def test_the_printed_questions_name_the_work_plan_columns_as_a_date_range():
    from grants.views.calls import _field_label

    for language in ("sq", "sr-latn"):
        with translation.override(language):
            assert _field_label(PlannedActivity, "starts_on") == translation.pgettext("date range", "from")
            assert _field_label(PlannedActivity, "ends_on") == translation.pgettext("date range", "to")


@pytest.mark.parametrize(
    ("submitted_in", "reader", "shown", "not_shown"),
    [
        ("sr-latn", "en", "Revision 1", "Verzija 1"),
        ("en", "sq", "Versioni 1", "Revision 1"),
        ("sq", "sr-latn", "Verzija 1", "Versioni 1"),
    ],
)
def test_the_submission_note_is_shown_in_the_readers_language(client, submitted_in, reader, shown, not_shown):
    with translation.override(submitted_in):
        application = submitted_application()
    client.force_login(StaffFactory())
    with translation.override(reader):
        url = reverse("grants:staff_application", args=[application.pk])
    html = client.get(url).content.decode()
    assert f">{shown}</div>" in html and not_shown not in html


def test_an_older_note_stored_in_the_applicants_language_is_translated_too(client):
    application = submitted_application()
    StatusChange.objects.filter(application=application).update(note="Verzija 1")
    client.force_login(StaffFactory())
    with translation.override("en"):
        url = reverse("grants:staff_application", args=[application.pk])
    html = client.get(url).content.decode()
    assert ">Revision 1</div>" in html and "Verzija" not in html
