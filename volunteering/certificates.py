"""The certificate of volunteering (a kind of `core.certificates`): the confirmed hours of
one engagement, stated in the reader's language."""

from decimal import Decimal

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

KIND = "volunteering.hours"


def statements(facts: dict) -> list[str]:
    hours = number_format(Decimal(facts["hours"]).normalize(), decimal_pos=None)
    lines = [
        gettext("volunteered %(hours)s confirmed hours with %(organization)s")
        % {"hours": hours, "organization": facts["organization"]},
        gettext("in “%(opportunity)s”") % {"opportunity": facts["opportunity"]},
    ]
    if facts.get("first") and facts.get("last"):
        from datetime import date

        lines.append(
            gettext("from %(first)s to %(last)s")
            % {
                "first": date_format(date.fromisoformat(facts["first"]), "SHORT_DATE_FORMAT"),
                "last": date_format(date.fromisoformat(facts["last"]), "SHORT_DATE_FORMAT"),
            }
        )
    return lines


def register() -> None:
    from core import certificates

    certificates.register(KIND, title=_("Certificate of volunteering"), statements=statements)
