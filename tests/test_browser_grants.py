"""The grants main flow in a real browser: staff build a call in the admin (a question and a
rubric criterion through the inlines); a citizen on a phone finds it, drafts an application
(project, question, budget, work plan), leaves, comes back to "My applications", finds the
draft as typed and submits it; staff screen it and assign a reviewer; the reviewer declares
no conflict of interest, then scores it; staff approve it and the applicant sees the
decision."""

import re
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core import mail
from django.core.files.storage import FileSystemStorage
from django.test import Client
from django.utils import timezone, translation
from playwright.sync_api import expect

from core.models import EmailOutbox, Municipality
from core.money import format_money
from grants.choices import PUBLIC_LABELS, ApplicationStatus, AssignmentStatus, Eligibility
from grants.models import Application, Attachment, Call, Grant, GrantReport, ReviewAssignment
from tests import factories
from tests.helpers import scroll_width, t

SCREENS = Path("/tmp/screens")
FLASH = ".alert-success[role=alert]"  # the message of the last action (includes/_messages.html)
CALL_TITLE = "Iniciativat qytetare për mjedisin 2026"
CALL_SLUG = "iniciativat-mjedisi-2026"
QUESTION = "Cili është problemi që projekti zgjidh?"
CRITERION = "Relevanca për komunitetin"
PROJECT_TITLE = "Parku i pastër në Prizren"
SUMMARY = "Vullnetarët pastrojnë parkun e qytetit dhe mbjellin pemë me nxënësit e shkollave."
ANSWER = "Parku i qytetit është plot mbeturina dhe fëmijët nuk kanë ku të luajnë në siguri."


@pytest.fixture
def private_media(tmp_path, monkeypatch, settings):
    """Attachments, agreements and grantee reports in a temporary private storage (the
    fields' storage is resolved at import: patch the fields), public media in tmp too."""
    settings.MEDIA_ROOT = tmp_path / "media"
    storage = FileSystemStorage(location=tmp_path / "private", base_url=None)
    for model, field in ((Attachment, "file"), (Grant, "agreement_file"), (GrantReport, "file")):
        monkeypatch.setattr(model._meta.get_field(field), "storage", storage)


