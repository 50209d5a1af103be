from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def query_replace(context, **kwargs):
    """The current query string with some parameters replaced (keeps filters when paging)."""
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        query[key] = value
    return query.urlencode()


@register.filter
def elided_page_range(paginator, number):
    return paginator.get_elided_page_range(number, on_each_side=2, on_ends=1)


@register.simple_tag(takes_context=True)
def report_export_formats(context, kind):
    """[(format, label), …] of report `kind` that the current user may export; [] otherwise."""
    from core import reports
    from core.models import ReportJob

    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    try:
        report = reports.get(kind)
    except reports.UnknownReport:
        return []
    if not report.allowed_for(user):
        return []
    labels = dict(ReportJob.Format.choices)
    return [(fmt, labels.get(fmt, fmt.upper())) for fmt in report.formats]
