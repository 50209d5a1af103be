"""Badge pages: the methodology in three languages, an organisation's badge status (members
only), the embeddable SVG, and the badge in the CSO directory and on profiles."""

import datetime
import re
from xml.etree import ElementTree

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from core.models import Municipality, Sector
from organizations.models import Organization
from tests import factories
from tests.transparency.factories import TransparencyReportFactory
from transparency import badges
from transparency.choices import BadgeLevel, DocumentKind, ReportStatus
from transparency.models import OrganizationBadge, ReportDocument
from transparency.services import badges as badges_services

pytestmark = pytest.mark.django_db

SVG_NS = "{http://www.w3.org/2000/svg}"


def en(name, **kwargs):
    with translation.override("en"):
        return reverse(name, kwargs=kwargs or None)


def text(response) -> str:
    return response.content.decode()


def give_badge(org, level, *, score=None, year=2025):
    scores = {"none": 0, "bronze": 50, "silver": 70, "gold": 95}
    return OrganizationBadge.objects.update_or_create(
        organization=org,
        defaults={"level": level, "score": scores[level] if score is None else score, "year": year},
    )[0]


def publish_for_today(org, *, documents=()):
    """A complete report for the due year, submitted on time (bronze, or silver with the statement)."""
    due = badges.due_year(timezone.localdate())
    when = timezone.make_aware(datetime.datetime(due + 1, 1, 15, 12))
    report = TransparencyReportFactory(
        organization=org,
        year=due,
        status=ReportStatus.PUBLISHED,
        submitted_at=when,
        published_at=when,
        board=3,
    )
    for kind in documents:
        ReportDocument.objects.create(report=report, kind=kind, file=f"t/{kind}.pdf", original_name="x.pdf")
    return report


# --- methodology ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "lang,heading",
    [
        ("en", "How the transparency badge is awarded"),
        ("sq", None),
        ("sr-latn", None),
    ],
)
def test_methodology_in_each_language(client, lang, heading):
    response = client.get(f"/{lang}/transparency/badges/")
    assert response.status_code == 200
    html = text(response)
    assert f'<html lang="{lang}">' in html
    if heading:
        assert heading in html
    with translation.override(lang):
        for rule in badges.RULES:  # generated from the same data as the computation
            assert f'id="rule-{rule.code}"' in html
            row = html.split(f'id="rule-{rule.code}"')[1].split("</tr>")[0]
            assert f">{rule.weight}</td>" in row
            assert str(rule.title) in html or str(rule.title).replace("'", "&#x27;") in html
        for level in badges.LEVELS:
            row = html.split(f'id="level-{level.level}"')[1].split("</tr>")[0]
            assert f"<td>{level.min_score}</td>" in row
            for code in level.required:
                assert f'href="#rule-{code}"' in row


def test_methodology_english_content(client):
    html = text(client.get(en("transparency:methodology")))
    assert "June 30" in html or "30 June" in html
    assert "Three consecutive years" in html
    assert "Transparency: Gold" in html  # the levels are labelled, not only coloured


# --- badge status (members only) ----------------------------------------------------------------

STATUS_ROLES = [
    ("anonymous", 302),
    ("citizen", 403),
    ("viewer", 200),
    ("editor", 200),
    ("owner", 200),
    ("staff", 200),
]


@pytest.mark.parametrize("role,status", STATUS_ROLES)
def test_badge_status_permissions(client, org_roles, role, status):
    org = org_roles["organization"]
    publish_for_today(org)
    if org_roles[role] is not None:
        client.force_login(org_roles[role])
    response = client.get(en("transparency:badge_status", slug=org.slug))
    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith(reverse("account_login"))
    elif status == 403:
        assert "Score:" not in text(response)
    else:
        assert "Score: 70 of 100" in text(response)


def test_badge_status_of_an_unknown_or_inactive_organisation_is_404(client, org_roles):
    client.force_login(org_roles["staff"])
    assert client.get(en("transparency:badge_status", slug="no-such-org")).status_code == 404
    Organization.objects.filter(pk=org_roles["organization"].pk).update(is_active=False)
    slug = org_roles["organization"].slug
    assert client.get(en("transparency:badge_status", slug=slug)).status_code == 404


def test_member_of_another_organisation_is_403(client, org_roles):
    other = factories.OrganizationFactory()
    from tests.factories import member_of

    client.force_login(member_of(other, "owner"))
    response = client.get(en("transparency:badge_status", slug=org_roles["organization"].slug))
    assert response.status_code == 403


