"""The applicant's side before the application is sent: how to apply (with the eligibility
of every way before starting), the draft editor (one screen per section, autosaved with
htmx, with a Save button that works without JavaScript), attachments, the preview, the
submission and the PDF of the application.

Refusals: an application the person may not see is a 404; one they may see but not change
is a 403 (an organisation's viewer, staff, a reviewer); a move its status does not allow,
a closed call or a service's ValidationError is a 400 page with the reason. Every change
goes through `grants.services.applications`; the server's totals and checks are the truth.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.forms import add_service_errors
from core.money import amount_for_input
from core.permissions import error_text, permission
from core.private_files import file_response
from grants.choices import EDITABLE_STATUSES, ApplicantType, ApplicationStatus, QuestionKind
from grants.forms import apply as apply_forms
from grants.models import Application, Attachment, AttachmentRequirement, Call, Question, to_cents
from grants.services import applications as services

S = ApplicationStatus

SECTION_TITLES = {
    "project": gettext_lazy("Project"),
    "group": gettext_lazy("Group members"),
    "questions": gettext_lazy("Questions"),
    "budget": gettext_lazy("Budget"),
    "timeline": gettext_lazy("Work plan"),
    "attachments": gettext_lazy("Attachments"),
}
SECTION_HELP = {
    "project": gettext_lazy("What the project is called, what it does, where and when."),
    "group": gettext_lazy("The people of your informal group: at least two, with their role."),
    "questions": gettext_lazy("The questions of this call. Your answers are saved as you type."),
    "budget": gettext_lazy(
        "One line per cost: quantity × unit cost = amount requested + co-financing. "
        "Leave “requested” empty to request the whole amount less the co-financing."
    ),
    "timeline": gettext_lazy("The activities of the project with their dates."),
    "attachments": gettext_lazy("The documents this call asks for, and any other file you want to add."),
}
# Sections of `application_problems` keys ("answer:<key>" go to questions, or attachments for files).
PROBLEM_SECTIONS = {
    "project": "project",
    "group": "group",
    "budget": "budget",
    "activities": "timeline",
    "attachments": "attachments",
}
EMPTY_ROWS = 2  # empty rows under each table, to add lines without JavaScript


# --- helpers -------------------------------------------------------------------------------


def _refused(request, reason: str, *, title=None, back_url: str = "", back_label=None, status=400, **extra):
    return render(
        request,
        "grants/apply_refused.html",
        {
            "title": title or _("This cannot be done"),
            "reason": reason,
            "back_url": back_url,
            "back_label": back_label or _("Back"),
            **extra,
        },
        status=status,
    )


def _load(pk) -> Application:
    """The application with what the editor, the checks and the snapshot read."""
    return get_object_or_404(
        Application.objects.select_related(
            "call", "organization", "applicant", "municipality"
        ).prefetch_related(
            "budget_lines",
            "activities",
            "group_members",
            Prefetch("attachments", queryset=Attachment.objects.select_related("requirement", "question")),
        ),
        pk=pk,
    )


def load_application(request, pk, **kwargs) -> Application:
    """An application the person may see (the applicant's side, staff, a cleared reviewer);
    anything else is a 404."""
    application = _load(pk)
    if not request.user.has_perm("grants.view_application", application):
        raise Http404
    return application


def load_call(request, slug, **kwargs) -> Call:
    return get_object_or_404(Call, slug=slug)


def application_page(perm: str = "grants.view_application"):
    """Declare `perm` on the application of the URL, which the person must be able to see."""
    return permission(perm, load=load_application, pass_as="application")


def _detail_url(application) -> str:
    return reverse("grants:application_detail", kwargs={"pk": application.pk})


def _not_editable(request, application):
    """The applicant's side on an application that can no longer change: 400 with the reason;
    anyone else who may see it: 403."""
    if request.user.has_perm("grants.submit_application", application):
        return _refused(
            request,
            _("This application is “%(status)s”: it can no longer be changed.")
            % {"status": application.public_status_label},
            title=_("This application cannot be edited"),
            back_url=_detail_url(application),
            back_label=_("See the application"),
        )
    raise PermissionDenied(_("You do not have permission to do this."))


def _for_editing(request, application):
    """(application, None) when the person may edit it now, else (application, refusal)."""
    if request.user.has_perm("grants.edit_application", application):
        return application, None
    return application, _not_editable(request, application)


def _questions(application) -> list[Question]:
    return list(application.call.questions.filter(stage=application.stage))


def _sections(application, questions) -> list[str]:
    keys = ["project"]
    if application.applicant_type == ApplicantType.GROUP:
        keys.append("group")
    if any(q.kind != QuestionKind.FILE for q in questions):
        keys.append("questions")
    return [*keys, "budget", "timeline", "attachments"]


def _problems_by_section(problems: dict, questions) -> dict[str, list[str]]:
    file_keys = {q.key for q in questions if q.kind == QuestionKind.FILE}
    labels = {q.key: q.label for q in questions}
    grouped: dict[str, list[str]] = {}
    for key, messages_ in problems.items():
        if key.startswith("answer:"):
            qkey = key.split(":", 1)[1]
            section = "attachments" if qkey in file_keys else "questions"
            messages_ = [f"{labels.get(qkey, qkey)}: {m}" for m in messages_]
        else:
            section = PROBLEM_SECTIONS.get(key, "project")
        grouped.setdefault(section, []).extend(messages_)
    return grouped


def _progress(application, questions, current: str = "") -> dict:
    problems = services.application_problems(application)
    by_section = _problems_by_section(problems, questions)
    steps = [
        {
            "key": key,
            "title": SECTION_TITLES[key],
            "missing": by_section.get(key, []),
            "done": key not in by_section,
            "url": reverse("grants:application_section", kwargs={"pk": application.pk, "section": key}),
        }
        for key in _sections(application, questions)
    ]
    done = sum(1 for s in steps if s["done"])
    return {
        "steps": steps,
        "done": done,
        "total": len(steps),
        "problems": problems,
        "by_section": by_section,
        "complete": not problems,
        "current": current,
    }


def _deadline_passed(application) -> bool:
    if application.status == S.CHANGES_REQUESTED:
        return False  # a resubmission KCSF asked for has no deadline of its own
    deadline = application.deadline
    return deadline is None or timezone.now() >= deadline


def _status_notes(application) -> dict:
    """KCSF's note when it asked for changes; the full-proposal deadline when invited."""
    notes = {"deadline": application.deadline, "deadline_passed": _deadline_passed(application)}
    if application.status == S.CHANGES_REQUESTED:
        change = (
            application.status_changes.filter(to_status=S.CHANGES_REQUESTED)
            .order_by("-created_at", "-pk")
            .first()
        )
        notes["changes_note"] = change.note if change else ""
        notes["changes_at"] = change.created_at if change else None
    return notes


# --- table rows shown in the editor ----------------------------------------------------------


def _pad(rows: list[dict], fields, minimum: int = 0) -> list[dict]:
    start = max((r["n"] for r in rows), default=-1) + 1
    extra = max(EMPTY_ROWS, minimum - len(rows))
    return rows + [{**{f: "" for f in fields}, "n": start + i} for i in range(extra)]


def _stored_budget_rows(application) -> list[dict]:
    """The saved lines as the editor's inputs show them: amounts as the page writes them
    ("1.500,00" in sq and sr-Latn), and "Requested" left empty, its value as the field's
    placeholder: a saved line's requested amount is always quantity × unit cost less the
    co-financing, so an empty field gives it back, and follows when the quantity, the unit
    cost or the co-financing change (a value typed again is kept, as typed)."""
    return [
        {
            "n": i,
            "category": line.category,
            "item": line.item,
            "quantity": str(int(line.quantity))
            if line.quantity == line.quantity.to_integral()
            else amount_for_input(line.quantity),
            "unit_cost": amount_for_input(line.unit_cost),
            "requested": "",
            "requested_auto": amount_for_input(line.requested),
            "cofinancing": amount_for_input(line.cofinancing),
            "amount": line.amount,
        }
        for i, line in enumerate(application.budget_lines.all())
    ]


def _stored_activity_rows(application) -> list[dict]:
    return [
        {
            "n": i,
            "title": a.title,
            "starts_on": a.starts_on.isoformat(),
            "ends_on": a.ends_on.isoformat(),
            "description": a.description,
        }
        for i, a in enumerate(application.activities.all())
    ]


def _stored_member_rows(application) -> list[dict]:
    return [
        {"n": i, "name": m.name, "role": m.role, "email": m.email}
        for i, m in enumerate(application.group_members.all())
    ]


def _budget_check(application) -> dict:
    """The saved totals against the call's rules (what the submission will check)."""
    call = application.call
    requested, cofinancing, total = (
        application.requested_amount,
        application.cofinancing_amount,
        application.total_cost,
    )
    needed = services.cofinancing_needed(call, total)
    return {
        "requested": requested,
        "cofinancing": cofinancing,
        "total": total,
        "share": to_cents(cofinancing * 100 / total) if total else None,
        "min": call.min_amount,
        "max": call.max_amount,
        "percent": call.cofinancing_percent.normalize(),
        "needed": needed,
        "amount_ok": call.min_amount <= requested <= call.max_amount,
        "cofinancing_ok": not call.cofinancing_percent or (total > 0 and cofinancing >= needed),
        "has_lines": bool(application.budget_lines.all()),
    }


def _attachment_slots(application, questions) -> dict:
    current = services.current_attachments(application)
    by_requirement = {a.requirement_id: a for a in current if a.requirement_id}
    by_question = {a.question_id: a for a in current if a.question_id}
    requirements = [
        r
        for r in application.call.attachment_requirements.filter(stage=application.stage)
        if r.applies_to(application.applicant_type)
    ]
    return {
        "requirements": [
            {"slot": f"r{r.pk}", "requirement": r, "attachment": by_requirement.get(r.pk)}
            for r in requirements
        ],
        "file_questions": [
            {"slot": f"q{q.pk}", "question": q, "attachment": by_question.get(q.pk)}
            for q in questions
            if q.kind == QuestionKind.FILE
        ],
        "extras": [a for a in current if not a.requirement_id and not a.question_id],
        "max_bytes": settings.GRANTS_ATTACHMENT_MAX_BYTES,
        "max_files": settings.GRANTS_MAX_ATTACHMENTS,
    }


def _question_rows(form, questions, problems: dict) -> list[dict]:
    rows = []
    for question in questions:
        if question.kind == QuestionKind.FILE:
            rows.append(
                {"question": question, "field": None, "problem": problems.get(f"answer:{question.key}")}
            )
            continue
        field = form[question.key]
        value = field.value()
        rows.append(
            {
                "question": question,
                "field": field,
                "problem": problems.get(f"answer:{question.key}"),
                "words": apply_forms.words(value) if question.kind == QuestionKind.LONG_TEXT else None,
                "over": bool(question.word_limit)
                and question.kind == QuestionKind.LONG_TEXT
                and apply_forms.words(value) > question.word_limit,
            }
        )
    return rows


def _editor_context(request, application, section, questions, **state) -> dict:
    progress = _progress(application, questions, section)
    sections = [s["key"] for s in progress["steps"]]
    index = sections.index(section)
    context = {
        "application": application,
        "call": application.call,
        "section": section,
        "section_title": SECTION_TITLES[section],
        "section_help": SECTION_HELP[section],
        "progress": progress,
        "section_missing": progress["by_section"].get(section, []),
        "notes": _status_notes(application),
        "section_url": reverse(
            "grants:application_section", kwargs={"pk": application.pk, "section": section}
        ),
        "previous_url": progress["steps"][index - 1]["url"] if index > 0 else None,
        "next_url": progress["steps"][index + 1]["url"] if index + 1 < len(sections) else None,
        "preview_url": reverse("grants:application_preview", kwargs={"pk": application.pk}),
        "row_errors": state.get("row_errors", {}),
        "table_errors": state.get("table_errors", []),
        "failed": state.get("failed", False),
    }
    if section == "project":
        context["form"] = state.get("form") or apply_forms.ProjectForm(
            application=application, targeted=list(application.call.municipalities.all())
        )
    elif section == "questions":
        form = state.get("form") or apply_forms.AnswersForm(questions=questions, answers=application.answers)
        context["form"] = form
        context["question_rows"] = _question_rows(form, questions, progress["problems"])
    elif section == "budget":
        rows = state.get("rows")
        if rows is None:
            rows = _stored_budget_rows(application)
        context["rows"] = _pad(rows, apply_forms.BUDGET_FIELDS, minimum=3)
        context["categories"] = apply_forms.BUDGET_CATEGORY_CHOICES
        context["check"] = _budget_check(application)
    elif section == "timeline":
        rows = state.get("rows")
        context["rows"] = _pad(
            _stored_activity_rows(application) if rows is None else rows,
            apply_forms.ACTIVITY_FIELDS,
            minimum=3,
        )
    elif section == "group":
        rows = state.get("rows")
        context["rows"] = _pad(
            _stored_member_rows(application) if rows is None else rows, apply_forms.MEMBER_FIELDS, minimum=3
        )
    elif section == "attachments":
        context["slots"] = _attachment_slots(application, questions)
        context["upload_form"] = state.get("upload_form")
        context["upload_slot"] = state.get("upload_slot", "")
    if "rows" in context:
        row_errors = context["row_errors"]
        for row in context["rows"]:
            row["errors"] = row_errors.get(row["n"], [])
        posted = state.get("rows")
        posted_ns = None if posted is None else {p["n"] for p in posted}
        context["oob_rows"] = [r for r in context["rows"] if posted_ns is None or r["n"] in posted_ns]
        fields = {
            "budget": apply_forms.BUDGET_FIELDS,
            "timeline": apply_forms.ACTIVITY_FIELDS,
            "group": apply_forms.MEMBER_FIELDS,
        }[section]
        context["template_row"] = {**{f: "" for f in fields}, "n": "__n__", "errors": []}
    return context


# --- starting ------------------------------------------------------------------------------


def _existing(user, call, options) -> dict[str, Application]:
    """The person's (or their organisations') applications to the call, by start option."""
    organizations = [org.pk for _kind, org, _verdict in options if org is not None]
    found = {}
    for application in (
        Application.objects.filter(call=call)
        .exclude(status=S.WITHDRAWN)
        .filter(Q(applicant=user, organization__isnull=True) | Q(organization_id__in=organizations))
        .only("pk", "status", "applicant_type", "organization_id", "applicant_id")
    ):
        key = (
            f"org-{application.organization_id}"
            if application.organization_id
            else application.applicant_type
        )
        found.setdefault(key, application)
        if key == ApplicantType.GROUP:  # one group application per person, however started
            for _kind, org, _verdict in options:
                if org is not None and _kind == ApplicantType.GROUP:
                    found.setdefault(f"group-{org.pk}", application)
    return found


def _apply_page(request, call, options, form, status=200):
    existing = _existing(request.user, call, options)
    rows = []
    for kind, organization, verdict in options:
        value = apply_forms.option_value(kind, organization)
        application = existing.get(value)
        rows.append(
            {
                "value": value,
                "kind": kind,
                "label": organization.name if organization else ApplicantType(kind).label,
                "organization": organization,
                "allowed": verdict.allowed,
                "reason": verdict.reason,
                "existing": application,
                "existing_url": (
                    reverse("grants:application_edit", kwargs={"pk": application.pk})
                    if application and application.status in EDITABLE_STATUSES
                    else _detail_url(application)
                    if application
                    else ""
                ),
                "checked": form.data.get("option") == value if form.is_bound else False,
            }
        )
    if not form.is_bound:
        allowed = [r for r in rows if r["allowed"]]
        if len(allowed) == 1:
            allowed[0]["checked"] = True
    return render(
        request,
        "grants/apply.html",
        {
            "call": call,
            "options": rows,
            "form": form,
            "any_allowed": any(r["allowed"] for r in rows),
            "has_organizations": any(r["organization"] for r in rows),
        },
        status=status,
    )


@permission("grants.apply_to_call", load=load_call, pass_as="call")
@require_http_methods(["GET", "POST"])
def apply(request, slug, call):
    """Every way the person may apply (with the verdict and the reason), then start."""
    reason = call.closed_reason()
    if reason:
        return _refused(
            request,
            reason,
            title=_("You cannot apply to this call"),
            back_url=reverse("grants:call_detail", kwargs={"slug": call.slug}) if call.is_published else "",
            back_label=_("Back to the call"),
        )
    options = services.applicant_options(user=request.user, call=call)
    if request.method == "GET":
        return _apply_page(request, call, options, apply_forms.StartForm(options=options))
    form = apply_forms.StartForm(request.POST, options=options)
    if form.is_valid():
        try:
            application = services.application_start(
                actor=request.user,
                call=call,
                applicant_type=form.cleaned_data["applicant_type"],
                organization=form.cleaned_data["organization"],
                group_name=form.cleaned_data.get("group_name") or "",
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Your draft is started. It is saved as you go: you can leave and come back any time."),
            )
            return redirect("grants:application_edit", pk=application.pk)
    return _apply_page(request, call, options, form, status=400)


# --- the editor ----------------------------------------------------------------------------


@application_page()
@require_GET
def application_edit(request, pk, application):
    """Open the editor at the first section that still needs something."""
    application, refusal = _for_editing(request, application)
    if refusal is not None:
        return refusal
    questions = _questions(application)
    progress = _progress(application, questions)
    first = next((s["key"] for s in progress["steps"] if not s["done"]), "project")
    return redirect("grants:application_section", pk=application.pk, section=first)


def _save_section(request, application, section, questions) -> dict:
    """Save the posted section through its service. Returns the state to render: the form or
    rows as posted, errors, whether something was saved and whether something failed."""
    post = request.POST
    actor = request.user
    if section == "project":
        form = apply_forms.ProjectForm(post, application=application)
        data = form.storable()
        if data:
            services.application_save_project(actor=actor, application=application, data=data)
        return {"form": form, "failed": bool(form.errors), "saved": bool(data)}
    if section == "questions":
        form = apply_forms.AnswersForm(
            post, questions=[q for q in questions if q.kind != QuestionKind.FILE], answers=application.answers
        )
        answers = form.storable()
        if answers:
            services.application_save_answers(actor=actor, application=application, answers=answers)
        return {"form": form, "failed": bool(form.errors), "saved": bool(answers)}
    readers = {
        "budget": (apply_forms.budget_rows, apply_forms.budget_row_errors, services.application_save_budget),
        "timeline": (
            apply_forms.activity_rows,
            apply_forms.activity_row_errors,
            services.application_save_activities,
        ),
        "group": (
            apply_forms.member_rows,
            apply_forms.member_row_errors,
            services.application_save_group_members,
        ),
    }
    read, check, store = readers[section]
    rows = read(post)
    row_errors, table_errors = check(rows)
    if not row_errors and not table_errors:
        try:
            store(
                actor=actor,
                application=application,
                rows=[{k: v for k, v in r.items() if k != "n"} for r in rows],
            )
        except ValidationError as exc:
            if getattr(exc, "code", None) == "not_editable":
                raise
            table_errors = exc.messages
    failed = bool(row_errors or table_errors)
    return {
        "rows": rows,
        "row_errors": row_errors,
        "table_errors": table_errors,
        "failed": failed,
        "saved": not failed,
    }


@application_page()
@require_http_methods(["GET", "POST"])
def application_section(request, pk, section, application):
    """One section of the editor. POST saves what is typed: by htmx (autosave on change) the
    answer is a status fragment with errors, totals and progress swapped out of band; without
    JavaScript the Save button posts the form and comes back here."""
    if section not in SECTION_TITLES:
        raise Http404
    application, refusal = _for_editing(request, application)
    questions = _questions(application)
    if section not in _sections(application, questions):
        raise Http404
    htmx = bool(getattr(request, "htmx", False))
    if refusal is not None:
        if htmx and request.method == "POST":
            return render(
                request,
                "grants/includes/_editor_autosave.html",
                {"error": _("This application can no longer be changed."), "section": section},
                status=400,
            )
        return refusal
    if request.method == "GET":
        return render(
            request, "grants/application_edit.html", _editor_context(request, application, section, questions)
        )
    if section == "attachments":
        raise Http404  # files are posted to their own URLs
    try:
        state = _save_section(request, application, section, questions)
    except ValidationError as exc:  # the status changed meanwhile (e.g. submitted in another tab)
        if htmx:
            return render(
                request,
                "grants/includes/_editor_autosave.html",
                {"error": error_text(exc), "section": section},
                status=400,
            )
        return _refused(request, error_text(exc), back_url=_detail_url(application))
    application = _load(application.pk)
    if state["failed"]:
        context = _editor_context(request, application, section, questions, **state)
        context["saved"] = state["saved"]
        if htmx:
            return render(request, "grants/includes/_editor_autosave.html", context, status=400)
        messages.error(request, _("Not everything was saved. Please correct the errors shown in red."))
        return render(request, "grants/application_edit.html", context, status=400)
    if htmx:
        context = _editor_context(request, application, section, questions, **state)
        context["saved"] = True
        return render(request, "grants/includes/_editor_autosave.html", context)
    messages.success(request, _("Saved."))
    if "next" in request.POST:
        sections = _sections(application, questions)
        index = sections.index(section)
        if index + 1 < len(sections):
            return redirect("grants:application_section", pk=application.pk, section=sections[index + 1])
        return redirect("grants:application_preview", pk=application.pk)
    return redirect("grants:application_section", pk=application.pk, section=section)


# --- attachments ---------------------------------------------------------------------------


@application_page()
@require_POST
def attachment_upload(request, pk, application):
    """Upload a file: for a required document, a file question, or an extra file."""
    application, refusal = _for_editing(request, application)
    if refusal is not None:
        return refusal
    form = apply_forms.AttachmentForm(request.POST, request.FILES)
    slot = "extra"
    if form.is_valid():
        requirement = question = None
        if form.cleaned_data.get("requirement"):
            slot = f"r{form.cleaned_data['requirement']}"
            requirement = AttachmentRequirement.objects.filter(
                pk=form.cleaned_data["requirement"], call_id=application.call_id, stage=application.stage
            ).first()
            if requirement is None:
                form.add_error(None, _("This document is not asked for by this call."))
        elif form.cleaned_data.get("question"):
            slot = f"q{form.cleaned_data['question']}"
            question = Question.objects.filter(
                pk=form.cleaned_data["question"],
                call_id=application.call_id,
                stage=application.stage,
                kind=QuestionKind.FILE,
            ).first()
            if question is None:
                form.add_error(None, _("This question does not take a file."))
        if not form.errors:
            try:
                attachment = services.attachment_add(
                    actor=request.user,
                    application=application,
                    upload=form.cleaned_data["file"],
                    requirement=requirement,
                    question=question,
                )
            except ValidationError as exc:
                if getattr(exc, "code", None) == "not_editable":
                    return _refused(request, error_text(exc), back_url=_detail_url(application))
                add_service_errors(form, exc)
            else:
                messages.success(request, _("“%(name)s” was attached.") % {"name": attachment.original_name})
                return redirect("grants:application_section", pk=application.pk, section="attachments")
    else:
        raw = request.POST.get("requirement") or ""
        slot = (
            f"r{raw}"
            if raw
            else (f"q{request.POST.get('question')}" if request.POST.get("question") else "extra")
        )
    application = _load(application.pk)
    questions = _questions(application)
    messages.error(
        request,
        _("The file was not attached: %(reason)s")
        % {"reason": " ".join(str(e) for errors in form.errors.values() for e in errors)},
    )
    return render(
        request,
        "grants/application_edit.html",
        _editor_context(request, application, "attachments", questions, upload_form=form, upload_slot=slot),
        status=400,
    )


@application_page()
@require_POST
def attachment_remove(request, pk, att_pk, application):
    application, refusal = _for_editing(request, application)
    if refusal is not None:
        return refusal
    attachment = get_object_or_404(
        Attachment.objects.select_related("application"), pk=att_pk, application=application
    )
    try:
        services.attachment_remove(actor=request.user, attachment=attachment)
    except ValidationError as exc:
        return _refused(request, error_text(exc), back_url=_detail_url(application))
    messages.success(request, _("“%(name)s” was removed.") % {"name": attachment.original_name})
    return redirect("grants:application_section", pk=application.pk, section="attachments")


@application_page()
@require_GET
@never_cache
def attachment_download(request, pk, att_pk, application):
    """A private file of an application, to whoever may see the application (else 404)."""
    attachment = get_object_or_404(Attachment, pk=att_pk, application=application)
    return file_response(attachment.file, filename=attachment.original_name, file_type=attachment.file_type)


# --- preview, submit, PDF ------------------------------------------------------------------


def _preview(request, application, *, status=200):
    questions = _questions(application)
    editable = application.status in EDITABLE_STATUSES
    progress = _progress(application, questions) if editable else None
    may_submit = request.user.has_perm("grants.submit_application", application)
    reasons = []
    if editable and may_submit:
        if _deadline_passed(application):
            reasons.append(_("The deadline for submissions has passed."))
        if progress and not progress["complete"]:
            reasons.append(_("Something is still missing: see the list above."))
    return render(
        request,
        "grants/application_preview.html",
        {
            "application": application,
            "call": application.call,
            "data": services.snapshot(application),
            "progress": progress,
            "editable": editable and request.user.has_perm("grants.edit_application", application),
            "show_submit": editable and may_submit,
            "can_submit": editable and may_submit and not reasons,
            "reasons": reasons,
            "notes": _status_notes(application),
            "section_titles": SECTION_TITLES,
        },
        status=status,
    )


@application_page("grants.view_application_private")
@require_GET
def application_preview(request, pk, application):
    """The whole application as it will be sent, what is still missing, and Submit."""
    return _preview(request, application)


@application_page("grants.submit_application")
@require_POST
def application_submit(request, pk, application):
    try:
        application = services.application_submit(actor=request.user, application=application)
    except services.SubmissionRefused:
        messages.error(request, _("The application was not sent: something is still missing (see below)."))
        return _preview(request, _load(application.pk), status=400)
    except ValidationError as exc:
        already = getattr(exc, "code", None) == "already_submitted"
        return _refused(
            request,
            error_text(exc),
            title=_("Already submitted") if already else _("The application was not sent"),
            back_url=_detail_url(application),
            back_label=_("See the application"),
        )
    messages.success(
        request,
        _(
            "Your application was submitted. Its reference is %(reference)s. A confirmation with a PDF"
            " of the application is on its way to your email."
        )
        % {"reference": application.reference},
    )
    return redirect("grants:application_detail", pk=application.pk)


@application_page()
@require_GET
def application_pdf(request, pk, application):
    """The PDF of a revision (?revision=N, default the latest); a draft never sent: its
    current content, marked as a draft."""
    revision = None
    raw = request.GET.get("revision", "").strip()
    if raw:
        if not raw.isdecimal() or not 0 < int(raw) < 32768:
            raise Http404
        revision = get_object_or_404(application.revisions, number=int(raw))
    from grants.pdf import application_pdf as render_pdf

    hide_contacts = not request.user.has_perm("grants.view_application_private", application)
    content = render_pdf(application, revision, hide_contacts=hide_contacts)
    if revision is None:
        revision = application.revisions.order_by("-number").first()
    name = application.reference or f"draft-{application.pk}"
    suffix = f"-r{revision.number}" if revision else ""
    return HttpResponse(
        content,
        content_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}{suffix}.pdf"'},
    )
