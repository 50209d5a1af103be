"""Follow / unfollow (a button on the pages of events, partnerships and organisations: htmx
swaps the button, a plain form post comes back to the page) and "What I follow" with the
choice of the digest."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.permissions import permission
from dialogue.forms import DigestForm
from dialogue.models import DigestSubscription
from dialogue.services import follows as services


def _back(request, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@permission("dialogue.follow")
@require_POST
def follow_toggle(request, kind, object_id):
    """Follow (action=follow) or stop following (action=unfollow) something public."""
    follow_kind = services.kind_of(kind)
    if follow_kind is None:
        raise Http404(_("This cannot be followed."))
    action = request.POST.get("action", "follow")
    if action not in ("follow", "unfollow"):
        return render(
            request,
            "dialogue/includes/_message.html",
            {"message": _("Choose follow or unfollow.")},
            status=400,
        )
    obj = follow_kind.get(object_id)
    if action == "follow":
        if obj is None:
            raise Http404(_("This cannot be followed."))
        try:
            services.follow(user=request.user, kind=kind, object_id=obj.pk)
        except ValidationError:
            raise Http404(_("This cannot be followed.")) from None
        text = _("You follow this now. Changes come in your digest.")
    else:
        services.unfollow(user=request.user, kind=kind, object_id=object_id)
        text = _("You no longer follow this.")
    fallback = obj.get_absolute_url() if obj is not None else _following_url()
    if request.htmx:
        return render(
            request,
            "dialogue/includes/_follow_button.html",
            {
                "kind": kind,
                "object_id": object_id,
                "following": action == "follow",
                "next": _back(request, fallback),
                "announce": text,
            },
        )
    messages.success(request, text)
    return redirect(_back(request, fallback))


def _following_url() -> str:
    from django.urls import reverse

    return reverse("dialogue:following")


@permission("dialogue.follow")
@require_http_methods(["GET", "HEAD", "POST"])
def following(request):
    """What I follow, by kind (also what was deleted since: it can be unfollowed), and how
    often the digest comes."""
    subscription = DigestSubscription.objects.filter(user=request.user).first()
    status = 200
    if request.method == "POST":
        form = DigestForm(request.POST)
        if form.is_valid():
            services.digest_set(user=request.user, frequency=form.cleaned_data["frequency"])
            messages.success(request, _("Your digest choice is saved."))
            return redirect("dialogue:following")
        status = 400
    else:
        form = DigestForm(initial={"frequency": subscription.frequency if subscription else "weekly"})
    return render(
        request,
        "dialogue/following.html",
        {"groups": services.follows_of(request.user), "form": form, "subscription": subscription},
        status=status,
    )
