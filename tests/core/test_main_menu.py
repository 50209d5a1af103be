"""The navbar's main menu (core_tags.site_header) shows each person the entries meant for them,
in their language, though each process renders each variant only once."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import translation

from tests.factories import StaffFactory, UserFactory
from tests.helpers import t

pytestmark = pytest.mark.django_db


def menu(client, language="en") -> str:
    with translation.override(language):
        html = client.get(reverse("grants:call_list")).content.decode()
    start = html.index('<ul class="navbar-nav me-auto">')
    return html[start : html.index('<ul class="navbar-nav align-items-lg-center">', start)]


def test_visitors_see_the_public_entries_only(client):
    html = menu(client)
    assert "Awarded grants" in html and "My applications" not in html and "Manage grants" not in html


def test_signed_in_people_see_their_applications_but_not_reviews(client):
    client.force_login(UserFactory())
    html = menu(client)
    assert "My applications" in html and "My reviews" not in html and "Manage grants" not in html


def test_reviewers_see_their_reviews(client):
    reviewer = UserFactory()
    reviewer.groups.add(Group.objects.get(name="Grant reviewers"))
    client.force_login(reviewer)
    html = menu(client)
    assert "My reviews" in html and "Manage grants" not in html


def test_staff_see_the_management_pages(client):
    client.force_login(StaffFactory())
    html = menu(client)
    assert "My reviews" in html and "Manage grants" in html


def test_each_language_has_its_menu(client):
    assert t("Awarded grants", "sq") in menu(client, "sq")
    assert t("Awarded grants", "sr-latn") in menu(client, "sr-latn")
    assert "Awarded grants" in menu(client, "en")


def test_nobody_gets_someone_elses_menu(client):
    client.force_login(UserFactory(full_name="First Person"))
    first = menu(client)
    client.force_login(UserFactory(full_name="Second Person"))
    assert menu(client) == first
    assert "First Person" not in first


# --- the parts of the memoised header that belong to the request -----------------------------


def header(html: str) -> str:
    return html[html.index("<header>") : html.index("</header>")]


def test_the_language_switcher_links_to_this_page_escaped(client):
    # Issue 13: the switcher is plain links to this page in each language (was a form with `next`).
    with translation.override("en"):
        url = reverse("grants:call_list")
    html = header(client.get(url, {"q": '"><script>x</script>'}).content.decode())
    query = "q=%22%3E%3Cscript%3Ex%3C%2Fscript%3E"
    assert f'href="/sq/grants/?{query}" hreflang="sq"' in html
    assert f'href="/en/grants/?{query}" hreflang="en"' in html
    assert "<script>x" not in html
    with translation.override("en"):
        other_url = reverse("grants:awarded_list")
    other = header(client.get(other_url).content.decode())
    assert 'href="/sr-latn/grants/awarded/" hreflang="sr-latn"' in other and "placeholder" not in other


def test_the_sign_out_form_carries_this_requests_csrf_token(client):
    client.force_login(UserFactory())
    with translation.override("en"):
        url = reverse("grants:call_list")
    first = header(client.get(url).content.decode())
    second = header(client.get(url).content.decode())
    assert "placeholder" not in first
    tokens = [part.split('"')[0] for part in first.split('name="csrfmiddlewaretoken" value="')[1:]]
    assert len(tokens) == 1  # the sign-out form; the language switcher is links
    assert all(len(token) == 64 for token in tokens)
    assert tokens[0] not in second  # masked anew on each request, as {% csrf_token %} does


def test_an_anonymous_header_carries_no_token(client):
    with translation.override("en"):
        html = header(client.get(reverse("grants:call_list")).content.decode())
    assert "csrfmiddlewaretoken" not in html and "placeholder" not in html


def test_a_page_without_a_csrf_token_gets_no_empty_input():
    from django.template.loader import render_to_string

    html = render_to_string("base.html", {})
    assert "csrfmiddlewaretoken" not in html and "placeholder" not in html
