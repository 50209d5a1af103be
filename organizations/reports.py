"""Reports of the organisations app (registered with core.reports from OrganizationsConfig.ready)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import reports
from core.models import Municipality, Sector
from organizations import selectors
from organizations.models import Organization

TRUE_VALUES = {"1", "true", "on", "yes"}


def _first(params: dict, name: str) -> str:
    value = params.get(name, "")
    if isinstance(value, list):
        value = value[0] if value else ""
    return str(value).strip()


def directory_rows(params: dict, user=None):
    """The directory as the page shows it for the same query string: q, municipality
    (slug), sector (slug), kind, verified. An unknown slug or kind matches nothing, as an
    invalid filter would not widen the list on the page either."""
    municipality = sector = None
    empty = False
    if slug := _first(params, "municipality"):
        municipality = Municipality.objects.filter(slug=slug).first()
        empty |= municipality is None
    if slug := _first(params, "sector"):
        sector = Sector.objects.filter(slug=slug).first()
        empty |= sector is None
    kind = _first(params, "kind")
    empty |= bool(kind) and kind not in Organization.Kind.values
    qs = selectors.directory_search(
        query=_first(params, "q"),
        municipality=municipality,
        sector=sector,
        kind=kind,
        verified_only=_first(params, "verified").lower() in TRUE_VALUES,
    )
    if empty:
        qs = qs.none()
    return qs.count(), (_directory_row(org) for org in qs.iterator(chunk_size=500))


def _directory_row(org: Organization) -> list:
    return [
        org.name,
        org.get_kind_display(),
        org.registration_number,
        org.municipality.name,
        "; ".join(s.name for s in org.sectors.all()),
        org.email,
        org.phone,
        org.website,
        org.get_verification_status_display(),
        timezone.localtime(org.created_at),
    ]


reports.register(
    kind="organizations.directory",
    title=_("CSO directory"),
    columns=[
        _("name"),
        _("kind"),
        _("registration number"),
        _("municipality"),
        _("sectors"),
        _("email"),
        _("phone"),
        _("website"),
        _("verification"),
        _("created"),
    ],
    rows=directory_rows,
    formats=("csv", "xlsx"),
    permission="organizations.export_directory",
    params=("q", "municipality", "sector", "kind", "verified"),
)
