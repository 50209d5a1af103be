"""The public knowledge base: the list with full-text search in the page's language and the
categories, an entry's page, and "was this helpful" (once per person or session)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from assistance.choices import Category
from assistance.forms.knowledge import SearchForm
from assistance.selectors import knowledge as selectors
from assistance.services import knowledge as services
from assistance.signals import PAGE_TOPICS
from core.page_cache import anonymous_cache
from core.pagination import page_with_total
from core.permissions import public

PAGE_SIZE = 20


@public
@anonymous_cache(topics=PAGE_TOPICS, query=("category", "page"), search=("q",))
@require_GET
def knowledge_list(request):
    form = SearchForm(request.GET or None)
    query, category = "", ""
    if form.is_valid():
        query, category = form.cleaned_data["q"], form.cleaned_data["category"]
    entries = selectors.search_entries(query=query, category=category)
    page = page_with_total(entries, request.GET.get("page"), PAGE_SIZE)
    return render(
        request,
        "assistance/knowledge_list.html",
        {
            "form": form,
            "query": query,
            "category": category,
            "categories": Category.choices,
            "page_obj": page,
            "entries": page.object_list,
        },
        status=200 if form.is_bound is False or form.is_valid() else 400,
    )


def _published(pk):
    entry = selectors.entry_for_page(pk)
    if entry is None:
        raise Http404
    return entry


@public
@require_GET
def knowledge_detail(request, pk):
    entry = _published(pk)
    voted = request.session.get("assistance_votes", [])
    return render(request, "assistance/knowledge_detail.html", {"entry": entry, "voted": entry.pk in voted})


@public
@require_POST
def knowledge_vote(request, pk):
    entry = _published(pk)
    helpful = request.POST.get("helpful")
    if helpful not in ("yes", "no"):
        messages.error(request, _("Choose yes or no."))
        return redirect("assistance:knowledge_detail", pk=entry.pk)
    if not request.session.session_key:
        request.session.save()
    counted = services.knowledge_vote(
        entry=entry, helpful=helpful == "yes", user=request.user, session_key=request.session.session_key
    )
    request.session["assistance_votes"] = [*request.session.get("assistance_votes", [])[-200:], entry.pk]
    if counted:
        messages.success(request, _("Thank you for telling us."))
    else:
        messages.info(request, _("You have already told us whether this answer helped."))
    return redirect("assistance:knowledge_detail", pk=entry.pk)
