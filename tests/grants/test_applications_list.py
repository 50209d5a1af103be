"""My applications: only the person's own and their organisations' applications, public
labels, the next action of each row, the deadline warning, and a query count that does
not grow with the rows."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from grants.choices import PUBLIC_LABELS, ApplicantType, ApplicationStatus
from grants.models import Grant
from grants.selectors import applications_for_applicant
from organizations.models import Membership
from tests.factories import UserFactory, member_of
from tests.grants.factories import ApplicationFactory, CallFactory, verified_cso
from tests.grants.test_applications_support import draft_application, in_status

pytestmark = pytest.mark.django_db
S = ApplicationStatus
URL = "/en/grants/my/"


def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_lists_own_and_organisation_applications_only(client, english):
    me = UserFactory()
    mine = draft_application(applicant=me)
    organization = verified_cso()
    colleague = member_of(organization, Membership.Role.OWNER)
    member_of_org = Membership.objects.create(organization=organization, user=me, role=Membership.Role.VIEWER)
    assert member_of_org
    theirs = in_status(
        S.SUBMITTED, applicant=colleague, applicant_type=ApplicantType.ORGANIZATION, organization=organization
    )
    stranger = in_status(S.UNDER_REVIEW)
    other_org = verified_cso(editor=UserFactory())
    ApplicationFactory(applicant_type=ApplicantType.ORGANIZATION, organization=other_org)

    assert set(applications_for_applicant(me)) == {mine, theirs}
    client.force_login(me)
    response = client.get(URL)
    assert response.status_code == 200
    shown = [row["application"] for row in response.context["rows"]]
    assert shown == [theirs, mine]  # newest first
    html = response.content.decode()
    assert stranger.reference not in html
    assert theirs.reference in html
    assert str(PUBLIC_LABELS[S.SUBMITTED]) in html
    assert str(S.SUBMITTED.label) not in html  # never the internal label
    # A viewer of the organisation may read, not continue: the row links to the page.
    assert reverse("grants:application_detail", kwargs={"pk": theirs.pk}) in html


def test_rows_offer_the_next_action(client, english):
    me = UserFactory()
    draft = draft_application(applicant=me)
    changes = in_status(S.CHANGES_REQUESTED, applicant=me)
    approved = in_status(S.APPROVED, applicant=me)
    rejected = in_status(S.REJECTED, applicant=me)
    client.force_login(me)
    rows = {row["application"].pk: row for row in client.get(URL).context["rows"]}
    assert rows[draft.pk]["action_url"] == reverse("grants:application_edit", kwargs={"pk": draft.pk})
    assert rows[draft.pk]["action_label"] == "Continue the draft"
    assert rows[changes.pk]["action_url"] == reverse("grants:application_edit", kwargs={"pk": changes.pk})
    assert rows[changes.pk]["action_label"] == "Respond to the request"
    assert rows[approved.pk]["action_url"] == reverse("grants:grant_detail", kwargs={"pk": approved.grant.pk})
    assert rows[rejected.pk]["action_url"].endswith("#decision")


def test_deadline_warning_for_a_draft_closing_soon(client, english):
    me = UserFactory()
    soon = draft_application(
        call=CallFactory(with_form=True, closes_at=timezone.now() + timedelta(days=2)), applicant=me
    )
    later = draft_application(applicant=me)
    client.force_login(me)
    response = client.get(URL)
    rows = {row["application"].pk: row for row in response.context["rows"]}
    assert rows[soon.pk]["deadline_soon"] and not rows[later.pk]["deadline_soon"]
    assert "Closes in" in response.content.decode()


def test_pagination_and_bad_page(client, english):
    me = UserFactory()
    call = CallFactory()
    for _ in range(21):
        ApplicationFactory(call=call, applicant=me)
    client.force_login(me)
    assert len(client.get(URL).context["rows"]) == 20
    assert len(client.get(URL + "?page=2").context["rows"]) == 1
    assert client.get(URL + "?page=abc").status_code == 200
    assert client.get(URL + "?page=99999999999999999999").status_code == 200


def _seed(user, organization, n):
    """n rows of every kind: drafts, organisation applications, approved with a grant, and
    applications waiting for the applicant."""
    call = CallFactory()
    for i in range(n):
        kind = i % 4
        if kind == 0:
            ApplicationFactory(call=call, applicant=user)
        elif kind == 1:
            ApplicationFactory(
                call=call,
                applicant=UserFactory(),
                applicant_type=ApplicantType.ORGANIZATION,
                organization=organization,
                status=S.SUBMITTED,
                reference=f"T-{call.pk}-{i}",
            )
        elif kind == 2:
            application = ApplicationFactory(
                call=call, applicant=user, status=S.APPROVED, reference=f"T-{call.pk}-{i}"
            )
            Grant.objects.create(application=application, call=call, amount=Decimal("1000.00"))
        else:
            ApplicationFactory(
                call=call, applicant=user, status=S.CHANGES_REQUESTED, reference=f"T-{call.pk}-{i}"
            )


def _count(client):
    client.get(URL)  # warm: the menu's flags are worked out once, then kept (core.navigation)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    return len(queries)


def test_query_count_does_not_grow_with_rows(client):
    me = UserFactory()
    organization = verified_cso(editor=me)
    client.force_login(me)
    _seed(me, organization, 4)
    few = _count(client)
    _seed(me, organization, 8)  # 3N rows in all
    many = _count(client)
    assert len(client.get(URL).context["rows"]) == 12
    assert few == many


@pytest.mark.parametrize("lang", ["sq", "sr-latn", "en"])
def test_renders_in_every_language(client, lang):
    me = UserFactory()
    application = in_status(S.SUBMITTED, applicant=me)
    client.force_login(me)
    with translation.override(lang):
        response = client.get(reverse("grants:my_applications"))
        assert response.status_code == 200
        assert str(PUBLIC_LABELS[S.SUBMITTED]) in response.content.decode()
        assert application.reference in response.content.decode()
