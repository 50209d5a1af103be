"""Services of the yearly transparency report: every allowed and refused move, validation
of sums and figures, duplicates, versions after a correction, form size, documents."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from core.models import EmailOutbox, Municipality
from organizations.models import Membership
from tests import factories
from tests.factories import member_of
from tests.transparency.factories import (
    BoardMemberFactory,
    ReportDocumentFactory,
    TransparencyReportFactory,
    docx_bytes,
    jpeg_bytes,
    last_year,
    odt_bytes,
    pdf_bytes,
    png_bytes,
    private_files,  # noqa: F401  (fixture)
    xlsx_bytes,
)
from transparency.choices import DocumentKind, FormSize, ReportStatus
from transparency.models import TransparencyReport
from transparency.selectors import reports as selectors
from transparency.services import reports as services
from transparency.workflow import TransitionNotAllowed

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_files")]
S = ReportStatus


@pytest.fixture
def org():
    return factories.OrganizationFactory()


@pytest.fixture
def editor(org):
    return member_of(org, Membership.Role.EDITOR)


@pytest.fixture
def staff():
    return factories.StaffFactory()


def complete_report(org, **kwargs):
    """A draft that passes every check of the full form."""
    report = TransparencyReportFactory(organization=org, **kwargs)
    BoardMemberFactory(report=report)
    report.municipalities.set(Municipality.objects.all()[:2])
    ReportDocumentFactory(report=report, kind=DocumentKind.STATUTE)
    return report


# --- start ---------------------------------------------------------------------------------


def test_start_creates_a_draft_with_history(org, editor):
    report = services.report_start(actor=editor, organization=org, year=last_year())
    assert report.status == S.DRAFT and report.version == 1
    assert report.history.first().history_user == editor


@pytest.mark.parametrize("role", [Membership.Role.VIEWER, None])
def test_start_refused_for_viewer_and_outsider(org, role):
    user = member_of(org, role) if role else factories.UserFactory()
    with pytest.raises(PermissionDenied):
        services.report_start(actor=user, organization=org, year=last_year())
    assert not TransparencyReport.objects.exists()


def test_start_refuses_a_second_open_report_of_the_year(org, editor):
    services.report_start(actor=editor, organization=org, year=last_year())
    with pytest.raises(ValidationError) as exc:
        services.report_start(actor=editor, organization=org, year=last_year())
    assert exc.value.code == "duplicate_open"
    assert TransparencyReport.objects.count() == 1


def test_start_refuses_a_year_already_published(org, editor):
    TransparencyReportFactory(organization=org, published=True)
    with pytest.raises(ValidationError) as exc:
        services.report_start(actor=editor, organization=org, year=last_year())
    assert exc.value.code == "duplicate_published"


@pytest.mark.parametrize("year", [1999, 2150, "abc"])
def test_start_refuses_bad_years(org, editor, year):
    with pytest.raises(ValidationError):
        services.report_start(actor=editor, organization=org, year=year)


def test_form_size_short_below_threshold(org, editor, settings):
    settings.TRANSPARENCY_SMALL_INCOME_THRESHOLD = 30_000
    TransparencyReportFactory(organization=org, published=True, small=True, year=last_year() - 1)
    report = services.report_start(actor=editor, organization=org, year=last_year())
    assert report.form_size == FormSize.SHORT


def test_form_size_full_at_or_above_threshold(org, editor, settings):
    settings.TRANSPARENCY_SMALL_INCOME_THRESHOLD = 42_000  # the factory's income is exactly 42,000
    TransparencyReportFactory(organization=org, published=True, year=last_year() - 1)
    report = services.report_start(actor=editor, organization=org, year=last_year())
    assert report.form_size == FormSize.FULL


def test_editor_may_switch_to_full_and_back_only_while_small(org, editor, settings):
    settings.TRANSPARENCY_SMALL_INCOME_THRESHOLD = 30_000
    report = services.report_start(actor=editor, organization=org, year=last_year())
    assert report.form_size == FormSize.SHORT
    report = services.report_set_form_size(actor=editor, report=report, form_size=FormSize.FULL)
    assert report.form_size == FormSize.FULL
    services.report_save_section(
        actor=editor, report=report, section="income", data={"income_other": "50000"}
    )
    with pytest.raises(ValidationError):
        services.report_set_form_size(actor=editor, report=report, form_size=FormSize.SHORT)


def test_income_over_threshold_grows_the_short_form(org, editor, settings):
    settings.TRANSPARENCY_SMALL_INCOME_THRESHOLD = 30_000
    report = services.report_start(actor=editor, organization=org, year=last_year())
    result = services.report_save_section(
        actor=editor, report=report, section="income", data={"income_foreign_donors": "31000"}
    )
    assert result.report.form_size == FormSize.FULL
    assert result.notices


# --- autosave of a section -----------------------------------------------------------------


def test_save_section_saves_only_that_section(org, editor):
    report = TransparencyReportFactory(organization=org, main_activities="Youth clubs")
    services.report_save_section(
        actor=editor,
        report=report,
        section="income",
        data={name: "0" for name in ("income_foreign_donors", "income_membership_fees")}
        | {"income_domestic_individuals": "1500.50"},
    )
    report.refresh_from_db()
    assert report.income_domestic_individuals == Decimal("1500.50")
    assert report.income_foreign_donors == 0
    assert report.main_activities == "Youth clubs"
    assert report.history.first().history_user == editor


def test_failed_validation_saves_nothing_of_the_section_and_keeps_the_others(org, editor):
    report = TransparencyReportFactory(organization=org, main_activities="Youth clubs")
    before = report.income_domestic_individuals
    with pytest.raises(ValidationError) as exc:
        services.report_save_section(
            actor=editor,
            report=report,
            section="income",
            data={"income_domestic_individuals": "999", "income_diaspora": "-5"},
        )
    assert "income_diaspora" in exc.value.message_dict
    assert exc.value.error_dict["income_diaspora"][0].code == "min_value"
    report.refresh_from_db()
    assert report.income_domestic_individuals == before
    assert report.main_activities == "Youth clubs"


def test_save_section_of_the_board(org, editor):
    report = TransparencyReportFactory(organization=org)
    services.report_save_section(
        actor=editor,
        report=report,
        section="people",
        data={
            "board_name_0": "Arta Krasniqi",
            "board_role_0": "Chair",
            "board_name_1": "",
            "board_role_1": "",
        },
    )
    assert [(m.name, m.role) for m in report.board_members.all()] == [("Arta Krasniqi", "Chair")]
    with pytest.raises(ValidationError):
        services.report_save_section(
            actor=editor,
            report=report,
            section="people",
            data={"board_name_0": "No Role", "board_role_0": ""},
        )
    assert report.board_members.count() == 1


@pytest.mark.parametrize("status", [S.SUBMITTED, S.PUBLISHED, S.SUPERSEDED])
def test_save_section_refused_when_not_editable(org, editor, status):
    report = TransparencyReportFactory(organization=org, status=status)
    with pytest.raises(ValidationError) as exc:
        services.report_save_section(
            actor=editor, report=report, section="income", data={"income_other": "1"}
        )
    assert exc.value.code == "not_editable"


def test_save_section_refused_for_viewer(org):
    report = TransparencyReportFactory(organization=org)
    with pytest.raises(PermissionDenied):
        services.report_save_section(
            actor=member_of(org, Membership.Role.VIEWER), report=report, section="income", data={}
        )


# --- submit --------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [S.DRAFT, S.RETURNED])
def test_submit_allowed_from_draft_and_returned(org, editor, staff, status):
    report = complete_report(org, status=status)
    report = services.report_submit(actor=editor, report=report)
    assert report.status == S.SUBMITTED
    assert report.submitted_by == editor and report.submitted_at
    assert EmailOutbox.objects.filter(to=staff.email).exists()
    assert report.history.first().history_user == editor


@pytest.mark.parametrize("status", [S.SUBMITTED, S.PUBLISHED, S.SUPERSEDED])
def test_submit_refused_from_other_statuses(org, editor, status):
    report = complete_report(org, status=status)
    with pytest.raises(TransitionNotAllowed):
        services.report_submit(actor=editor, report=report)
    report.refresh_from_db()
    assert report.status == status


def test_submit_refuses_incoherent_sums_and_keeps_the_draft(org, editor):
    report = complete_report(org, total_income_declared=Decimal("50000"))  # sources add up to 42,000
    with pytest.raises(ValidationError) as exc:
        services.report_submit(actor=editor, report=report)
    assert "total_income_declared" in exc.value.message_dict
    report.refresh_from_db()
    assert report.status == S.DRAFT and report.total_income_declared == Decimal("50000")


def test_submit_accepts_a_coherent_total(org, editor):
    report = complete_report(org, total_income_declared=Decimal("42000"))
    assert services.report_submit(actor=editor, report=report).status == S.SUBMITTED


def test_submit_refuses_negative_figures(org, editor):
    report = complete_report(org)
    TransparencyReport.objects.filter(pk=report.pk).update(expenditure_fundraising=Decimal("-1"))
    with pytest.raises(ValidationError) as exc:
        services.report_submit(actor=editor, report=report)
    assert "expenditure_fundraising" in exc.value.message_dict


def test_short_form_needs_income_spending_activity_and_board_only(org, editor):
    report = TransparencyReportFactory(organization=org, small=True, beneficiaries_reached=None)
    with pytest.raises(ValidationError) as exc:
        services.report_submit(actor=editor, report=report)
    assert set(exc.value.message_dict) == {"board"}
    BoardMemberFactory(report=report)
    assert services.report_submit(actor=editor, report=report).status == S.SUBMITTED


def test_full_form_also_needs_people_activities_and_statute(org, editor):
    report = TransparencyReportFactory(organization=org, beneficiaries_reached=None, main_activities="")
    BoardMemberFactory(report=report)
    with pytest.raises(ValidationError) as exc:
        services.report_submit(actor=editor, report=report)
    assert {"beneficiaries_reached", "municipalities", "documents", "main_activities"} <= set(
        exc.value.message_dict
    )


def test_submit_needs_income_and_spending(org, editor):
    zero = {f: 0 for f in ("income_foreign_donors", "income_domestic_individuals", "income_membership_fees")}
    report = complete_report(
        org, **zero, expenditure_programs=0, expenditure_administration=0, expenditure_fundraising=0
    )
    with pytest.raises(ValidationError) as exc:
        services.report_submit(actor=editor, report=report)
    assert {"income", "spending"} <= set(exc.value.message_dict)


# --- review --------------------------------------------------------------------------------


def test_return_needs_comments_and_staff(org, editor, staff):
    report = complete_report(org, submitted=True)
    with pytest.raises(ValidationError):
        services.report_return(actor=staff, report=report, comments="  ")
    with pytest.raises(PermissionDenied):
        services.report_return(actor=editor, report=report, comments="Fix it")
    report = services.report_return(actor=staff, report=report, comments="Add the audit report.")
    assert report.status == S.RETURNED and report.review_comments == "Add the audit report."
    assert report.reviewed_by == staff
    assert EmailOutbox.objects.filter(to=editor.email).exists()


@pytest.mark.parametrize("status", [S.DRAFT, S.RETURNED, S.PUBLISHED, S.SUPERSEDED])
def test_return_refused_unless_submitted(org, staff, status):
    report = complete_report(org, status=status)
    with pytest.raises(TransitionNotAllowed):
        services.report_return(actor=staff, report=report, comments="No")


def test_publish(org, editor, staff, django_capture_on_commit_callbacks):
    report = complete_report(org, submitted=True)
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_publish(actor=staff, report=report)
    assert report.status == S.PUBLISHED and report.published_at and report.reviewed_by == staff
    assert report.history.first().history_user == staff
    assert EmailOutbox.objects.filter(to=editor.email).exists()
    assert list(selectors.published_reports(org)) == [report]


@pytest.mark.parametrize("status", [S.DRAFT, S.RETURNED, S.PUBLISHED, S.SUPERSEDED])
def test_publish_refused_unless_submitted(org, staff, status):
    report = complete_report(org, status=status)
    with pytest.raises(TransitionNotAllowed):
        services.report_publish(actor=staff, report=report)


def test_publish_refused_for_editor(org, editor):
    report = complete_report(org, submitted=True)
    with pytest.raises(PermissionDenied):
        services.report_publish(actor=editor, report=report)
    report.refresh_from_db()
    assert report.status == S.SUBMITTED


def test_publish_recomputes_the_badge_after_commit(org, staff, django_capture_on_commit_callbacks):
    report = complete_report(org, submitted=True)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.report_publish(actor=staff, report=report)
    assert callbacks  # email + badge, all after commit
    from transparency.models import OrganizationBadge

    assert not OrganizationBadge.objects.filter(organization=org).exists()
    for callback in callbacks:
        callback()
    try:
        import transparency.badges  # noqa: F401
    except ImportError:  # the badge is not built yet: nothing to recompute
        return
    assert OrganizationBadge.objects.filter(organization=org).exists()


# --- correction and versions ---------------------------------------------------------------


def test_correction_keeps_the_old_version_visible_until_published(org, editor, staff):
    old = complete_report(org, published=True, board=0)
    new = services.report_correct(actor=editor, report=old)
    assert (new.version, new.corrects, new.status) == (2, old, S.DRAFT)
    assert new.board_members.count() == old.board_members.count() == 1
    assert set(new.municipalities.all()) == set(old.municipalities.all())
    assert [d.file.name for d in new.documents.all()] == [d.file.name for d in old.documents.all()]
    assert list(selectors.published_reports(org)) == [old]  # the old one is still public

    services.report_save_section(actor=editor, report=new, section="income", data={"income_other": "100"})
    old.refresh_from_db()
    assert old.income_other == 0  # the published version is not touched

    services.report_submit(actor=editor, report=new)
    new = services.report_publish(actor=staff, report=new)
    old.refresh_from_db()
    assert old.status == S.SUPERSEDED and new.status == S.PUBLISHED
    assert list(selectors.published_reports(org)) == [new]
    assert list(selectors.report_versions(new)) == [new, old]
    assert selectors.public_report_detail(old.pk) == old  # history stays public


def test_correction_refused_twice_and_for_unpublished(org, editor):
    old = complete_report(org, published=True)
    services.report_correct(actor=editor, report=old)
    with pytest.raises(ValidationError):
        services.report_correct(actor=editor, report=old)
    draft = complete_report(org, year=last_year() - 1)
    with pytest.raises(ValidationError):
        services.report_correct(actor=editor, report=draft)


def test_correction_refused_for_viewer_and_staff(org, staff):
    old = complete_report(org, published=True)
    for user in (member_of(org, Membership.Role.VIEWER), staff):
        with pytest.raises(PermissionDenied):
            services.report_correct(actor=user, report=old)


def test_removing_a_document_of_a_correction_keeps_the_shared_file(org, editor):
    old = complete_report(org, published=True)
    new = services.report_correct(actor=editor, report=old)
    services.report_remove_document(actor=editor, document=new.documents.get())
    document = old.documents.get()
    assert document.file.storage.exists(document.file.name)


# --- documents -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content,ext",
    [
        (pdf_bytes(), "pdf"),
        (docx_bytes(), "docx"),
        (xlsx_bytes(), "xlsx"),
        (odt_bytes(), "odt"),
        (jpeg_bytes(), "jpg"),
        (png_bytes(), "png"),
    ],
)
def test_documents_of_every_accepted_type(org, editor, content, ext):
    report = TransparencyReportFactory(organization=org)
    upload = SimpleUploadedFile("my statute.bin", content)  # the name does not matter, the content does
    document = services.report_add_document(
        actor=editor, report=report, kind=DocumentKind.STATUTE, upload=upload
    )
    assert document.file.name.endswith(f".{ext}")
    assert document.original_name == "my statute.bin"
    assert document.size == len(content)


@pytest.mark.parametrize(
    "content",
    [b"MZ\x90\x00 an executable", b"<html><script>alert(1)</script>", b"PK\x03\x04 broken zip", b""],
)
def test_documents_of_a_wrong_type_are_refused(org, editor, content):
    report = TransparencyReportFactory(organization=org)
    upload = SimpleUploadedFile("statute.pdf", content, content_type="application/pdf")
    with pytest.raises(ValidationError) as exc:
        services.report_add_document(actor=editor, report=report, kind=DocumentKind.STATUTE, upload=upload)
    assert exc.value.error_dict["file"][0].code in ("invalid_type", "empty_file")
    assert not report.documents.exists()


def test_documents_too_large_are_refused(org, editor, settings):
    settings.TRANSPARENCY_DOCUMENT_MAX_BYTES = 100
    report = TransparencyReportFactory(organization=org)
    upload = SimpleUploadedFile("statute.pdf", pdf_bytes(pages=50))
    with pytest.raises(ValidationError) as exc:
        services.report_add_document(actor=editor, report=report, kind=DocumentKind.STATUTE, upload=upload)
    assert exc.value.error_dict["file"][0].code == "file_too_large"
    assert not report.documents.exists()


def test_documents_refused_when_not_editable_or_not_editor(org, editor):
    report = TransparencyReportFactory(organization=org, submitted=True)
    with pytest.raises(ValidationError):
        services.report_add_document(
            actor=editor,
            report=report,
            kind=DocumentKind.STATUTE,
            upload=SimpleUploadedFile("a.pdf", pdf_bytes()),
        )
    draft = TransparencyReportFactory(organization=org, year=last_year() - 1)
    with pytest.raises(PermissionDenied):
        services.report_add_document(
            actor=factories.UserFactory(),
            report=draft,
            kind=DocumentKind.STATUTE,
            upload=SimpleUploadedFile("a.pdf", pdf_bytes()),
        )
