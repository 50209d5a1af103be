"""core.certificates: codes (unguessable, forgiving when typed), registered kinds rendered in
any language, idempotent issue, revocation, the PDF, and the public verification page that
shows only what the certificate states."""

import pytest
from django.utils import translation
from django.utils.translation import gettext_lazy

from core import certificates
from core.models import Certificate
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

KIND = "tests.attendance"


@pytest.fixture(autouse=True)
def _kind():
    certificates.register(
        KIND,
        title=gettext_lazy("Certificate"),
        statements=lambda facts: [f"{translation.get_language()}: {facts['days']} days"],
    )


def _issue(**kwargs):
    holder = kwargs.pop("holder", None) or UserFactory(
        full_name="Arta Krasniqi", preferred_language="sr-latn"
    )
    return certificates.issue(
        kind=KIND, holder_name=holder.full_name, facts={"days": 3}, holder=holder, **kwargs
    )


def test_codes_are_long_random_and_typed_back_forgivingly():
    codes = {certificates.new_code() for _ in range(200)}
    assert len(codes) == 200
    code = next(iter(codes))
    assert len(code) == 19 and code.count("-") == 3
    assert certificates.normalise_code(code.lower().replace("-", " ")) == code
    assert certificates.normalise_code("not a code") is None
    assert certificates.normalise_code("0000-1111-OOOO-IIII") is None  # look-alikes are never used


def test_issue_is_idempotent_for_the_same_facts_and_source():
    holder = UserFactory(full_name="Arta")
    first = certificates.issue(kind=KIND, holder_name="Arta", facts={"days": 3}, source=holder, holder=holder)
    again = certificates.issue(kind=KIND, holder_name="Arta", facts={"days": 3}, source=holder, holder=holder)
    other = certificates.issue(kind=KIND, holder_name="Arta", facts={"days": 4}, source=holder, holder=holder)
    assert first.pk == again.pk != other.pk
    assert first.language == "sq" or first.language == holder.preferred_language


def test_unknown_kind_is_refused():
    with pytest.raises(LookupError):
        certificates.issue(kind="nope", holder_name="x", facts={})


def test_text_in_the_active_language():
    certificate = _issue()
    with translation.override("en"):
        assert certificates.text(certificate)["statements"] == ["en: 3 days"]


def test_pdf_in_the_holders_language():
    certificate = _issue()
    data = certificates.pdf(certificate)
    assert data.startswith(b"%PDF")


def test_verification_page_shows_only_what_it_states(client):
    certificate = _issue()
    response = client.get(f"/en/verify/{certificate.code.lower()}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Arta Krasniqi" in body and "en: 3 days" in body and "Valid certificate" in body
    assert certificate.holder.email not in body


def test_verification_form_redirects_and_refuses_garbage(client):
    certificate = _issue()
    response = client.get("/en/verify/", {"code": certificate.code.replace("-", "")})
    assert response.status_code == 302 and response["Location"].endswith(f"/verify/{certificate.code}/")
    assert client.get("/en/verify/", {"code": "hello"}).status_code == 400
    assert client.get("/en/verify/ABCD-EFGH-JKMN-PQRS/").status_code == 404
    assert client.get("/en/verify/").status_code == 200


def test_a_revoked_certificate_says_so(client):
    certificate = certificates.revoke(certificate=_issue(), reason="error")
    assert not Certificate.objects.get(pk=certificate.pk).is_valid
    assert "revoked" in client.get(f"/en/verify/{certificate.code}/").content.decode()


def test_issue_is_idempotent_for_a_holder_name_longer_than_is_kept():
    """The name is kept to 200 characters: a longer one issued a new certificate every time."""
    holder = UserFactory(full_name="A" * 150, preferred_language="en")
    first = certificates.issue(kind=KIND, holder_name="B" * 250, facts={"days": 3}, holder=holder)
    again = certificates.issue(kind=KIND, holder_name="B" * 250, facts={"days": 3}, holder=holder)
    assert again.pk == first.pk
    assert Certificate.objects.count() == 1
