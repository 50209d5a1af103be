"""Reports of the organisations app (registered with core.reports from OrganizationsConfig.ready)."""

from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import reports
from organizations.filters import OrganizationFilter
from organizations.models import Organization


def directory_rows(params: dict, user=None):
    """The directory exactly as the page shows it for the same query string: the page's own
    OrganizationFilter (q, municipality, sector, kind, verified, and the filters other apps
    register, such as the transparency badge). Invalid filters match nothing, as the page
    shows no list for them either."""
    data = QueryDict(mutable=True)
    for name, value in params.items():
        data.setlist(name, value if isinstance(value, list) else [value])
    filterset = OrganizationFilter(data)
    qs = filterset.qs if filterset.is_valid() else Organization.objects.none()
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
