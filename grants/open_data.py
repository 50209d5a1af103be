"""Open data of awarded grants: the public list's filter, its rows (CSV/XLSX) and the
360Giving Data Standard mapping (JSON and the flattened CSV).

Privacy: a grant to an individual never names the person. The recipient is shown as
"Individual (withheld for privacy)", its 360Giving `recipientIndividual` gets an
identifier made from the grant's reference (not linkable to the person or to their other
grants) and the project's summary, free text the person wrote, is not published (as the
360Giving guidance on grants to individuals asks). Group members are never published.

Every function takes grants from `grants.selectors.public_grants()` (call, application,
organisation and municipality already joined), so rows cost no further queries.
"""

import json
from collections.abc import Iterable, Iterator
from decimal import Decimal

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Municipality
from core.widgets import ListSelect
from grants.choices import ApplicantType
from grants.models import Call, Grant

INDIVIDUAL_WITHHELD = _("Individual (withheld for privacy)")
INDIVIDUAL_360_NAME = "Individual recipient (withheld)"
CHUNK_SIZE = 2000
PAGE_SIZE = 50


class AwardedFilterForm(forms.Form):
    """The public list's filters; the same parameters drive its downloads."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"class": "form-control", "type": "search"}),
    )
    call = forms.ModelChoiceField(
        label=_("Call"),
        required=False,
        queryset=Call.objects.none(),
        to_field_name="slug",
        empty_label=_("All calls"),
        widget=ListSelect(attrs={"class": "form-select"}),
    )
    year = forms.TypedChoiceField(
        label=_("Year awarded"),
        required=False,
        coerce=int,
        empty_value=None,
        widget=ListSelect(attrs={"class": "form-select"}),
    )
    municipality = forms.ModelChoiceField(
        label=_("Municipality"),
        required=False,
        queryset=Municipality.objects.all(),
        to_field_name="slug",
        empty_label=_("All municipalities"),
        widget=ListSelect(attrs={"class": "form-select"}),
    )
    applicant_type = forms.ChoiceField(
        label=_("Recipient"),
        required=False,
        choices=[("", _("All recipients")), *ApplicantType.choices],
        widget=ListSelect(attrs={"class": "form-select"}),
    )

    FIELDS = ("q", "call", "year", "municipality", "applicant_type")

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("All years")), *((y, str(y)) for y in years)]
        # Calls that awarded something (published or not: their grants are public).
        self.fields["call"].queryset = (
            Call.objects.filter(pk__in=Grant.objects.values("call_id"))
            .only("slug", "title_sq", "title_sr", "title_en")
            .order_by("-opens_at", "pk")
        )

    def filters(self) -> dict:
        """Keyword arguments of `selectors.filter_public_grants` (a valid, bound form)."""
        data = self.cleaned_data if self.is_bound else {}
        return {name: data.get(name) for name in self.FIELDS}


# --- recipients -----------------------------------------------------------------------------


def is_individual(grant: Grant) -> bool:
    return grant.application.applicant_type == ApplicantType.INDIVIDUAL


def recipient_name(grant: Grant) -> str:
    """Who received the grant, as the public sees it: never an individual's name."""
    application = grant.application
    if application.applicant_type == ApplicantType.ORGANIZATION and application.organization_id:
        return application.organization.name
    if application.applicant_type == ApplicantType.GROUP:
        return application.group_name
    return str(INDIVIDUAL_WITHHELD)


def recipient_url(grant: Grant) -> str:
    """The public profile of a recipient organisation (active ones only), else ""."""
    organization = grant.application.organization
    if (
        grant.application.applicant_type == ApplicantType.ORGANIZATION
        and organization
        and organization.is_active
    ):
        return organization.get_absolute_url()
    return ""


def purpose(grant: Grant) -> str:
    """The project's summary, withheld for individuals."""
    return "" if is_individual(grant) else grant.application.summary


def planned_dates(grant: Grant):
    application = grant.application
    return grant.starts_on or application.starts_on, grant.ends_on or application.ends_on


# --- CSV / XLSX of the public list ------------------------------------------------------------

TABLE_COLUMNS = (
    _("Identifier"),
    _("Recipient"),
    _("Recipient type"),
    _("Call"),
    _("Amount awarded (EUR)"),
    _("Municipality"),
    _("Award date"),
    _("Project starts"),
    _("Project ends"),
    _("Project title"),
    _("Project summary"),
    _("Status"),
)


def table_rows(grants: Iterable[Grant]) -> Iterator[list]:
    """One row per grant, in the order of TABLE_COLUMNS (amounts as Decimal numbers)."""
    for grant in grants:
        application = grant.application
        starts, ends = planned_dates(grant)
        yield [
            grant.identifier,
            recipient_name(grant),
            application.get_applicant_type_display(),
            grant.call.title,
            grant.amount,
            application.municipality.name if application.municipality_id else "",
            timezone.localtime(grant.awarded_at).date(),
            starts,
            ends,
            application.title,
            purpose(grant),
            grant.get_status_display(),
        ]


