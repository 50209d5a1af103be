"""A small, exact world for the Academy's figures (see tests/academy/test_figures.py for the
numbers it gives): two cohorts of two years, eight participants, sessions held and planned,
attendance, projects and certificates."""

from datetime import date, datetime, timedelta

from django.utils import timezone

from academy.certificates import KIND
from academy.choices import ApplicationStatus, CohortStatus
from academy.models import Attendance, CohortApplication, CommunityProject, Module, Session
from core import certificates
from tests.academy.factories import make_cohort, municipality
from tests.factories import UserFactory

S = ApplicationStatus


def _at(day: date, hour=17):
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, 0))


def _sessions(cohort, days, *, future=0):
    module = Module.objects.create(cohort=cohort, order=1, title_sq="Moduli")
    sessions = [
        Session.objects.create(module=module, title=f"S{i}", starts_at=_at(d), ends_at=_at(d, 19))
        for i, d in enumerate(days)
    ]
    for i in range(future):
        start = timezone.now() + timedelta(days=30 + i)
        Session.objects.create(
            module=module, title=f"F{i}", starts_at=start, ends_at=start + timedelta(hours=2)
        )
    return sessions


def person(cohort, *, gender, slug, born, status=S.CONFIRMED, name=None):
    user = UserFactory(**({"full_name": name} if name else {}))
    cohort.last_reference += 1
    cohort.save(update_fields=["last_reference"])
    return CohortApplication.objects.create(
        cohort=cohort,
        applicant=user,
        reference=f"T-{cohort.pk}-{cohort.last_reference}",
        status=status,
        date_of_birth=born,
        municipality=municipality(slug),
        gender=gender,
    )


def attend(participant, sessions, *, present=True):
    for session in sessions:
        Attendance.objects.create(session=session, participant=participant, present=present)


def build():
    a = make_cohort(status=CohortStatus.FINISHED, criteria=False, places=10)
    type(a).objects.filter(pk=a.pk).update(year=2023, starts_on=date(2023, 3, 1))
    a.refresh_from_db()
    sa = _sessions(a, [date(2023, 3, 10 + i) for i in range(5)])
    p1 = person(a, gender="woman", slug="prishtine", born=date(2008, 6, 1))  # 14 on 2023-03-01
    p2 = person(a, gender="woman", slug="prishtine", born=date(2005, 3, 1))  # 18 (the birthday that day)
    p3 = person(a, gender="man", slug="prizren", born=date(2005, 3, 2))  # 17 (the birthday the next day)
    p4 = person(a, gender="", slug="prizren", born=date(1999, 1, 1))  # 24
    p5 = person(a, gender="other", slug="prishtine", born=date(1990, 1, 1))  # 33
    p6 = person(a, gender="undisclosed", slug="peje", born=date(2000, 3, 1))  # 23
    person(
        a, gender="woman", slug="prishtine", born=date(2004, 1, 1), status=S.SUBMITTED
    )  # not a participant
    attend(p1, sa)
    attend(p2, sa[:4])
    attend(p3, sa[:3])
    attend(p4, sa)
    attend(p5, sa[:1], present=False)
    attend(p6, sa)
    done = CommunityProject.objects.create(
        cohort=a, title="Parku", issue="x", peers_mobilised=30, finished_at=timezone.now()
    )
    done.members.set([p1, p2, p3])
    open_ = CommunityProject.objects.create(cohort=a, title="Biblioteka", issue="x", peers_mobilised=7)
    open_.members.set([p6])
    certificates.issue(kind=KIND, holder_name="P1", facts={"n": 1}, source=p1, holder=p1.applicant)
    revoked = certificates.issue(kind=KIND, holder_name="P2", facts={"n": 2}, source=p2, holder=p2.applicant)
    type(revoked).objects.filter(pk=revoked.pk).update(revoked_at=timezone.now())

    b = make_cohort(
        status=CohortStatus.RUNNING,
        criteria=False,
        places=10,
        completion_min_attendance=50,
        completion_requires_project=False,
    )
    type(b).objects.filter(pk=b.pk).update(year=2024, starts_on=date(2024, 2, 1))
    b.refresh_from_db()
    sb = _sessions(b, [date(2024, 2, 10), date(2024, 3, 10)], future=1)
    q1 = person(b, gender="man", slug="gjilan", born=date(2001, 1, 15))  # 23 on 2024-02-01
    q2 = person(b, gender="man", slug="gjilan", born=date(2001, 5, 5))  # 22
    attend(q1, sb)
    attend(q2, sb[:1])
    project = CommunityProject.objects.create(cohort=b, title="Ura", issue="x", peers_mobilised=5)
    project.members.set([q1])
    return {"a": a, "b": b, "p": [p1, p2, p3, p4, p5, p6], "q": [q1, q2]}
