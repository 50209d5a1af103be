"""Races that only a real database shows (PostgreSQL row locks): two approvals for the last
of a call's budget, a double submit, and reference numbers under parallel submissions.

Each thread has its own connection (closed at its end); the services' critical sections
are slowed down so that, without the locks, the races would be lost every time."""

import threading
import time
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from core.models import StatusChange
from grants.choices import ApplicationStatus
from grants.models import Application, Grant, Revision
from grants.services import applications as app_services
from grants.services import assessment
from tests.grants.factories import CallFactory
from tests.grants.states import bring_to, draft

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]

S = ApplicationStatus


def race(*calls, pause: float = 0.0):
    """Run the calls at the same moment, one thread each; (results, errors) by call."""
    barrier = threading.Barrier(len(calls))
    results, errors = [None] * len(calls), [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=30)
            results[index] = call()
        except Exception as exc:  # noqa: BLE001 - reported to the test
            errors[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return results, errors


def slowed(monkeypatch, module, name, seconds=0.3):
    original = getattr(module, name)

    def slow(*args, **kwargs):
        value = original(*args, **kwargs)
        time.sleep(seconds)
        return value

    monkeypatch.setattr(module, name, slow)


@pytest.fixture
def quiet_mail(monkeypatch):
    """The confirmation PDFs are built by the email task; not what these tests measure."""
    monkeypatch.setattr("grants.pdf.revision_pdf", lambda revision_id: b"%PDF-1.7 test")


def test_two_approvals_for_the_last_of_the_budget(monkeypatch, quiet_mail):
    call = CallFactory(with_form=True, total_budget=Decimal("6000"), max_amount=Decimal("5000"))
    first = bring_to(S.UNDER_REVIEW, call=call)
    second = bring_to(S.UNDER_REVIEW, call=call)
    third = bring_to(S.UNDER_REVIEW, call=call)
    assessment.application_decide(
        actor=first.staff, application=first.application, decision="approve", amount="2000"
    )
    # 4,000 left; each of the racing approvals asks for 4,000 (the budget check is slowed).
    slowed(monkeypatch, assessment, "committed_total")

    results, errors = race(
        lambda: assessment.application_decide(
            actor=second.staff, application=second.application, decision="approve", amount="4000"
        ),
        lambda: assessment.application_decide(
            actor=third.staff, application=third.application, decision="approve", amount="4000"
        ),
    )

    assert sum(result is not None for result in results) == 1
    [error] = [e for e in errors if e is not None]
    assert isinstance(error, ValidationError) and "amount" in error.message_dict
    total = sum(Grant.objects.filter(call=call).values_list("amount", flat=True))
    assert total == Decimal("6000.00") <= call.total_budget
    statuses = sorted(
        Application.objects.filter(pk__in=[second.application.pk, third.application.pk]).values_list(
            "status", flat=True
        )
    )
    assert statuses == [S.APPROVED, S.UNDER_REVIEW]


def test_many_approvals_never_exceed_the_budget(monkeypatch, quiet_mail):
    call = CallFactory(with_form=True, total_budget=Decimal("10000"), max_amount=Decimal("5000"))
    cases = [bring_to(S.UNDER_REVIEW, call=call) for _ in range(4)]
    slowed(monkeypatch, assessment, "committed_total", 0.1)

    results, errors = race(
        *(
            (
                lambda case=case: assessment.application_decide(
                    actor=case.staff, application=case.application, decision="approve", amount="4000"
                )
            )
            for case in cases
        )
    )

    assert sum(result is not None for result in results) == 2  # 2 × 4,000 fit in 10,000; a third does not
    assert all(isinstance(e, ValidationError) for e in errors if e is not None)
    assert sum(Grant.objects.filter(call=call).values_list("amount", flat=True)) == Decimal("8000.00")


def test_a_double_submit_submits_once(monkeypatch, quiet_mail):
    case = draft()
    app, applicant = case.application, case.applicant
    slowed(monkeypatch, app_services, "snapshot")

    results, errors = race(
        lambda: app_services.application_submit(
            actor=applicant, application=Application.objects.get(pk=app.pk)
        ),
        lambda: app_services.application_submit(
            actor=applicant, application=Application.objects.get(pk=app.pk)
        ),
    )

    assert sum(result is not None for result in results) == 1
    [error] = [e for e in errors if e is not None]
    assert isinstance(error, ValidationError) and error.code == "already_submitted"
    app.refresh_from_db()
    assert app.status == S.SUBMITTED and app.reference
    assert Revision.objects.filter(application=app).count() == 1
    assert StatusChange.objects.filter(application=app, to_status=S.SUBMITTED).count() == 1
    assert Application.objects.exclude(reference=None).count() == 1


def test_references_are_unique_under_parallel_submissions(monkeypatch, quiet_mail):
    call = CallFactory(with_form=True)
    drafts = [draft(call=call) for _ in range(4)]
    slowed(monkeypatch, app_services, "snapshot", 0.1)

    results, errors = race(
        *(
            (
                lambda case=case: app_services.application_submit(
                    actor=case.applicant, application=case.application
                )
            )
            for case in drafts
        )
    )

    assert errors == [None] * 4
    references = sorted(Application.objects.values_list("reference", flat=True))
    year = results[0].reference.split("-")[1]
    assert references == [f"CEA-{year}-{n:04d}" for n in range(1, 5)]
