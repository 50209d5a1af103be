"""factory_boy factories of the giving tracker, shared by every giving test module.

`GivingRecordFactory()` builds a valid, `reported` record in a municipality; its
derived fields (diaspora flag, fingerprint, confidence) are filled as the services fill
them, so a factory record is recognised as a duplicate like any other. Traits:
`verified`, `rejected`, `diaspora`, `media`, `kosovo_wide`.
"""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from core.models import Municipality
from giving.choices import (
    BeneficiaryGroup,
    Cause,
    DiasporaChannel,
    DonorType,
    Effect,
    Geography,
    RecipientType,
    Recurrence,
    Source,
    Status,
    SupportKind,
)
from giving.models import GivingRecord, ImportBatch
from giving.services import records as services
from tests.factories import UserFactory


def _recent_date(n: int) -> datetime.date:
    """Spread records over the last ~two years, never in the future."""
    return timezone.localdate() - datetime.timedelta(days=1 + (n * 37) % 700)


class GivingRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GivingRecord
        skip_postgeneration_save = True

    date = factory.Sequence(_recent_date)
    # Distinct amounts so that two factory records are not near duplicates of each other.
    amount = factory.Sequence(lambda n: Decimal(150 + n * 97).quantize(Decimal("0.01")))
    support_kind = SupportKind.MONEY
    donor_type = DonorType.COMPANY
    donor_name = factory.Sequence(lambda n: f"Company {n} L.L.C.")
    donor_name_public = True
    recipient_type = RecipientType.CSO
    recipient_name = factory.Sequence(lambda n: f"Community Association {n}")
    cause = factory.Iterator([Cause.HEALTH, Cause.EDUCATION, Cause.POVERTY, Cause.SOCIAL_INCLUSION])
    beneficiary_group = BeneficiaryGroup.CHILDREN
    geography = Geography.MUNICIPALITY
    municipality = factory.LazyFunction(lambda: Municipality.objects.order_by("pk").first())
    recurrence = Recurrence.ONE_OFF
    effect = Effect.RELIEF
    description = factory.Faker("sentence")
    source = Source.STAFF
    status = Status.REPORTED
    entered_by = factory.SubFactory(UserFactory)

    class Params:
        verified = factory.Trait(status=Status.VERIFIED)
        rejected = factory.Trait(status=Status.REJECTED, rejection_reason="Could not be confirmed.")
        diaspora = factory.Trait(
            donor_type=DonorType.DIASPORA_INDIVIDUAL,
            donor_name="",
            donor_name_public=False,
            donor_country="DE",
            diaspora_channel=DiasporaChannel.CROWDFUNDING,
        )
        media = factory.Trait(source=Source.MEDIA, source_url="https://kallxo.com/news/gift")
        kosovo_wide = factory.Trait(geography=Geography.KOSOVO_WIDE, municipality=None)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        record = model_class(*args, **kwargs)
        services.prepare_record(record)
        # The factory may ask for a confidence other than the computed one.
        if "confidence" in kwargs:
            record.confidence = kwargs["confidence"]
        record.save()
        return record


class ImportBatchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImportBatch

    uploaded_by = factory.SubFactory(UserFactory)
    file_name = factory.Sequence(lambda n: f"gifts-{n}.csv")
    file_hash = factory.Sequence(lambda n: f"{n:064x}")
    rows_total = 0


def record_form_data(**overrides) -> dict:
    """A valid POST for the record form (giving:record_add / record_edit)."""
    data = {
        "date": (timezone.localdate() - datetime.timedelta(days=3)).isoformat(),
        "amount": "2500.00",
        "support_kind": SupportKind.MONEY,
        "donor_type": DonorType.COMPANY,
        "donor_name": "Banka Ekonomike",
        "donor_name_public": "on",
        "donor_organization": "",
        "donor_country": "",
        "diaspora_channel": "",
        "recipient_type": RecipientType.SCHOOL,
        "recipient_name": "Shkolla Fillore Naim Frashëri",
        "recipient_organization": "",
        "cause": Cause.EDUCATION,
        "beneficiary_group": BeneficiaryGroup.CHILDREN,
        "geography": Geography.MUNICIPALITY,
        "municipality": Municipality.objects.get(slug="prishtine").pk,
        "recurrence": Recurrence.ONE_OFF,
        "effect": Effect.STRATEGIC,
        "description": "Laptops for the computer lab.",
        "source_url": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def public_report_data(**overrides) -> dict:
    """A valid POST for the public form (giving:report_gift)."""
    data = {
        "support_kind": SupportKind.GOODS,
        "amount": "800",
        "date": (timezone.localdate() - datetime.timedelta(days=10)).isoformat(),
        "donor_type": DonorType.DIASPORA_INDIVIDUAL,
        "donor_name": "Arben K.",
        "donor_country": "CH",
        "recipient_type": RecipientType.HEALTH,
        "recipient_name": "QKMF Gjilan",
        "geography": Geography.MUNICIPALITY,
        "municipality": Municipality.objects.get(slug="prishtine").pk,
        "cause": Cause.HEALTH,
        "source_url": "https://kallxo.com/lajm/dhurate",
        "reporter_email": "",
        "website": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}
