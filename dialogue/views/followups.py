"""After the event: the organiser's page for the minutes or closing report, documents and
photos (each posted to its own URL), publishing, and the files themselves (served by the
portal from private storage: to anyone once published, to the organiser before)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.forms import add_service_errors
from core.permissions import permission
from core.private_files import file_response
from dialogue.forms import FollowUpDocumentForm, FollowUpForm, FollowUpPhotoForm
from dialogue.models import EventFollowUp, FollowUpDocument, FollowUpPhoto
from dialogue.services import followups as services
from dialogue.views._common import load_event

ITEMS = {"documents": FollowUpDocument, "photos": FollowUpPhoto}


def _follow_up(event) -> EventFollowUp | None:
    return EventFollowUp.objects.filter(event=event).prefetch_related("documents", "photos").first()


def _not_yet(event) -> str | None:
    """Why nothing can be added yet (None once the event has ended)."""
    try:
        services.check_event_ended(event)
    except ValidationError as exc:
        return " ".join(exc.messages)
    return None


def _page(request, event, *, form=None, document_form=None, photo_form=None, status=200):
    follow_up = _follow_up(event)
    if form is None:
        initial = (
            {name: getattr(follow_up, name) for name in ("kind", "body_sq", "body_sr", "body_en")}
            if follow_up
            else None
        )
        form = FollowUpForm(initial=initial)
    return render(
        request,
        "dialogue/follow_up_edit.html",
        {
            "event": event,
            "follow_up": follow_up,
            "form": form,
            "document_form": document_form or FollowUpDocumentForm(prefix="document"),
            "photo_form": photo_form or FollowUpPhotoForm(prefix="photo"),
            "not_yet": _not_yet(event),
        },
        status=status,
    )


@permission("dialogue.change_event", load=load_event, pass_as="event", refuse=404)
@require_http_methods(["GET", "HEAD", "POST"])
def follow_up_edit(request, pk, event):
    """The minutes or closing report (GET: the page with every part; POST: the text)."""
    if request.method != "POST":
        return _page(request, event)
    form = FollowUpForm(request.POST)
    if form.is_valid():
        try:
            services.follow_up_save(event=event, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The text is saved."))
            return redirect("dialogue:follow_up_edit", pk=event.pk)
    return _page(request, event, form=form, status=400)


@permission("dialogue.change_event", load=load_event, pass_as="event", refuse=404)
@require_POST
def follow_up_document_add(request, pk, event):
    form = FollowUpDocumentForm(request.POST, request.FILES, prefix="document")
    if form.is_valid():
        try:
            services.document_add(
                event=event,
                actor=request.user,
                upload=form.cleaned_data["file"],
                title=form.cleaned_data["title"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The document was added."))
            return redirect("dialogue:follow_up_edit", pk=event.pk)
    return _page(request, event, document_form=form, status=400)


@permission("dialogue.change_event", load=load_event, pass_as="event", refuse=404)
@require_POST
def follow_up_photo_add(request, pk, event):
    form = FollowUpPhotoForm(request.POST, request.FILES, prefix="photo")
    if form.is_valid():
        try:
            services.photo_add(
                event=event,
                actor=request.user,
                upload=form.cleaned_data["file"],
                caption=form.cleaned_data["caption"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The photo was added."))
            return redirect("dialogue:follow_up_edit", pk=event.pk)
    return _page(request, event, photo_form=form, status=400)


def _item(event, what: str, item: int):
    model = ITEMS.get(what)
    found = model.objects.filter(pk=item, follow_up__event=event).first() if model else None
    if found is None:
        raise Http404(_("There is no such file."))
    return found


@permission("dialogue.change_event", load=load_event, pass_as="event", refuse=404)
@require_POST
def follow_up_file_remove(request, pk, what, item, event):
    try:
        services.file_remove(event=event, actor=request.user, item=_item(event, what, item))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _page(request, event, status=400)
    messages.success(request, _("The file was removed."))
    return redirect("dialogue:follow_up_edit", pk=event.pk)


@permission("dialogue.change_event", load=load_event, pass_as="event", refuse=404)
@require_POST
def follow_up_publish(request, pk, event):
    try:
        services.follow_up_publish(event=event, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _page(request, event, status=400)
    messages.success(
        request,
        _("Published on the event's page. Everyone who had a place is emailed (once) in the background."),
    )
    return redirect("dialogue:event_detail", pk=event.pk)


def _serve(item, *, inline: bool):
    extension = item.extension
    name = getattr(item, "original_name", "") or f"photo-{item.pk}.{extension}"
    return file_response(item.file, filename=name, file_type=extension, inline=inline)


@permission("dialogue.view_follow_up", load=load_event, pass_as="event", login=False, refuse=404)
@require_GET
@never_cache
def follow_up_document(request, pk, item, event):
    return _serve(_item(event, "documents", item), inline=False)


@permission("dialogue.view_follow_up", load=load_event, pass_as="event", login=False, refuse=404)
@require_GET
@never_cache
def follow_up_photo(request, pk, item, event):
    return _serve(_item(event, "photos", item), inline=True)
