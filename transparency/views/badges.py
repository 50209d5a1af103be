"""Badge pages: the public methodology, an organisation's badge status (members), and the
embeddable SVG badge."""

from csp.constants import NONE
from csp.decorators import csp
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_http_methods

from core.page_cache import anonymous_cache
from core.permissions import permission, public
from organizations.models import Organization
from transparency import badges
from transparency.selectors import badges as badges_selectors
from transparency.signals import PAGE_TOPICS

SVG_MAX_AGE = 60 * 60  # one hour: a new badge shows on other websites within the hour


def _active_organization(slug: str) -> Organization:
    return get_object_or_404(
        Organization.objects.filter(is_active=True).select_related("transparency_badge"), slug=slug
    )


@public
@anonymous_cache(topics=PAGE_TOPICS)
@require_http_methods(["GET", "HEAD"])
def methodology(request):
    return render(
        request,
        "transparency/methodology.html",
        {"method": badges_selectors.methodology()},
    )


def load_organization(request, slug, **kwargs) -> Organization:
    return _active_organization(slug)


@permission(
    "organizations.view_organization_private",
    load=load_organization,
    pass_as="organization",
    message=gettext_lazy("Only the organisation's members can see its badge status."),
)
@require_http_methods(["GET", "HEAD"])
def badge_status(request, slug, organization):
    """An organisation's members (and staff) see the level it earns now, each rule with its
    reason, what is missing for the next level, and the code to embed the badge."""
    evaluation = badges.evaluate(organization)
    stored = badges_selectors.badge_of(organization)
    profile_url = request.build_absolute_uri(organization.get_absolute_url())
    svg_url = request.build_absolute_uri(
        reverse("transparency:badge_svg", kwargs={"slug": organization.slug})
    )
    return render(
        request,
        "transparency/badge_status.html",
        {
            "organization": organization,
            "evaluation": evaluation,
            "stored": stored,
            "stored_differs": (stored.level if stored else "none") != evaluation.level
            or (stored.score if stored else 0) != evaluation.score,
            "embed_code": format_html(
                '<a href="{}"><img src="{}" alt="{}" width="252" height="44"></a>',
                profile_url,
                svg_url,
                _("Transparency badge of %(name)s") % {"name": organization.name},
            ),
        },
    )


# The SVG is an image: it needs nothing, and no script may run in it even when opened
# directly. Drawn with presentation attributes only (no <style>), so style-src stays 'none'.
SVG_CSP = {
    "default-src": [NONE],
    "script-src": [NONE],
    "style-src": [NONE],
    "img-src": [NONE],
    "base-uri": [NONE],
    "form-action": [NONE],
    "frame-ancestors": [NONE],
}


@public
@csp(SVG_CSP)
@cache_control(public=True, max_age=SVG_MAX_AGE)
@require_http_methods(["GET", "HEAD"])
def badge_svg(request, slug):
    organization = _active_organization(slug)
    badge = badges_selectors.badge_of(organization)
    level = badge.level if badge is not None else badges.BadgeLevel.NONE
    has_badge = level != badges.BadgeLevel.NONE
    content = render_to_string(
        "transparency/badge.svg",
        {
            "organization": organization,
            "has_badge": has_badge,
            "level": level,
            "level_label": badges.BadgeLevel(level).label,
            "year": badge.year if has_badge else None,
        },
    )
    response = HttpResponse(content, content_type="image/svg+xml; charset=utf-8")
    # Other websites embed it with <img>: allow that even under their
    # Cross-Origin-Embedder-Policy.
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response