# --- 360Giving ------------------------------------------------------------------------------


def _prefix() -> str:
    return settings.GRANTS_360_PREFIX


def organization_identifier(organization) -> str:
    """An org-id.guide identifier for registered organisations (the Kosovo registry number),
    else one under the publisher's prefix made from the portal's id."""
    if organization.registration_number:
        return f"XK-ARBK-{organization.registration_number}"
    return f"{_prefix()}-ORG-{organization.pk}"


def recipient_360(grant: Grant) -> dict:
    """`recipientOrganization` (organisations and informal groups) or `recipientIndividual`."""
    application = grant.application
    if application.applicant_type == ApplicantType.ORGANIZATION and application.organization_id:
        organization = application.organization
        return {
            "recipientOrganization": [
                {"id": organization_identifier(organization), "name": organization.name}
            ]
        }
    if application.applicant_type == ApplicantType.GROUP:
        return {
            "recipientOrganization": [
                {"id": f"{_prefix()}-GRP-{application.reference}", "name": application.group_name}
            ]
        }
    return {
        "recipientIndividual": {"id": f"{_prefix()}-IND-{application.reference}", "name": INDIVIDUAL_360_NAME}
    }


def _amount(value: Decimal):
    """A JSON number: an int when whole, else a float (two decimals survive the round trip)."""
    value = value.quantize(Decimal("0.01"))
    return int(value) if value == value.to_integral_value() else float(value)


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def grant_360(grant: Grant, *, data_source: str) -> dict:
    """One grant in the 360Giving Data Standard (JSON field names)."""
    application = grant.application
    starts, ends = planned_dates(grant)
    data = {
        "id": grant.identifier,
        "title": application.title or grant.call.title,
        "description": purpose(grant) or application.title or grant.call.title,
        "currency": "EUR",
        "amountAwarded": _amount(grant.amount),
        "awardDate": timezone.localtime(grant.awarded_at).date().isoformat(),
    }
    if starts or ends:
        data["plannedDates"] = [
            {k: v for k, v in (("startDate", _iso(starts)), ("endDate", _iso(ends))) if v}
        ]
    data.update(recipient_360(grant))
    data["fundingOrganization"] = [{"id": settings.GRANTS_FUNDER_ID, "name": settings.GRANTS_FUNDER_NAME}]
    if application.municipality_id:
        data["beneficiaryLocation"] = [
            {
                "name": application.municipality.name,
                "countryCode": "XK",
            }
        ]
    data["grantProgramme"] = [{"code": grant.call.code or grant.call.slug, "title": grant.call.title}]
    data["dataSource"] = data_source
    data["dateModified"] = timezone.localtime(grant.updated_at).isoformat(timespec="seconds")
    return data


def stream_360_json(grants, *, data_source: str) -> Iterator[bytes]:
    """`{"grants": [...]}` written grant by grant (the queryset read in chunks)."""
    yield b'{"grants": ['
    first = True
    for grant in grants.iterator(chunk_size=CHUNK_SIZE):
        item = json.dumps(grant_360(grant, data_source=data_source), ensure_ascii=False)
        yield (item if first else "," + item).encode()
        first = False
    yield b"]}"


CSV_360_COLUMNS = (
    "Identifier",
    "Title",
    "Description",
    "Currency",
    "Amount Awarded",
    "Award Date",
    "Planned Dates:Start Date",
    "Planned Dates:End Date",
    "Recipient Org:Identifier",
    "Recipient Org:Name",
    "Recipient Ind:Identifier",
    "Recipient Ind:Name",
    "Funding Org:Identifier",
    "Funding Org:Name",
    "Beneficiary Location:Name",
    "Beneficiary Location:Country Code",
    "Grant Programme:Code",
    "Grant Programme:Title",
    "Last modified",
    "Data Source",
)


def rows_360(grants: Iterable[Grant], *, data_source: str) -> Iterator[list]:
    """The flattened 360Giving CSV (one row per grant, CSV_360_COLUMNS)."""
    for grant in grants:
        data = grant_360(grant, data_source=data_source)
        dates = (data.get("plannedDates") or [{}])[0]
        org = (data.get("recipientOrganization") or [{}])[0]
        individual = data.get("recipientIndividual") or {}
        location = (data.get("beneficiaryLocation") or [{}])[0]
        funder = data["fundingOrganization"][0]
        programme = data["grantProgramme"][0]
        yield [
            data["id"],
            data["title"],
            data["description"],
            data["currency"],
            grant.amount.quantize(Decimal("0.01")),
            data["awardDate"],
            dates.get("startDate", ""),
            dates.get("endDate", ""),
            org.get("id", ""),
            org.get("name", ""),
            individual.get("id", ""),
            individual.get("name", ""),
            funder["id"],
            funder["name"],
            location.get("name", ""),
            location.get("countryCode", ""),
            programme["code"],
            programme["title"],
            data["dateModified"],
            data["dataSource"],
        ]
