"""The certificate of completing the Leadership Academy (a kind of `core.certificates`),
stated in the reader's language."""

from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

KIND = "academy.completion"


def _cohort_title(facts: dict) -> str:
    lang = (get_language() or "sq").lower()
    key = "cohort_sr" if lang.startswith("sr") else "cohort_en" if lang.startswith("en") else "cohort"
    return facts.get(key) or facts["cohort"]


def statements(facts: dict) -> list[str]:
    lines = [
        gettext("completed the Community Leadership Academy “%(cohort)s” (%(year)s)")
        % {"cohort": _cohort_title(facts), "year": facts["year"]},
        gettext("attended %(percent)s%% of the sessions") % {"percent": facts["attendance"]},
    ]
    if facts.get("project"):
        lines.append(
            gettext("led the community action project “%(project)s”") % {"project": facts["project"]}
        )
    return lines


def register() -> None:
    from core import certificates

    certificates.register(KIND, title=_("Certificate of completion"), statements=statements)
