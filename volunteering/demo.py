"""Volunteering's demo data, loaded by `seed_demo` (see core.demo): volunteer profiles in the
three languages (the demo accounts Emma — a diaspora expert in Germany — and Milan, plus a
dozen volunteers with addresses @volunteers.cea.test), opportunities and expert requests of
the verified demo CSOs, and engagements with confirmed, logged and disputed hours. Made
through the services (so the histories are real); deterministic; skipped when it exists."""

import datetime
import random

from django.utils import timezone

from accounts.demo import DEMO_PASSWORD, demo_users
from accounts.models import User
from core import demo
from core.models import Municipality, Sector
from organizations.demo import demo_organizations, demo_owners
from volunteering.models import Engagement, Opportunity, Skill
from volunteering.services import applications, engagements, opportunities, profiles, saved

VOLUNTEERS = [
    # name, language, municipality, skills, languages, diaspora (country, zone, expertise)
    ("Ardita Morina", "sq", "prishtine", ["teaching", "event-organising"], {"sq": 4, "en": 3}, None),
    ("Besnik Kelmendi", "sq", "peje", ["photography", "social-media"], {"sq": 4}, None),
    ("Jelena Nikolić", "sr-latn", "gracanice", ["care-work", "first-aid"], {"sr": 4, "sq": 2}, None),
    (
        "Nikola Stojanović",
        "sr-latn",
        "mitrovice-veriut",
        ["web-development", "data-analysis"],
        {"sr": 4, "en": 3},
        None,
    ),
    ("Lirie Hasani", "sq", "gjilan", ["writing", "translation"], {"sq": 4, "en": 4, "sr": 2}, None),
    ("Tom Becker", "en", "prizren", ["environment", "project-management"], {"en": 4, "de": 4}, None),
    ("Valon Shala", "sq", "", ["legal-advice"], {"sq": 4, "de": 4}, ("DE", "Europe/Berlin", "law")),
    (
        "Mimoza Rexhepi",
        "sq",
        "",
        ["accounting", "fundraising"],
        {"sq": 4, "en": 4},
        ("CH", "Europe/Zurich", "finance"),
    ),
    ("Dren Krasniqi", "en", "", ["web-development"], {"sq": 3, "en": 4}, ("US", "America/New_York", "it")),
    (
        "Ana Marković",
        "sr-latn",
        "",
        ["writing", "social-media"],
        {"sr": 4, "en": 3},
        ("AT", "Europe/Vienna", "communications"),
    ),
]

OPPORTUNITIES = [
    # title, kind, municipality or "" (remote), cause slug, must, nice, languages, places
    (
        "Tutors for the after-school club",
        "opportunity",
        "prishtine",
        ["teaching"],
        ["event-organising"],
        ["sq"],
        4,
    ),
    (
        "Photographer for the community festival",
        "opportunity",
        "peje",
        ["photography"],
        ["social-media"],
        ["sq"],
        2,
    ),
    (
        "Home visits to elderly neighbours",
        "opportunity",
        "gracanice",
        ["care-work"],
        ["first-aid"],
        ["sr", "sq"],
        3,
    ),
    (
        "Website refresh of our association",
        "opportunity",
        "",
        ["web-development"],
        ["design"],
        ["sq", "en"],
        1,
    ),
    ("Review of our statute and bylaws", "expert_request", "", ["legal-advice"], [], ["sq", "en"], 1),
    (
        "Mentoring our first fundraising campaign",
        "expert_request",
        "",
        ["fundraising"],
        ["accounting"],
        ["sq", "en"],
        1,
    ),
]


