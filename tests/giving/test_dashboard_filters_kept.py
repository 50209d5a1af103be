"""The giving dashboard's filter form is kept per language and filters (it holds nothing
personal): each selection shows its own choices, a signed-in person's second page renders
none of it again, and a renamed municipality shows at the next request."""

import pytest
from django.urls import reverse

from core.models import Municipality
from giving import aggregates

pytestmark = pytest.mark.django_db


def _form(html: str) -> str:
    start = html.index('class="card card-body giving-filter"')
    return html[start : html.index("</form>", start)]


def test_each_selection_shows_its_own_choices_and_a_rename_shows_at_once(client, user):
    aggregates.refresh()
    client.force_login(user)
    url = reverse("giving:dashboard")
    plain = _form(client.get(url).content.decode())
    health = _form(client.get(url, {"cause": "health"}).content.decode())
    assert 'value="health" selected' in health and 'value="health" selected' not in plain
    assert _form(client.get(url, {"cause": "health", "page": "2"}).content.decode()) == health
    assert 'class="btn btn-link"' in health and 'class="btn btn-link"' not in plain  # "Clear filters"

    municipality = Municipality.objects.order_by("pk").first()
    municipality.name_sq = "Emri i ri i komunës"
    municipality.save()
    assert "Emri i ri i komunës" in _form(client.get(url).content.decode())


def test_a_kept_form_is_not_rendered_again(client, user):
    aggregates.refresh()
    client.force_login(user)
    url = reverse("giving:dashboard")
    client.get(url, {"year": "2024"})
    from django.template import loader

    rendered = []
    original = loader.render_to_string

    def spy(name, *args, **kwargs):
        rendered.append(name)
        return original(name, *args, **kwargs)

    import giving.views.dashboard as views

    views.render_to_string, saved = spy, views.render_to_string
    try:
        client.get(url, {"year": "2024"})
    finally:
        views.render_to_string = saved
    assert rendered.count("giving/includes/_dashboard_filters.html") == 0


def test_refused_filters_show_their_errors_in_the_form(client, user):
    client.force_login(user)
    response = client.get(reverse("giving:dashboard"), {"year": "abc"})
    assert response.status_code == 400
    assert "alert-danger" in _form(response.content.decode())
