"""Builders of awarded grants for the open-data and API tests (rows made directly, fast;
test_open_data.py also awards one through the services)."""

import itertools
from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone

from core.models import Municipality
from grants.choices import ApplicantType, ApplicationStatus, Eligibility, GrantStatus
from grants.models import Application, Grant
from tests.factories import UserFactory
from tests.grants.factories import CallFactory, verified_cso

_numbers = itertools.count(1)

PERSON_NAME = "Valbona Zeqiri-Shehu"  # an individual recipient: must never be published


def sent_application(
    *,
    call=None,
    applicant_type=ApplicantType.ORGANIZATION,
    organization=None,
    group_name="",
    status=ApplicationStatus.SUBMITTED,
    municipality="prishtine",
    title="Clean river",
    summary="Cleaning the river with youth volunteers.",
    applicant=None,
    requested=Decimal("5000.00"),
    **extra,
) -> Application:
    call = call or CallFactory()
    if applicant_type == ApplicantType.ORGANIZATION and organization is None:
        organization = verified_cso()
    if applicant_type == ApplicantType.GROUP and not group_name:
        group_name = "Friends of the river"
    n = next(_numbers)
    return Application.objects.create(
        call=call,
        applicant=applicant or UserFactory(full_name=PERSON_NAME),
        applicant_type=applicant_type,
        organization=organization if applicant_type == ApplicantType.ORGANIZATION else None,
        group_name=group_name,
        status=status,
        eligibility=Eligibility.ELIGIBLE if status != ApplicationStatus.SUBMITTED else Eligibility.PENDING,
        reference=f"CEA-2026-{n:04d}",
        title=title,
        summary=summary,
        municipality=Municipality.objects.get(slug=municipality) if municipality else None,
        starts_on=date(2026, 3, 1),
        ends_on=date(2026, 12, 31),
        requested_amount=requested,
        cofinancing_amount=Decimal("1000.00"),
        total_cost=requested + Decimal("1000.00"),
        submitted_at=timezone.now(),
        **extra,
    )


def awarded_grant(
    *,
    amount=Decimal("4000.00"),
    awarded_at=None,
    grant_status=GrantStatus.AWARDED,
    **kwargs,
) -> Grant:
    application = sent_application(status=ApplicationStatus.APPROVED, **kwargs)
    return Grant.objects.create(
        application=application,
        call=application.call,
        amount=amount,
        awarded_at=awarded_at or timezone.make_aware(datetime(2026, 2, 10, 12, 0)),
        status=grant_status,
        starts_on=application.starts_on,
        ends_on=application.ends_on,
    )