def test_badge_status_shows_rules_and_what_is_missing(client, org_roles):
    org = org_roles["organization"]
    publish_for_today(org)  # 70 points, no financial statement: bronze
    client.force_login(org_roles["viewer"])
    response = client.get(en("transparency:badge_status", slug=org.slug))
    html = text(response)
    evaluation = response.context["evaluation"]
    assert evaluation.level == BadgeLevel.BRONZE
    assert "Transparency: Bronze" in html
    for rule in evaluation.rules:
        row = re.search(rf'<tr data-rule="{rule.code}" data-met="(yes|no)">(.*?)</tr>', html, re.S)
        assert row and row.group(1) == ("yes" if rule.met else "no")
        assert rule.reason.replace("'", "&#x27;") in row.group(2)
    # what is missing for silver: the statement, marked as required
    missing = html.split('id="next-h"')[1].split("</section>")[0]
    # 70 points are enough for silver: the page says so, and leads with the real blocker.
    assert "For Silver you need a score of at least 65." not in html
    assert "Your score is already enough for Silver" in missing
    assert "Required for Silver" in missing
    assert missing.index("Financial statement uploaded") < missing.index("Audit report uploaded")
    # the stored badge is older (none yet): say it will be updated
    assert "The public badge is updated when a report is published" in html


def test_badge_status_leads_with_what_is_missing(client, org_roles):
    """Issue 13, item 6: the first thing said after the score is the rule that blocks the
    next level (no financial statement), not a score threshold the score already passes."""
    org = org_roles["organization"]
    publish_for_today(org)  # 70 points, no financial statement: bronze
    client.force_login(org_roles["owner"])
    html = text(client.get(en("transparency:badge_status", slug=org.slug)))
    now = html.split('id="now-h"')[1].split("</section>")[0]
    lead = re.search(r"<p[^>]*data-blockers>(.*?)</p>", now, re.S)
    assert lead and "For Silver you still need:" in lead.group(1)
    assert "Financial statement uploaded" in lead.group(1) and "more point" not in lead.group(1)
    assert html.index("Financial statement uploaded") < html.index('id="next-h"')


def test_badge_status_embed_code(client, org_roles):
    org = org_roles["organization"]
    Organization.objects.filter(pk=org.pk).update(name='Ana "Zëri" & Co')
    client.force_login(org_roles["owner"])
    html = text(client.get(en("transparency:badge_status", slug=org.slug)))
    profile = f"http://testserver/en/organizations/{org.slug}/"
    svg = f"http://testserver/en/transparency/badges/{org.slug}.svg"
    # the preview is a real link with the image; the textarea holds the same code, escaped once more
    assert (
        f'<a href="{profile}"><img src="{svg}" alt="Transparency badge of Ana &quot;Zëri&quot; &amp; Co"'
        in html
    )
    code = html.split('id="embed-code"')[1].split("</textarea>")[0]
    assert f"&lt;a href=&quot;{profile}&quot;&gt;&lt;img src=&quot;{svg}&quot;" in code
    assert "Ana &amp;quot;Zëri&amp;quot; &amp;amp; Co" in code


def test_gold_status_has_no_next_level(client, org_roles):
    org = org_roles["organization"]
    due = badges.due_year(timezone.localdate())
    for year in (due - 2, due - 1):
        TransparencyReportFactory(organization=org, year=year, published=True, board=3)
    report = publish_for_today(org, documents=(DocumentKind.FINANCIAL_STATEMENT, DocumentKind.AUDIT_REPORT))
    assert report.year == due
    client.force_login(org_roles["editor"])
    html = text(client.get(en("transparency:badge_status", slug=org.slug)))
    assert "You hold the highest level." in html
    assert "Score: 100 of 100" in html


# --- the SVG ------------------------------------------------------------------------------------


def _svg(response):
    return ElementTree.fromstring(response.content)


def test_svg_of_a_badge(client):
    org = factories.OrganizationFactory(name="Zëri & Co")
    give_badge(org, "gold", year=2025)
    response = client.get(en("transparency:badge_svg", slug=org.slug))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    assert "max-age=3600" in response["Cache-Control"] and "public" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Resource-Policy"] == "cross-origin"
    root = _svg(response)  # well-formed XML
    assert root.tag == f"{SVG_NS}svg" and root.get("role") == "img"
    title = root.find(f"{SVG_NS}title").text
    assert title == "CEA Transparency badge: Gold, report 2025 — Zëri & Co"
    texts = [t.text for t in root.iter(f"{SVG_NS}text")]
    assert texts == ["CEA Transparency", "Gold", "Report 2025"]
    assert "#f2c94c" in text(response)
    assert root.find(f".//{SVG_NS}script") is None and "<style" not in text(response)


