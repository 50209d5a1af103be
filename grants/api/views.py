"""The grants API (/api/v1/grants/).

Public, anyone may read: published calls (`calls/`) and awarded grants (`awarded/`, the
public list's data; an individual recipient is never named).

Partners: `applications/` with a token holding the scope `grants:read` lists the sent
applications (never drafts) of the calls whose co-managers include the token's
organisation; any other application is a 404. KCSF staff signed in to the portal (with
their second factor passed) read every sent application. Anonymous requests get 401; a
token without the scope, or a signed-in person who is not staff, 403.

Every filter is validated: a malformed or unknown value is a 400 naming the parameter.
"""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import permissions, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny

from core.api.filters import NoBlankParametersForm, StrictBooleanFilter
from core.api.permissions import HasTokenScope
from core.models import Municipality, Sector
from core.reference_data import MUNICIPALITIES, SECTORS
from grants import selectors
from grants.api.serializers import AwardedGrantSerializer, CallSerializer, PartnerApplicationSerializer
from grants.choices import ApplicantType, ApplicationStatus, Eligibility, Stage
from grants.models import Application, Call, Grant
from organizations.models import ApiToken

# --- filters --------------------------------------------------------------------------------


@extend_schema_field({"type": "string", "enum": [m[0] for m in MUNICIPALITIES]})
class MunicipalityFilter(django_filters.ModelChoiceFilter):
    pass


@extend_schema_field({"type": "string", "enum": [s[0] for s in SECTORS]})
class SectorFilter(django_filters.ModelChoiceFilter):
    pass


@extend_schema_field({"type": "string", "minLength": 1, "maxLength": 80})
class CallSlugFilter(django_filters.CharFilter):
    """A call by its slug; an unknown slug matches nothing."""


@extend_schema_field({"type": "integer", "minimum": 2000, "maximum": 2100})
class YearFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


def _municipality(field_name: str) -> MunicipalityFilter:
    return MunicipalityFilter(
        field_name=field_name,
        to_field_name="slug",
        queryset=Municipality.objects.all(),
        label=_("Municipality (slug, e.g. prishtine)"),
    )


def _call(label) -> CallSlugFilter:
    return CallSlugFilter(field_name="call__slug", max_length=80, label=label)


class CallFilterForm(NoBlankParametersForm):
    NON_BLANK = ("phase", "applicant_type", "municipality", "sector", "two_stage")


class CallFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", max_length=100, label=_("Title contains"))
    phase = django_filters.ChoiceFilter(
        method="filter_phase",
        choices=[("upcoming", "upcoming"), ("open", "open"), ("closed", "closed")],
        label=_("Phase: upcoming, open or closed"),
    )
    applicant_type = django_filters.ChoiceFilter(
        method="filter_applicant_type", choices=ApplicantType.choices, label=_("Who may apply")
    )
    municipality = _municipality("municipalities")
    sector = SectorFilter(
        field_name="sectors", to_field_name="slug", queryset=Sector.objects.all(), label=_("Sector (slug)")
    )
    two_stage = StrictBooleanFilter(field_name="two_stage", label=_("Two-stage calls (true or false)"))

    class Meta:
        model = Call
        form = CallFilterForm
        fields = ["q", "phase", "applicant_type", "municipality", "sector", "two_stage"]

    def filter_q(self, queryset, name, value):
        from django.db.models import Q

        return queryset.filter(
            Q(title_sq__icontains=value) | Q(title_sr__icontains=value) | Q(title_en__icontains=value)
        )

    def filter_phase(self, queryset, name, value):
        return {"upcoming": queryset.upcoming, "open": queryset.open_now, "closed": queryset.closed}[value]()

    def filter_applicant_type(self, queryset, name, value):
        field = {
            ApplicantType.ORGANIZATION: "allow_organizations",
            ApplicantType.GROUP: "allow_groups",
            ApplicantType.INDIVIDUAL: "allow_individuals",
        }[value]
        return queryset.filter(**{field: True})


class AwardedFilterForm(NoBlankParametersForm):
    NON_BLANK = ("call", "year", "municipality", "applicant_type")


class AwardedFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_q", max_length=100, label=_("Search: recipient, project title, call, reference")
    )
    call = _call(_("Call (slug)"))
    year = YearFilter(
        field_name="awarded_at", lookup_expr="year", min_value=2000, max_value=2100, label=_("Year awarded")
    )
    municipality = _municipality("application__municipality")
    applicant_type = django_filters.ChoiceFilter(
        field_name="application__applicant_type", choices=ApplicantType.choices, label=_("Kind of recipient")
    )

    class Meta:
        model = Grant
        form = AwardedFilterForm
        fields = ["q", "call", "year", "municipality", "applicant_type"]

    def filter_q(self, queryset, name, value):
        return selectors.filter_public_grants(queryset, q=value)


class ApplicationFilterForm(NoBlankParametersForm):
    NON_BLANK = ("call", "status", "eligibility", "applicant_type", "stage", "municipality")


