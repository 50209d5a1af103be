"""factory_boy factories of the transparency app, shared by every transparency test module.

`TransparencyReportFactory()` builds a draft report of last year for a new organisation;
`TransparencyReportFactory(published=True)` a published one (with `published_at`).
`BoardMemberFactory(report=...)`, `ReportDocumentFactory(report=...)` (a real small PDF in
private storage). The `*_bytes()` helpers give real files of each accepted type.
"""

import io
import zipfile
from decimal import Decimal

import factory
import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from tests.factories import OrganizationFactory, UserFactory
from transparency.choices import DocumentKind, FormSize, ReportStatus
from transparency.models import BoardMember, ReportDocument, TransparencyReport


def last_year() -> int:
    return timezone.localdate().year - 1


def pdf_bytes(pages: int = 1) -> bytes:
    """A real PDF of `pages` blank pages (uploads are read with pypdf, not only sniffed)."""
    import pypdf

    writer = pypdf.PdfWriter()
    for _n in range(pages):
        writer.add_blank_page(width=595, height=842)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def _zip_bytes(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def docx_bytes() -> bytes:
    return _zip_bytes(
        {
            "[Content_Types].xml": b'<?xml version="1.0"?><Types/>',
            "word/document.xml": b'<?xml version="1.0"?><w:document/>',
        }
    )


def xlsx_bytes() -> bytes:
    return _zip_bytes(
        {
            "[Content_Types].xml": b'<?xml version="1.0"?><Types/>',
            "xl/workbook.xml": b'<?xml version="1.0"?><workbook/>',
        }
    )


def odt_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), b"application/vnd.oasis.opendocument.text")
        zf.writestr("content.xml", b'<?xml version="1.0"?><office:document-content/>')
    return buf.getvalue()


def png_bytes() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (8, 8), (11, 79, 138)).save(buf, format="PNG")
    return buf.getvalue()


def jpeg_bytes() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 20, 20)).save(buf, format="JPEG")
    return buf.getvalue()


class TransparencyReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TransparencyReport
        skip_postgeneration_save = True

    organization = factory.SubFactory(OrganizationFactory)
    year = factory.LazyFunction(last_year)
    version = 1
    status = ReportStatus.DRAFT
    form_size = FormSize.FULL
    income_foreign_donors = Decimal("40000.00")
    income_domestic_individuals = Decimal("1200.00")
    income_membership_fees = Decimal("800.00")
    expenditure_programs = Decimal("33000.00")
    expenditure_administration = Decimal("6000.00")
    expenditure_fundraising = Decimal("1000.00")
    staff_full_time = 3
    staff_part_time = 1
    volunteers = 12
    volunteer_hours = 480
    main_activities = factory.Faker("paragraph")
    beneficiaries_reached = 350

    class Params:
        published = factory.Trait(
            status=ReportStatus.PUBLISHED,
            submitted_at=factory.LazyFunction(timezone.now),
            reviewed_at=factory.LazyFunction(timezone.now),
            published_at=factory.LazyFunction(timezone.now),
        )
        submitted = factory.Trait(
            status=ReportStatus.SUBMITTED, submitted_at=factory.LazyFunction(timezone.now)
        )
        returned = factory.Trait(status=ReportStatus.RETURNED, review_comments="Please add the statute.")
        small = factory.Trait(
            form_size=FormSize.SHORT,
            income_foreign_donors=Decimal("5000.00"),
            income_domestic_individuals=Decimal("700.00"),
            income_membership_fees=Decimal("300.00"),
            expenditure_programs=Decimal("5000.00"),
            expenditure_administration=Decimal("800.00"),
            expenditure_fundraising=Decimal("0.00"),
        )

    @factory.post_generation
    def municipalities(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.municipalities.set(extracted)

    @factory.post_generation
    def board(obj, create, extracted, **kwargs):
        """`board=2` adds two board members (default 2 for published reports, none for drafts)."""
        if not create:
            return
        count = extracted if extracted is not None else (2 if obj.status == ReportStatus.PUBLISHED else 0)
        for n in range(count):
            BoardMemberFactory(report=obj, ordering=n)


class BoardMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BoardMember

    report = factory.SubFactory(TransparencyReportFactory)
    name = factory.Faker("name")
    role = factory.Iterator(["Chair", "Member", "Treasurer"])
    ordering = factory.Sequence(lambda n: n)


class ReportDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportDocument

    report = factory.SubFactory(TransparencyReportFactory)
    kind = DocumentKind.STATUTE
    original_name = factory.LazyAttribute(lambda o: f"{o.kind}.pdf")
    file = factory.LazyAttribute(lambda o: ContentFile(pdf_bytes(), name=o.original_name))
    size = factory.LazyAttribute(lambda o: len(pdf_bytes()))
    uploaded_by = factory.SubFactory(UserFactory)


@pytest.fixture
def private_files(tmp_path, monkeypatch):
    """Report documents are written to a temporary private storage (the field's storage is
    resolved once, at import: patch it rather than the setting)."""
    from django.core.files.storage import FileSystemStorage

    storage = FileSystemStorage(location=tmp_path / "private", base_url=None)
    monkeypatch.setattr(ReportDocument._meta.get_field("file"), "storage", storage)
    return storage