def _user(name: str, language: str, index: int) -> User:
    email = f"volunteer{index}@volunteers.cea.test"
    user, created = User.objects.get_or_create(
        email=email, defaults={"full_name": name, "preferred_language": language}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


@demo.register(after=("organizations",), summary="{created} volunteering rows created")
def seed() -> int:
    if Opportunity.objects.filter(title=OPPORTUNITIES[0][0]).exists():
        return 0
    rng = random.Random(14)
    skills = {s.slug: s for s in Skill.objects.all()}
    municipalities = {m.slug: m for m in Municipality.objects.all()}
    causes = list(Sector.objects.all())
    created = 0

    people = []
    accounts = demo_users()
    extra = [
        (
            "emma@cea.test",
            ["fundraising", "writing"],
            {"en": 4, "de": 4, "sq": 3},
            ("DE", "Europe/Berlin", "fundraising"),
        ),
        ("milan@cea.test", ["teaching", "translation"], {"sr": 4, "sq": 3, "en": 3}, None),
    ]
    rows = [(accounts[email], *rest) for email, *rest in extra if email in accounts]
    rows += [
        (_user(name, lang, i), skills_, langs, diaspora, muni)
        for i, (name, lang, muni, skills_, langs, diaspora) in enumerate(VOLUNTEERS)
    ]
    for row in rows:
        user, skill_slugs, langs, diaspora = row[:4]
        muni = row[4] if len(row) > 4 else ""
        fields = {
            "hours_per_week": rng.choice([2, 4, 6, 10]),
            "weekdays": rng.random() < 0.6,
            "evenings": True,
            "weekends": rng.random() < 0.5,
            "municipality": municipalities.get(muni) or user.municipality,
            "work_mode": "remote" if diaspora else rng.choice(["on_site", "both"]),
            "visibility": rng.choice(["skills", "full"]),
            "contact_consent": True,
        }
        if diaspora:
            country, zone, expertise = diaspora
            fields.update(
                country=country,
                time_zone=zone,
                expertise=expertise,
                expertise_note="Pro bono, a few hours a month.",
            )
        people.append(
            profiles.profile_save(
                actor=user,
                fields=fields,
                skills=[skills[s] for s in skill_slugs if s in skills],
                languages=langs,
            )
        )
        created += 1

    organizations = [o for o in demo_organizations() if o.is_verified]
    if not organizations:
        return created
    owners = demo_owners(organizations)
    today = timezone.localdate()
    posted = []
    for n, (title, kind, muni, must, nice, langs, places) in enumerate(OPPORTUNITIES):
        org = organizations[n % len(organizations)]
        editor = owners.get(org.pk)
        if editor is None:
            continue
        fields = {
            "kind": kind,
            "title": title,
            "description": "Na ndihmoni të arrijmë më shumë njerëz në komunitet. / Help us reach more people.",
            "cause": causes[n % len(causes)] if causes else None,
            "municipality": municipalities.get(muni),
            "remote": not muni,
            "places": places,
            "hours_per_week": 2 + n % 3,
            "evenings": True,
            "ongoing": n % 2 == 0,
            "starts_on": None if n % 2 == 0 else today,
            "ends_on": None if n % 2 == 0 else today + datetime.timedelta(days=90),
            "deadline": today + datetime.timedelta(days=10 + 5 * n),
        }
        if kind == "expert_request":
            fields.update(
                brief="We need an experienced eye on a concrete problem.",
                expertise="law" if "legal-advice" in must else "fundraising",
                form="document_review" if "legal-advice" in must else "mentoring",
            )
        opportunity = opportunities.opportunity_create(
            actor=editor,
            organization=org,
            fields=fields,
            must=[skills[s] for s in must if s in skills],
            nice=[skills[s] for s in nice if s in skills],
            languages=langs,
        )
        opportunities.opportunity_publish(actor=editor, opportunity=opportunity)
        posted.append((opportunity, editor))
        created += 1

    # Engagements with hours: two people on each of the first opportunities.
    for n, (opportunity, editor) in enumerate(posted[:4]):
        for profile in people[2 + 2 * n : 4 + 2 * n]:
            opportunity.refresh_from_db()
            if opportunity.places_left <= 0:
                continue
            application = applications.application_submit(
                actor=profile.user,
                opportunity=opportunity,
                message="Do të doja të ndihmoja. / I would like to help.",
            )
            application = applications.application_decide(
                actor=editor, application=application, accept=True, response="Mirë se vini! / Welcome!"
            )
            opportunity.refresh_from_db()
            engagement = application.engagement
            # Accepted a month ago, so that the hours of the last weeks fall inside it.
            Engagement.objects.filter(pk=engagement.pk).update(
                created_at=timezone.now() - datetime.timedelta(days=30)
            )
            engagement.refresh_from_db()
            for day in (20, 13, 6, 2):
                entry = engagements.hours_log(
                    actor=profile.user,
                    engagement=engagement,
                    date=today - datetime.timedelta(days=day),
                    hours=rng.choice(["1.5", "2", "3", "4"]),
                    description="Punë me grupin. / Work with the group.",
                )
                if day > 10:
                    engagements.hours_confirm(actor=editor, entry=entry)
                elif day == 6 and n % 2:
                    engagements.hours_dispute(actor=editor, entry=entry, reason="Please check the date.")
                created += 1

    # Saved opportunities (the saved list and the deadline reminder) and an expert request
    # that ended with feedback from both sides.
    for profile in people[:3]:
        for opportunity, _editor in posted[:3]:
            saved.saved_set(actor=profile.user, opportunity=opportunity, saved=True)
            created += 1
    expert_requests = [(o, e) for o, e in posted if o.is_expert_request]
    if expert_requests and len(people) > 1:
        opportunity, editor = expert_requests[0]
        expert = people[-1]
        application = applications.application_submit(
            actor=expert.user, opportunity=opportunity, message="I can help. / Mund të ndihmoj."
        )
        application = applications.application_decide(actor=editor, application=application, accept=True)
        engagement = engagements.engagement_end(
            actor=editor, engagement=application.engagement, completed=True
        )
        engagements.feedback_give(
            actor=expert.user, engagement=engagement, outcome="solved", rating=5, would_work_again=True
        )
        engagements.feedback_give(
            actor=editor, engagement=engagement, outcome="partly", rating=4, would_work_again=True
        )
        created += 2
    return created