class ApplicationFilter(django_filters.FilterSet):
    call = _call(_("Call (slug)"))
    status = django_filters.ChoiceFilter(
        choices=[c for c in ApplicationStatus.choices if c[0] != ApplicationStatus.DRAFT], label=_("Status")
    )
    eligibility = django_filters.ChoiceFilter(choices=Eligibility.choices, label=_("Eligibility"))
    applicant_type = django_filters.ChoiceFilter(choices=ApplicantType.choices, label=_("Applying as"))
    stage = django_filters.ChoiceFilter(choices=Stage.choices, label=_("Stage"))
    municipality = _municipality("municipality")

    class Meta:
        model = Application
        form = ApplicationFilterForm
        fields = ["call", "status", "eligibility", "applicant_type", "stage", "municipality"]


# --- views ----------------------------------------------------------------------------------

SLUG_PARAMETER = OpenApiParameter(
    "slug",
    str,
    OpenApiParameter.PATH,
    required=True,
    pattern=r"^[-a-zA-Z0-9_]+$",
    description=_("The call's slug, as in its portal address."),
)


@extend_schema_view(
    list=extend_schema(
        summary=_("List published calls"),
        description=_(
            "Published calls for proposals, newest first, 50 a page, with who may apply, the "
            "budget and amounts, dates, targeting, the questions of the form and the rubric. "
            "Filter by phase, applicant type, municipality, sector, two stages and title."
        ),
    ),
    retrieve=extend_schema(
        summary=_("One published call"),
        description=_("A published call by its slug; any other slug is a 404."),
        parameters=[SLUG_PARAMETER],
    ),
)
class CallViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [AllowAny]  # public
    serializer_class = CallSerializer
    lookup_field = "slug"
    filter_backends = [DjangoFilterBackend]
    filterset_class = CallFilter

    def get_queryset(self):
        return selectors.public_calls()


IDENTIFIER_PARAMETER = OpenApiParameter(
    "identifier",
    str,
    OpenApiParameter.PATH,
    required=True,
    pattern=r"^[-a-zA-Z0-9_]+$",
    description=_("The grant's 360Giving identifier, e.g. 360G-KCSF-CEA-2026-0042."),
)


@extend_schema_view(
    list=extend_schema(
        summary=_("List awarded grants"),
        description=_(
            "Grants awarded through the portal, newest first, 50 a page: recipient (an "
            "individual is never named), call, amount in EUR, municipality, dates and purpose. "
            "Filter by call, year, municipality, kind of recipient and a search."
        ),
    ),
    retrieve=extend_schema(
        summary=_("One awarded grant"),
        description=_("An awarded grant by its 360Giving identifier; any other is a 404."),
        parameters=[IDENTIFIER_PARAMETER],
    ),
)
class AwardedGrantViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [AllowAny]  # public
    serializer_class = AwardedGrantSerializer
    lookup_field = "identifier"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"
    filter_backends = [DjangoFilterBackend]
    filterset_class = AwardedFilter

    def get_queryset(self):
        return selectors.public_grants()

    def get_object(self):
        grant = selectors.public_grant_by_identifier(self.kwargs["identifier"])
        if grant is None:
            raise NotFound()
        return grant


class CanReadApplications(permissions.BasePermission):
    """A token with `grants:read` (its organisation's co-managed calls), or KCSF staff
    signed in with their second factor passed (every call)."""

    message = _("This endpoint needs a partner API token with the scope grants:read.")

    def has_permission(self, request, view) -> bool:
        if isinstance(request.auth, ApiToken):
            scope_check = HasTokenScope()
            allowed = scope_check.has_permission(request, view)
            if not allowed:
                self.message = scope_check.message
            return allowed
        user = request.user
        if not (user and user.is_authenticated and user.is_staff and user.is_active):
            return False
        from accounts.middleware import staff_mfa_satisfied

        if not staff_mfa_satisfied(request._request):
            self.message = _("Staff must pass two-factor authentication first.")
            return False
        return True


REFERENCE_PARAMETER = OpenApiParameter(
    "reference",
    str,
    OpenApiParameter.PATH,
    required=True,
    pattern=r"^[-a-zA-Z0-9_]+$",
    description=_("The application's reference, e.g. CEA-2026-0042."),
)


@extend_schema_view(
    list=extend_schema(
        summary=_("List applications of co-managed calls (partners)"),
        description=_(
            "Needs a token with the scope grants:read. The sent applications (never drafts) of "
            "the calls the token's organisation co-manages, newest first, 50 a page, with the "
            "assessment figures, the decision and the answers of the latest revision. An "
            "individual applicant's name is withheld."
        ),
    ),
    retrieve=extend_schema(
        summary=_("One application of a co-managed call (partners)"),
        description=_(
            "Needs a token with the scope grants:read. An application of another call, or a draft, is a 404."
        ),
        parameters=[REFERENCE_PARAMETER],
    ),
)
class PartnerApplicationViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = PartnerApplicationSerializer
    lookup_field = "reference"
    permission_classes = [CanReadApplications]
    required_scopes = {ApiToken.Scope.GRANTS_READ}
    filter_backends = [DjangoFilterBackend]
    filterset_class = ApplicationFilter

    def get_queryset(self):
        token = getattr(self.request, "auth", None)
        if isinstance(token, ApiToken):
            return selectors.partner_applications(token.organization)
        # Without a token only staff pass the permission: they read every call.
        return selectors.partner_applications()
