"""Running a cohort: the sessions (participants, facilitators, mentors), attendance taken
on a phone (one tap per participant), mentor notes and community action projects."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from academy import selectors
from academy.forms import CommentForm, MentorNoteForm, ProjectForm
from academy.services import running, schedule
from academy.services.completion import completion_of
from academy.views.common import load_application, load_cohort, load_project, load_session
from core.forms import add_service_errors
from core.permissions import permission, signed_in

PAGE_SIZE = 30


@signed_in
@require_GET
def my_cohorts(request):
    page_obj = Paginator(selectors.cohorts_taking_part(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "academy/my_cohorts.html", {"page_obj": page_obj, "cohorts": page_obj.object_list})


@permission("academy.view_sessions", load=load_cohort, pass_as="cohort")
@require_GET
def sessions(request, pk, cohort):
    page_obj = Paginator(selectors.sessions_of(cohort, request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    me = cohort.applications.filter(applicant=request.user, status="confirmed").first()
    can_mark = request.user.has_perm("academy.take_attendance", cohort)
    return render(
        request,
        "academy/sessions.html",
        {
            "cohort": cohort,
            "page_obj": page_obj,
            "sessions": page_obj.object_list,
            "me": me,
            "can_mark": can_mark,
            "now": timezone.now(),
            "feed_url": schedule.feed_url(me) if me else "",
            "completion": completion_of(me) if me else None,
        },
    )


def _sheet(request, session, *, error=None, status=200):
    return render(
        request,
        "academy/attendance.html",
        {
            "session": session,
            "cohort": session.cohort,
            "rows": selectors.attendance_sheet(session),
            "running": session.is_running(),
            "error": error,
        },
        status=status,
    )


@permission("academy.take_attendance", load=load_session, pass_as="session")
@require_GET
def attendance(request, pk, session):
    return _sheet(request, session)


@permission("academy.take_attendance", load=load_session, pass_as="session")
@require_POST
def attendance_mark(request, pk, session):
    try:
        running.attendance_mark(
            actor=request.user,
            session=session,
            participant_id=request.POST.get("participant"),
            present=request.POST.get("present") != "0",
        )
    except ValidationError as exc:
        return _sheet(request, session, error=" ".join(exc.messages), status=400)
    return redirect("academy:attendance", pk=session.pk)


@permission("academy.view_mentor_notes", load=load_application, pass_as="participant", refuse=404)
@require_http_methods(["GET", "POST"])
def notes(request, pk, participant):
    can_add = request.user.has_perm("academy.add_mentor_note", participant)
    form, status = (MentorNoteForm() if can_add else None), 200
    if request.method == "POST":
        if not can_add:
            return render(
                request,
                "academy/refused.html",
                {"reason": _("Only the participant's mentor writes notes.")},
                status=403,
            )
        form = MentorNoteForm(request.POST)
        if form.is_valid():
            try:
                running.mentor_note_add(actor=request.user, participant=participant, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The note was saved."))
                return redirect("academy:notes", pk=participant.pk)
        status = 400
    page_obj = Paginator(selectors.mentor_notes(participant), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "academy/notes.html",
        {"participant": participant, "page_obj": page_obj, "notes": page_obj.object_list, "form": form},
        status=status,
    )


@permission("academy.view_sessions", load=load_cohort, pass_as="cohort")
@require_http_methods(["GET", "POST"])
def projects(request, pk, cohort):
    """The cohort's projects; a participant starts one here."""
    can_start = request.user.has_perm("academy.start_project", cohort)
    form, status = (ProjectForm() if can_start else None), 200
    if request.method == "POST":
        if not can_start:
            return render(
                request,
                "academy/refused.html",
                {"reason": _("Only participants start projects.")},
                status=403,
            )
        form = ProjectForm(request.POST)
        if form.is_valid():
            try:
                project = running.project_start(actor=request.user, cohort=cohort, data=form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Your project was started."))
                return redirect("academy:project", pk=project.pk)
        status = 400
    page_obj = Paginator(selectors.projects_of_cohort(cohort), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "academy/projects.html",
        {"cohort": cohort, "page_obj": page_obj, "projects": page_obj.object_list, "form": form},
        status=status,
    )


@permission("academy.view_project", load=load_project, pass_as="project", refuse=404)
@require_http_methods(["GET", "POST"])
def project(request, pk, project):
    can_edit = request.user.has_perm("academy.edit_project", project)
    can_comment = request.user.has_perm("academy.comment_on_project", project)
    form = ProjectForm(instance=project) if can_edit else None
    status = 200
    if request.method == "POST":
        if not can_edit:
            return render(
                request,
                "academy/refused.html",
                {"reason": _("Only the project's team edits it.")},
                status=403,
            )
        form = ProjectForm(request.POST, instance=project)
        if form.is_valid():
            try:
                running.project_update(actor=request.user, project=project, data=form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The project was saved."))
                return redirect("academy:project", pk=project.pk)
        status = 400
        project.refresh_from_db()
    return render(
        request,
        "academy/project.html",
        {
            "project": project,
            "members": project.members.select_related("applicant"),
            "comments": project.comments.select_related("author"),
            "form": form,
            "comment_form": CommentForm() if can_comment else None,
        },
        status=status,
    )


@permission("academy.comment_on_project", load=load_project, pass_as="project")
@require_POST
def project_comment(request, pk, project):
    form = CommentForm(request.POST)
    if form.is_valid():
        running.project_comment(actor=request.user, project=project, body=form.cleaned_data["body"])
        messages.success(request, _("Your comment was added."))
        return redirect("academy:project", pk=project.pk)
    return render(request, "academy/refused.html", {"reason": _("Write the comment.")}, status=400)


@permission("academy.edit_project", load=load_project, pass_as="project", refuse=404)
@require_POST
def project_finish(request, pk, project):
    try:
        running.project_finish(actor=request.user, project=project)
    except ValidationError as exc:
        return render(
            request,
            "academy/refused.html",
            {"reason": " ".join(exc.messages), "back": ("academy:project", project.pk)},
            status=400,
        )
    messages.success(request, _("The project is marked finished."))
    return redirect("academy:project", pk=project.pk)


@permission("academy.take_attendance", load=load_session, pass_as="session")
@require_GET
def attendance_qr(request, pk, session):
    """The session's QR code, for the facilitator to show: a fresh signed code on every load."""
    from django.urls import reverse
    from django.utils.http import urlencode

    from core.qr import svg
    from core.site_url import site_url

    link = (
        site_url()
        + reverse("academy:check_in", args=[session.pk])
        + "?"
        + urlencode({"code": running.checkin_code(session)})
    )
    return render(
        request,
        "academy/attendance_qr.html",
        {
            "session": session,
            "cohort": session.cohort,
            "running": session.is_running(),
            "link": link,
            "qr_svg": svg(link, title=_("Attendance code for %(session)s") % {"session": session.title}),
            "minutes": running.CHECKIN_MAX_AGE // 60,
        },
    )


@signed_in
@require_http_methods(["GET", "POST"])
def check_in(request, pk):
    """A participant opens the scanned link (signed in) and confirms with one tap."""
    session = load_session(request, pk)
    code = (request.POST.get("code") if request.method == "POST" else request.GET.get("code")) or ""
    done = False
    if request.method == "POST":
        try:
            running.attendance_check_in(actor=request.user, session=session, code=code)
        except ValidationError as exc:
            status = 403 if exc.code == "not_participant" else 400
            return render(request, "academy/refused.html", {"reason": " ".join(exc.messages)}, status=status)
        done = True
    return render(
        request,
        "academy/check_in.html",
        {"session": session, "cohort": session.cohort, "code": code, "done": done},
    )


@permission("academy.edit_project", load=load_project, pass_as="project", refuse=404)
@require_POST
def project_handoff(request, pk, project, target):
    """One step from a finished project to a draft in grants or volunteering (core.handoffs)."""
    from academy.services import pipeline

    try:
        url = pipeline.project_handoff(actor=request.user, project=project, target=target)
    except ValidationError as exc:
        status = 409 if exc.code == "not_finished" else 400
        return render(
            request,
            "academy/refused.html",
            {"reason": " ".join(exc.messages), "back": ("academy:project", project.pk)},
            status=status,
        )
    messages.success(request, _("A pre-filled draft was created: check it and complete it."))
    return redirect(url)