def _log_in(context, live_server, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def _exact(text: str):
    return re.compile(rf"^\s*{re.escape(text)}\s*$")


def _tp(context: str, message: str) -> str:
    """`message` with a translation context ({% translate ... context ... %}) as sq pages show it."""
    with translation.override("sq"):
        return translation.pgettext(context, message)


def _sq_amount(value: str) -> str:
    """An amount as the Albanian pages write it (core.money: "3.500,00 €")."""
    return format_money(Decimal(value), language="sq")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_grants_call_apply_review_decide(reference_data, private_media, live_server, browser):
    base = live_server.url
    staff = factories.StaffFactory(full_name="Drita Berisha")
    citizen = factories.UserFactory(full_name="Blerim Hoxha")
    reviewer = factories.UserFactory(full_name="Valon Shala")
    reviewer.groups.add(Group.objects.get_or_create(name="Grant reviewers")[0])
    prizren = Municipality.objects.get(slug="prizren")
    now = timezone.localtime()
    opens, closes = now - timedelta(days=1), now + timedelta(days=10)
    today = now.date()
    starts, ends = (today + timedelta(days=30)).isoformat(), (today + timedelta(days=120)).isoformat()
    activity_from, activity_to = (
        (today + timedelta(days=35)).isoformat(),
        (today + timedelta(days=50)).isoformat(),
    )

    csp_violations = []
    page_errors = []
    contexts = []

    def new_page(user, **options):
        context = browser.new_context(**options)
        contexts.append(context)
        if user is not None:
            _log_in(context, live_server, user)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.on(
            "console",
            lambda m: (
                csp_violations.append(f"{page.url}: {m.text}")
                if "Content Security Policy" in m.text and "/admin/" not in page.url
                else None
            ),
        )
        page.on("pageerror", lambda exc: page_errors.append(f"{page.url}: {exc}"))
        return page

    current = None
    try:
        # 1. Staff build the call in the admin (English), with a question and a criterion.
        staff_page = current = new_page(staff, locale="en-US")
        staff_page.goto(f"{base}/admin/grants/call/add/")
        staff_page.locator("#id_title_sq").fill(CALL_TITLE)
        staff_page.locator("#id_title_en").fill("Citizen initiatives for the environment 2026")
        staff_page.locator("#id_slug").fill(CALL_SLUG)
        staff_page.locator("#id_summary_sq").fill("Grante të vogla për nisma mjedisore.")
        staff_page.locator("#id_description_sq").fill(
            "Thirrja mbështet nisma të vogla qytetare për mjedisin."
        )
        staff_page.locator("#id_allow_organizations").uncheck()
        staff_page.locator("#id_allow_individuals").check()
        staff_page.locator("#id_total_budget").fill("20000")
        staff_page.locator("#id_min_amount").fill("1000")
        staff_page.locator("#id_max_amount").fill("5000")
        staff_page.locator("#id_cofinancing_percent").fill("10")
        staff_page.locator("#id_opens_at_0").fill(opens.date().isoformat())
        staff_page.locator("#id_opens_at_1").fill(opens.strftime("%H:%M:%S"))
        staff_page.locator("#id_closes_at_0").fill(closes.date().isoformat())
        staff_page.locator("#id_closes_at_1").fill(closes.strftime("%H:%M:%S"))
        staff_page.locator("#id_is_published").check()
        staff_page.get_by_text(re.compile(r"^Add another question$", re.I)).click()
        staff_page.locator("#id_questions-0-kind").select_option("long_text")
        staff_page.locator("#id_questions-0-label_sq").fill(QUESTION)
        staff_page.locator("#id_questions-0-word_limit").fill("150")
        staff_page.get_by_text(re.compile(r"^Add another criterion$", re.I)).click()
        staff_page.locator("#id_criteria-0-title_sq").fill(CRITERION)
        staff_page.locator("#id_criteria-0-max_score").fill("5")
        staff_page.get_by_role("button", name="Save", exact=True).click()
        expect(staff_page.locator(".messagelist .success")).to_contain_text("was added successfully")
        call = Call.objects.get(slug=CALL_SLUG)
        assert call.is_open() and call.allow_individuals and not call.allow_organizations
        assert call.created_by == staff
        question = call.questions.get()
        assert question.word_limit == 150 and question.kind == "long_text"
        criterion = call.criteria.get()

        # 2. A citizen on a phone finds the call and starts a draft as an individual.
        page = current = new_page(citizen, viewport={"width": 360, "height": 780})
        page.goto(f"{base}/sq/grants/")
        expect(page.locator("html")).to_have_attribute("lang", "sq")
        page.get_by_role("link", name=CALL_TITLE).click()
        expect(page.get_by_role("heading", name=CALL_TITLE)).to_be_visible()
        assert scroll_width(page) <= 360
        page.get_by_role("link", name=_tp("apply to a grant call", "Apply"), exact=True).click()
        page.get_by_label(t("As myself (individual)")).check()
        page.get_by_role("button", name=t("Start the application")).click()
        expect(page.locator(FLASH)).to_be_visible()
        application = Application.objects.get(call=call, applicant=citizen)
        assert application.status == ApplicationStatus.DRAFT and application.applicant_type == "individual"

        # the project, saved with the Save button
        expect(page.get_by_role("heading", name=t("Project"), level=2)).to_be_visible()
        page.get_by_label(t("Project title")).fill(PROJECT_TITLE)
        page.get_by_label(t("Summary of the project")).fill(SUMMARY)
        page.get_by_label(t("Where the project takes place")).select_option(label=prizren.name_sq)
        page.get_by_label(t("Project starts")).fill(starts)
        page.get_by_label(t("Project ends")).fill(ends)
        page.get_by_role("button", name=t("Save"), exact=True).click()
        expect(page.locator(FLASH)).to_contain_text(t("Saved."))
        expect(page.get_by_label(t("Project title"))).to_have_value(PROJECT_TITLE)
        page.get_by_role("button", name=t("Save and continue")).click()

        # the question: autosaved (htmx) as typed, with the word counter
        expect(page.get_by_role("heading", name=t("Questions"), level=2)).to_be_visible()
        answer = page.get_by_label(re.compile(re.escape(QUESTION)))
        answer.fill(ANSWER)
        words = len(ANSWER.split())
        counter = page.locator(f"[data-word-count-for='id_{question.key}']")
        expect(counter).to_have_text(
            t("__count__ of %(limit)s words", limit=150).replace("__count__", str(words))
        )
        answer.blur()
        expect(page.locator("#autosave-status .text-success")).to_be_visible()
        application.refresh_from_db()
        assert application.answers[question.key] == ANSWER
        page.get_by_role("button", name=t("Save and continue")).click()

        # the budget: one line; co-financing 10%, the rest requested (left empty: automatic)
        expect(page.get_by_role("heading", name=t("Budget"), level=2)).to_be_visible()
        page.locator("#b-0-category").select_option("events")
        page.locator("#b-0-item").fill("Punëtori me vullnetarë")
        page.locator("#b-0-quantity").fill("4")
        page.locator("#b-0-unit_cost").fill("1000")
        page.locator("#b-0-cofinancing").fill("400")
        expect(page.locator("[data-live-totals]")).to_have_class(re.compile(r"\btable-success\b"))
        page.get_by_role("button", name=t("Save"), exact=True).click()
        expect(page.locator(FLASH)).to_contain_text(t("Saved."))
        expect(page.locator("#budget-totals")).to_contain_text(t("within the call's limits"))
        expect(page.locator("#budget-totals")).to_contain_text(t("meets the co-financing rule"))
        application.refresh_from_db()
        assert (application.requested_amount, application.cofinancing_amount) == (
            Decimal("3600"),
            Decimal("400"),
        )
        page.get_by_role("button", name=t("Save and continue")).click()

        # the work plan: one activity
        expect(page.get_by_role("heading", name=t("Work plan"), level=2)).to_be_visible()
        page.locator("#a-0-title").fill("Pastrimi i parkut")
        page.locator("#a-0-starts_on").fill(activity_from)
        page.locator("#a-0-ends_on").fill(activity_to)
        page.locator("#a-0-description").fill("Tri ditë pune me vullnetarë")
        page.get_by_role("button", name=t("Save"), exact=True).click()
        expect(page.locator(FLASH)).to_contain_text(t("Saved."))
        assert application.activities.count() == 1
        SCREENS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENS / "grants-editor-360.png"), full_page=True)
        assert scroll_width(page) <= 360  # no sideways scrolling

        # The citizen leaves: the browser is closed. Later, a new session.
        page.context.close()
        page = current = new_page(citizen, viewport={"width": 360, "height": 780})
        page.goto(f"{base}/sq/grants/my/")
        page.get_by_role("link", name=re.compile("^" + re.escape(t("Continue the draft")))).click()
        expect(page.get_by_label(t("Project title"))).to_have_value(PROJECT_TITLE)
        expect(page.get_by_label(t("Summary of the project"))).to_have_value(SUMMARY)
        expect(page.get_by_label(t("Where the project takes place"))).to_have_value(str(prizren.pk))
        expect(page.get_by_label(t("Project starts"))).to_have_value(starts)
        expect(page.get_by_label(t("Project ends"))).to_have_value(ends)
        progress = page.get_by_role("navigation", name=t("Sections of the application"))
        progress.get_by_role("link", name=re.compile(re.escape(t("Questions")))).click()
        expect(page.get_by_label(re.compile(re.escape(QUESTION)))).to_have_value(ANSWER)
        progress = page.get_by_role("navigation", name=t("Sections of the application"))
        progress.get_by_role("link", name=re.compile(re.escape(t("Budget")))).click()
        expect(page.locator("#b-0-item")).to_have_value("Punëtori me vullnetarë")
        expect(page.locator("#b-0-cofinancing")).to_have_value("400,00")  # as the Albanian page writes it
        progress = page.get_by_role("navigation", name=t("Sections of the application"))
        progress.get_by_role("link", name=re.compile(re.escape(t("Work plan")))).click()
        expect(page.locator("#a-0-title")).to_have_value("Pastrimi i parkut")

        # preview and submit
        progress = page.get_by_role("navigation", name=t("Sections of the application"))
        progress.get_by_role("link", name=t("Preview and submit")).click()
        expect(page.get_by_text(t("Still missing before you can submit"))).to_have_count(0)
        expect(page.get_by_text(ANSWER)).to_be_visible()
        page.get_by_role("button", name=t("Submit the application")).click()
        success = page.locator(FLASH)
        expect(success).to_contain_text(re.compile(rf"CEA-{timezone.localdate().year}-\d{{4}}"))
        application.refresh_from_db()
        assert application.status == ApplicationStatus.SUBMITTED
        assert re.fullmatch(r"CEA-\d{4}-\d{4}", application.reference)
        expect(success).to_contain_text(application.reference)
        confirmation = EmailOutbox.objects.get(to=citizen.email, attachment_builder="grants.pdf.revision_pdf")
        assert application.reference in confirmation.subject + confirmation.body_text
        sent = [m for m in mail.outbox if m.to == [citizen.email]]
        assert sent and sent[-1].attachments  # the eager send task ran: the PDF is attached
        assert sent[-1].attachments[0][0] == f"{application.reference}.pdf"

        # 3. Staff screen it as eligible and assign the reviewer (portal's staff pages).
        current = staff_page
        staff_page.goto(f"{base}/sq/grants/manage/")
        call_row = staff_page.locator("tr", has_text=CALL_TITLE)
        call_row.get_by_role("link", name=t("Applications"), exact=True).click()
        staff_page.get_by_role("link", name=application.reference, exact=True).click()
        expect(staff_page.get_by_role("heading", level=1)).to_contain_text(PROJECT_TITLE)
        staff_page.get_by_label(t("Eligible"), exact=True).check()
        staff_page.get_by_role("button", name=t("Record the screening")).click()
        expect(staff_page.locator(FLASH)).to_contain_text(t("The eligibility decision is recorded."))
        application.refresh_from_db()
        assert application.status == ApplicationStatus.UNDER_REVIEW
        assert application.eligibility == Eligibility.ELIGIBLE
        staff_page.get_by_role("listbox", name=re.compile("^" + re.escape(t("Reviewers")))).select_option(
            label=f"{reviewer.full_name} <{reviewer.email}>"
        )
        staff_page.get_by_role("button", name=t("Assign"), exact=True).click()
        expect(staff_page.locator(FLASH)).to_contain_text(t("The reviewers are assigned and told by email."))
        assignment = ReviewAssignment.objects.get(application=application, reviewer=reviewer)

        # 4. The reviewer: the conflict-of-interest gate first, then the scores.
        review_page = current = new_page(reviewer)
        review_page.goto(f"{base}/sq/grants/reviews/")
        review_page.get_by_role("link", name=application.reference).click()
        expect(review_page.get_by_role("button", name=t("Declare"))).to_be_visible()
        expect(review_page.get_by_text(PROJECT_TITLE)).to_have_count(0)
        assert PROJECT_TITLE not in review_page.content() and SUMMARY not in review_page.content()
        review_page.get_by_label(t("No, I have no conflict of interest")).check()
        review_page.get_by_role("button", name=t("Declare")).click()
        expect(review_page.locator(FLASH)).to_contain_text(
            t("Thank you. You can now read and score the application.")
        )
        expect(review_page.get_by_text(PROJECT_TITLE).first).to_be_visible()
        scores = review_page.locator("fieldset", has_text=CRITERION)
        scores.get_by_label(t("Score (0–%(max)s)", max=5)).fill("4")
        scores.get_by_label(t("Comment"), exact=True).fill("Problem i qartë, plan i arsyeshëm.")
        review_page.get_by_label(t("Recommendation")).select_option(label=t("Fund"))
        review_page.get_by_role("button", name=t("Submit the review")).click()
        expect(review_page.locator(FLASH)).to_contain_text(t("Your review was submitted. Thank you."))
        assignment.refresh_from_db()
        assert assignment.status == AssignmentStatus.SUBMITTED
        assert assignment.scores.get().score == 4 and assignment.scores.get().criterion == criterion
        assert assignment.recommendation == "fund"

        # 4b. Staff look at the call's ranking: the application is ranked, not yet approved.
        # (The table is now kept as a cached fragment.)
        current = staff_page
        ranking_url = f"{base}/sq/grants/manage/calls/{CALL_SLUG}/ranking/"
        staff_page.goto(ranking_url)
        ranked_row = staff_page.locator("tr", has_text=application.reference)
        expect(ranked_row).to_be_visible()
        expect(ranked_row.locator(".badge")).to_have_count(0)

        # 5. Staff approve it with an amount and conditions.
        staff_page.goto(f"{base}/sq/grants/manage/")
        call_row = staff_page.locator("tr", has_text=CALL_TITLE)
        call_row.get_by_role("link", name=t("Applications"), exact=True).click()
        staff_page.get_by_role("link", name=application.reference, exact=True).click()
        expect(staff_page.locator("#reviews-title")).to_contain_text("(1 / 1")
        staff_page.get_by_label(t("Approve"), exact=True).check()
        staff_page.get_by_label(t("Approved amount (EUR)")).fill("3500")
        staff_page.get_by_label(t("Conditions (approval) or reason (rejection)")).fill(
            "Raport përfundimtar me fotografi."
        )
        staff_page.get_by_role("button", name=t("Record the decision")).click()
        expect(staff_page.locator(FLASH)).to_contain_text(
            t("The decision is recorded and the applicant is told by email.")
        )
        application.refresh_from_db()
        assert application.status == ApplicationStatus.APPROVED
        assert application.grant.amount == Decimal("3500.00")
        assert (
            application.grant.conditions == application.decision_note == "Raport përfundimtar me fotografi."
        )

        # The ranking shows the decision at the next view: the cached table was replaced.
        staff_page.goto(ranking_url)
        expect(staff_page.locator("tr", has_text=application.reference).locator(".badge")).to_have_text(
            t("Approved")
        )
        expect(staff_page.locator("dl")).to_contain_text(_sq_amount("3500"))

        # 6. The applicant sees the decision on the application page.
        current = page
        page.goto(f"{base}/sq/grants/my/")
        page.get_by_role("link", name=PROJECT_TITLE).click()
        awarded = t("Awarded")
        with translation.override("sq"):
            assert str(PUBLIC_LABELS[ApplicationStatus.APPROVED]) == awarded
        expect(page.locator("#status-h + p")).to_contain_text(awarded)
        decision = page.locator("#decision")
        expect(decision).to_contain_text(t("Approved amount: %(amount)s", amount=_sq_amount("3500")))
        expect(decision).to_contain_text("Raport përfundimtar me fotografi.")
        page.screenshot(path=str(SCREENS / "grants-decision-360.png"), full_page=True)
        assert scroll_width(page) <= 360

        # 7. A visitor finds the grant in the public list (English), the person behind it
        # withheld, and narrows the list with the filters; the Serbian page lists it too.
        public = current = new_page(None, locale="en-US")
        public.goto(f"{base}/en/grants/awarded/")
        item = public.locator(f"#grant-{application.reference}")
        expect(item).to_contain_text("€3,500.00")
        expect(item).not_to_contain_text(citizen.full_name)
        public.get_by_label("Municipality").select_option(label=prizren.name_en)
        public.get_by_role("button", name="Show").click()
        expect(public.locator(f"#grant-{application.reference}")).to_be_visible()
        elsewhere = Municipality.objects.exclude(pk=prizren.pk).order_by("slug").first()
        public.get_by_label("Municipality").select_option(label=elsewhere.name_en)
        public.get_by_role("button", name="Show").click()
        expect(public.get_by_text("No awarded grant matches these filters.")).to_be_visible()
        public.goto(f"{base}/sr-latn/grants/awarded/")
        expect(public.locator("h1")).to_have_text(t("Awarded grants", "sr-latn"))
        expect(public.locator(f"#grant-{application.reference}")).to_be_visible()

        assert page_errors == []
        assert csp_violations == []
    except Exception:
        if current is not None and not current.is_closed():
            SCREENS.mkdir(parents=True, exist_ok=True)
            current.screenshot(path=str(SCREENS / "grants-failure.png"), full_page=True)
        raise
    finally:
        for context in contexts:
            context.close()