def test_svg_csp_forbids_script(client):
    org = factories.OrganizationFactory()
    response = client.get(en("transparency:badge_svg", slug=org.slug))
    policy = {
        parts[0]: parts[1:]
        for parts in (d.strip().split() for d in response["Content-Security-Policy"].split(";"))
        if parts
    }
    assert policy["default-src"] == ["'none'"]
    assert policy["script-src"] == ["'none'"]
    assert policy["style-src"] == ["'none'"]  # the SVG uses presentation attributes only
    assert "nonce" not in response["Content-Security-Policy"]


@pytest.mark.parametrize("level", [None, "none"])
def test_svg_without_a_badge(client, level):
    org = factories.OrganizationFactory(name="Small Org")
    if level:
        give_badge(org, level)
    response = client.get(en("transparency:badge_svg", slug=org.slug))
    assert response.status_code == 200
    root = _svg(response)
    assert [t.text for t in root.iter(f"{SVG_NS}text")] == ["CEA Transparency", "No badge yet"]
    assert root.find(f"{SVG_NS}title").text == "CEA Transparency: no badge yet — Small Org"


@pytest.mark.parametrize("lang", ["sq", "sr-latn", "en"])
def test_svg_in_each_language(client, lang):
    org = factories.OrganizationFactory()
    give_badge(org, "silver")
    response = client.get(f"/{lang}/transparency/badges/{org.slug}.svg")
    assert response.status_code == 200
    root = _svg(response)
    assert root.get("lang") == lang
    with translation.override(lang):
        assert [t.text for t in root.iter(f"{SVG_NS}text")][1] == str(BadgeLevel.SILVER.label)


def test_svg_unknown_or_inactive_is_404(client):
    assert client.get(en("transparency:badge_svg", slug="no-such-org")).status_code == 404
    org = factories.OrganizationFactory(is_active=False)
    give_badge(org, "gold")
    assert client.get(en("transparency:badge_svg", slug=org.slug)).status_code == 404


def test_svg_head_and_methods(client):
    org = factories.OrganizationFactory()
    url = en("transparency:badge_svg", slug=org.slug)
    assert client.head(url).status_code == 200
    assert client.post(url).status_code == 405


# --- directory and profile -----------------------------------------------------------------------


def test_directory_filter_by_level(client):
    gold = factories.OrganizationFactory(name="Gold Org")
    silver = factories.OrganizationFactory(name="Silver Org")
    bronze = factories.OrganizationFactory(name="Bronze Org")
    none = factories.OrganizationFactory(name="None Org")
    plain = factories.OrganizationFactory(name="Plain Org")  # no badge row at all
    for org, level in ((gold, "gold"), (silver, "silver"), (bronze, "bronze"), (none, "none")):
        give_badge(org, level)
    url = en("organizations:directory")

    everyone = {o.name for o in (gold, silver, bronze, none, plain)}

    def names(params):
        # From the page's text: `?badge=` is the same page as no filter, served to a visitor
        # from the copy kept of it (core.page_cache), without a template context.
        response = client.get(url, params)
        assert response.status_code == 200
        return {name for name in everyone if name in response.content.decode()}

    assert names({}) == everyone
    assert names({"badge": ""}) == everyone
    assert names({"badge": "bronze"}) == {"Gold Org", "Silver Org", "Bronze Org"}
    assert names({"badge": "silver"}) == {"Gold Org", "Silver Org"}
    assert names({"badge": "gold"}) == {"Gold Org"}
    assert names({"badge": "gold", "q": "silver"}) == set()
    response = client.get(url, {"badge": "platinum"})
    assert response.status_code == 400
    assert "Select a valid choice" in text(response)


def test_directory_has_the_badge_filter_field(client):
    html = text(client.get(en("organizations:directory")))
    assert '<label class="form-label" for="id_badge">Transparency badge</label>' in html
    assert '<option value="silver">Silver or better</option>' in html


def test_badge_on_cards(client):
    gold = factories.OrganizationFactory(name="Alpha Gold")
    factories.OrganizationFactory(name="Beta Plain")
    none = factories.OrganizationFactory(name="Gamma None")
    give_badge(gold, "gold")
    give_badge(none, "none")
    html = text(client.get(en("organizations:directory")))
    cards = html.split('<article class="card')
    alpha = next(c for c in cards if "Alpha Gold" in c)
    beta = next(c for c in cards if "Beta Plain" in c)
    gamma = next(c for c in cards if "Gamma None" in c)
    assert 'data-badge-level="gold"' in alpha and "Transparency: Gold" in alpha
    assert "Transparency:" not in beta and "Transparency:" not in gamma


