import pytest
from django.core import mail

from grants.choices import ApplicationStatus
from grants.services import assessment
from tests.factories import StaffFactory
from tests.grants.factories import submitted_application

pytestmark = pytest.mark.django_db


def test_submit_screen_review_approve(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        app = submitted_application()
    assert app.status == ApplicationStatus.SUBMITTED
    assert app.reference.startswith("CEA-")
    assert mail.outbox and mail.outbox[-1].attachments[0][0] == f"{app.reference}.pdf"
    staff = StaffFactory()
    assessment.application_screen(actor=staff, application=app, eligible=True)
    assessment.reviewers_assign(actor=staff, application=app, reviewers=[staff])
    assessment.conflict_declare(actor=staff, application=app, has_conflict=False)
    criteria = list(app.call.criteria.all())
    assessment.review_save(
        actor=staff, application=app, scores={c.pk: 4 for c in criteria}, recommendation="fund", submit=True
    )
    app.refresh_from_db()
    assert app.average_score == 80
    assessment.application_decide(actor=staff, application=app, decision="approve", amount="4000")
    app.refresh_from_db()
    assert app.status == ApplicationStatus.APPROVED and app.grant.amount == 4000