def test_badge_on_the_profile(client):
    org = factories.OrganizationFactory()
    give_badge(org, "silver", score=72, year=2025)
    html = text(client.get(en("organizations:detail", slug=org.slug)))
    assert "Transparency: Silver (2025)" in html
    assert "Transparency score 72 of 100" in html
    assert f'href="{en("transparency:methodology")}"' in html
    assert en("transparency:badge_status", slug=org.slug) not in html  # members only


def test_profile_links_members_to_their_status(client, org_roles):
    org = org_roles["organization"]
    client.force_login(org_roles["viewer"])
    html = text(client.get(en("organizations:detail", slug=org.slug)))
    assert "No transparency badge yet." in html
    assert en("transparency:badge_status", slug=org.slug) in html


def test_publish_flow_shows_the_badge_in_the_directory(client):
    """recompute() (what publishing calls) → the directory shows and filters the badge."""
    org = factories.OrganizationFactory(name="Fresh Org")
    publish_for_today(org, documents=(DocumentKind.FINANCIAL_STATEMENT,))
    badges_services.recompute(org)
    response = client.get(en("organizations:directory"), {"badge": "silver"})
    assert [o.name for o in response.context["organizations"]] == ["Fresh Org"]
    assert "Transparency: Silver" in text(response)


@pytest.mark.parametrize("params", [{}, {"badge": "bronze"}])
def test_directory_query_count_with_badges_does_not_grow(client, params):
    municipalities = list(Municipality.objects.all()[:5])
    sectors = list(Sector.objects.all()[:3])
    levels = ["bronze", "silver", "gold", "none"]

    def seed(n):
        for i in range(n):
            org = factories.OrganizationFactory(
                municipality=municipalities[i % 5], sectors=sectors[: 1 + i % 3]
            )
            give_badge(org, levels[i % 4])
            factories.OrganizationFactory(municipality=municipalities[i % 5])  # no badge row

    def count():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(en("organizations:directory"), params)
        assert response.status_code == 200
        return len(ctx.captured_queries), len(response.context["organizations"])

    count()  # the filter form's choices are listed once per process (core.widgets.MemoSelect)
    seed(4)
    few, shown_few = count()
    seed(6)
    many, shown_many = count()
    assert shown_many > shown_few
    assert few == many
    assert many <= 8


# --- admin ----------------------------------------------------------------------------------------


@pytest.fixture
def admin_client(client, settings):
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != "accounts.middleware.StaffMFAMiddleware"]
    client.force_login(factories.StaffFactory(is_superuser=True))
    return client


def test_admin_lists_badges_and_recomputes(admin_client):
    org = factories.OrganizationFactory(name="Admin Org")
    publish_for_today(org)
    badge = give_badge(org, "gold", score=99)  # stale: the reports earn bronze
    url = reverse("admin:transparency_organizationbadge_changelist")
    response = admin_client.get(url)
    assert response.status_code == 200 and "Admin Org" in text(response)
    assert admin_client.get(reverse("admin:transparency_organizationbadge_add")).status_code == 403
    response = admin_client.post(
        url, {"action": "recompute_badges", "_selected_action": [badge.pk]}, follow=True
    )
    assert response.status_code == 200
    badge.refresh_from_db()
    assert (badge.level, badge.score) == (BadgeLevel.BRONZE, 70)


# --- the extension points of organizations -----------------------------------------------------


def test_extension_points_are_registered_once():
    import django_filters
    from django.apps import apps

    from organizations import extensions
    from organizations.api.filters import OrganizationFilter as ApiFilter
    from organizations.filters import OrganizationFilter
    from transparency.apps import TransparencyConfig

    config = apps.get_app_config("transparency")
    assert isinstance(config, TransparencyConfig)
    config.ready()  # a second ready() (autoreload, tests) must not duplicate anything
    assert extensions.template_snippets("card") == ["transparency/includes/_badge_card.html"]
    profile = extensions.template_snippets("profile")  # other apps add theirs (opportunities, ...)
    assert profile.count("transparency/includes/_badge_profile.html") == 1
    assert extensions.extension_filter_names(OrganizationFilter) == ["badge"]
    assert extensions.extension_filter_names(ApiFilter) == ["badge"]
    assert set(extensions.api_fields()) == {"badge_level"}
    qs = extensions.apply_directory_queryset_hooks(Organization.objects.all())
    assert qs.query.select_related == {"transparency_badge": {}}

    # a FilterSet created after the registration gets the filter too
    @extensions.extensible_filterset
    class Later(django_filters.FilterSet):
        class Meta:
            model = Organization
            fields = ["kind"]

    assert "badge" in Later.base_filters
    assert Later.base_filters["badge"] is not OrganizationFilter.base_filters["badge"]
    extensions._filtersets.remove(Later)
