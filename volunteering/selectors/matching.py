"""Matching volunteers and experts with opportunities, computed in the database.

The score (0–100) of a (profile, opportunity) pair adds up:

- skills (40): must-have skills weigh twice the nice-to-have ones,
  40 × (2·must met + nice met) / (2·must + nice); full marks when no skill is asked;
- place (25): same municipality for on-site work, or remote work both accept;
- availability (15): enough hours a week (10), and a common time of the week (5)
  — weekdays, evenings, weekends; full when the opportunity names none;
- language (10): the person speaks (good or better) one of the opportunity's
  languages; full when it names none;
- expertise (5): for an expert request, the expertise asked; full for opportunities;
- time zone (5): for remote work, within 3 hours of Kosovo (half within 6); full on site.

Both rankings are one annotated query each (ordered by the score and paginated by the
caller), so they do not load the candidates into Python: `ranked_profiles(opportunity)`
(consenting people, for the organisation) and
`ranked_opportunities(profile)` (open opportunities, for the person; the skill needs of
every opportunity counted in one grouped subquery joined once, as in hand-written SQL, not
in a subquery per opportunity). The organisation's
page, `people_page`, gives the same rows as `ranked_profiles` but ranks only the people a
bound on the score lets through (see below), not everyone. The pages (`people_page`,
`opportunities_page`) rank ids and scores only, in one narrow query (as hand-written SQL
would: the rows sorted are a few bytes wide, not whole rows with their relations), then
fetch the page's rows by id with their relations and parts. The rows carry the
parts of the score, which `explain(row)` turns into a sentence in the active language
("3 of 4 skills, same municipality, speaks Serbian").
"""

from django.core.paginator import Page
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    Exists,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.expressions import Col
from django.db.models.functions import Abs, Cast, Coalesce
from django.db.models.sql.constants import LOUTER
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.pagination import MAX_OFFSET, KnownCountPaginator
from volunteering.choices import Expertise, Language, LanguageLevel, OpportunityStatus, WorkMode
from volunteering.models import (
    Opportunity,
    OpportunityLanguage,
    OpportunitySkill,
    ProfileLanguage,
    VolunteerProfile,
)

KOSOVO_UTC_OFFSET = 60  # minutes, standard time
W_SKILLS, W_PLACE, W_HOURS, W_TIMES, W_LANGUAGE, W_EXPERTISE, W_ZONE = 40, 25, 10, 5, 10, 5, 5
GOOD = LanguageLevel.GOOD

ProfileSkill = VolunteerProfile.skills.through


def _count(queryset, group: str):
    """Coalesce(Subquery(count of `queryset`'s rows per `group`), 0)."""
    return Coalesce(
        Subquery(
            queryset.order_by().values(group).annotate(n=Count("*")).values("n")[:1],
            output_field=IntegerField(),
        ),
        0,
    )


def _flag(condition: Q | Exists) -> Case:
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())


class _JoinGrouped:
    """`LEFT OUTER JOIN (grouped subquery) alias ON alias.<key> = parent.id`: one grouped
    subquery joined once, as hand-written SQL would (Django joins only tables and relations).
    Put in a query's joins by `_join_grouped`; its columns are read with `Col`s of the alias."""

    join_type = LOUTER
    nullable = True
    filtered_relation = None

    def __init__(self, subquery: QuerySet, key: str, parent_alias: str, table_alias: str, table_name=None):
        self.subquery, self.key = subquery, key
        self.parent_column = subquery.model._meta.get_field(key).target_field.column
        self.parent_alias, self.table_alias = parent_alias, table_alias
        self.table_name = table_name or table_alias  # its name in the query's table map, kept

    def as_sql(self, compiler, connection):
        sql, params = self.subquery.query.get_compiler(connection=connection).as_sql()
        quote = compiler.quote_name_unless_alias
        alias, parent = quote(self.table_alias), quote(self.parent_alias)
        return (
            f"LEFT OUTER JOIN ({sql}) {alias} ON ({alias}.{quote(self.key)} = {parent}.{quote(self.parent_column)})",
            params,
        )

    def relabeled_clone(self, change_map):
        return type(self)(
            self.subquery,
            self.key,
            change_map.get(self.parent_alias, self.parent_alias),
            change_map.get(self.table_alias, self.table_alias),
            self.table_name,
        )

    def demote(self):
        return self

    def promote(self):
        return self


def _join_grouped(qs: QuerySet, subquery: QuerySet, key: str, alias: str, columns: dict) -> QuerySet:
    """`qs` LEFT JOINed once to `subquery` (grouped by `key`, its foreign key to `qs`'s model),
    with `columns` ({name: output field}) of it aliased as `_<name>` (NULL where no group
    matched), for expressions to read."""
    qs = qs.all()
    query = qs.query
    parent = query.get_initial_alias()
    query.alias_map[alias] = _JoinGrouped(subquery, key, parent, alias)
    query.alias_refcount[alias] = 1
    query.table_map[alias] = [alias]
    annotations = {}
    for name, field in columns.items():
        field.set_attributes_from_name(name)
        field.model = subquery.model  # what an expression's identity reads
        annotations[name] = Col(alias, field, output_field=field)
    return qs.alias(**{f"_{name}": col for name, col in annotations.items()})


def _score(qs: QuerySet, *, skill_denominator=None, skills=None) -> QuerySet:
    """Add `score` from the parts annotated before (`must_hit`, `nice_hit`, `must_total`,
    `nice_total`, `place_ok`, `hours_ok`, `times_ok`, `language_ok`, `expertise_ok`, `zone_points`),
    or from `skills`, an expression of the skills part computed in one go."""
    if skills is None:
        skills = Case(
            When(Q(must_total=0, nice_total=0), then=Value(float(W_SKILLS))),
            default=Cast(F("must_hit") * 2 + F("nice_hit"), FloatField())
            * W_SKILLS
            / Cast(skill_denominator, FloatField()),
            output_field=FloatField(),
        )
    return qs.annotate(
        score=Cast(
            skills
            + F("place_ok") * W_PLACE
            + F("hours_ok") * W_HOURS
            + F("times_ok") * W_TIMES
            + F("language_ok") * W_LANGUAGE
            + F("expertise_ok") * W_EXPERTISE
            + F("zone_points"),
            FloatField(),
        )
    )


# --- for an organisation: people ranked for one opportunity -----------------------------------


def ranked_profiles(opportunity: Opportunity, *, needs: list | None = None) -> QuerySet:
    """Consenting, active people ranked by fit for `opportunity` (best first): one query over
    everyone (for a page of it, `people_page` is much cheaper on many people)."""
    if needs is None:
        needs = list(opportunity.skill_needs.values_list("skill_id", "required"))
    must_ids = [pk for pk, required in needs if required]
    nice_ids = [pk for pk, required in needs if not required]
    languages = list(opportunity.languages.values_list("language", flat=True))

    qs = _consenting().select_related("user", "municipality")
    skill_rows = ProfileSkill.objects.filter(volunteerprofile_id=OuterRef("pk"))
    qs = qs.annotate(
        must_total=Value(len(must_ids), output_field=IntegerField()),
        nice_total=Value(len(nice_ids), output_field=IntegerField()),
        must_hit=_count(skill_rows.filter(skill_id__in=must_ids), "volunteerprofile_id")
        if must_ids
        else Value(0, output_field=IntegerField()),
        nice_hit=_count(skill_rows.filter(skill_id__in=nice_ids), "volunteerprofile_id")
        if nice_ids
        else Value(0, output_field=IntegerField()),
    )
    on_site = Q(work_mode__in=[WorkMode.ON_SITE, WorkMode.BOTH])
    remote_ok = Q(work_mode__in=[WorkMode.REMOTE, WorkMode.BOTH])
    same_place = (
        Q(municipality_id=opportunity.municipality_id) & on_site
        if opportunity.municipality_id
        else Q(pk=None)
    )
    place = (same_place | remote_ok) if opportunity.remote else same_place
    times = [name for name in ("weekdays", "evenings", "weekends") if getattr(opportunity, name)]
    times_q = Q()
    for name in times:
        times_q |= Q(**{name: True})
    spoken = ProfileLanguage.objects.filter(
        profile_id=OuterRef("pk"), language__in=languages, level__gte=GOOD
    )
    qs = qs.annotate(
        same_municipality=_flag(same_place),
        remote_fit=_flag(remote_ok) if opportunity.remote else Value(0, output_field=IntegerField()),
        place_ok=_flag(place),
        hours_ok=_flag(Q(hours_per_week__gte=opportunity.hours_per_week)),
        times_ok=_flag(times_q) if times else Value(1, output_field=IntegerField()),
        language_ok=_flag(Exists(spoken)) if languages else Value(1, output_field=IntegerField()),
        spoken_language=Subquery(spoken.order_by("-level", "language").values("language")[:1])
        if languages
        else Value("", output_field=CharField()),
        expertise_ok=_flag(Q(expertise=opportunity.expertise))
        if opportunity.is_expert_request
        else Value(1, output_field=IntegerField()),
        zone_diff=Abs(F("utc_offset") - KOSOVO_UTC_OFFSET),
        is_remote_opportunity=Value(opportunity.remote, output_field=BooleanField()),
        is_expert=Value(opportunity.is_expert_request, output_field=BooleanField()),
    )
    if opportunity.remote:
        zone = Case(
            When(zone_diff__lte=180, then=Value(float(W_ZONE))),
            When(zone_diff__lte=360, then=Value(W_ZONE / 2)),
            default=Value(0.0),
            output_field=FloatField(),
        )
    else:
        zone = Value(float(W_ZONE), output_field=FloatField())
    qs = qs.annotate(zone_points=zone)
    denominator = Value(2 * len(must_ids) + len(nice_ids) or 1, output_field=IntegerField())
    return _score(qs, skill_denominator=denominator).order_by("-score", "-updated_at", "pk")


# --- the organisation's page of people: pre-filtered by a bound on the score ------------------
#
# Ranking every consenting person (100,000 of them) costs a full scan with two subqueries a row.
# The top of the ranking is found among few people: those who have enough of the opportunity's
# skills, or live in its municipality. Everyone else's score cannot pass a bound computed from
# the weights (their skills part is below the tier's, their place part is 0, or 25 for remote
# work, and the rest is at most 35). So a page is ranked among those candidates only, and it is
# exact when its last row scores above the bound: nobody left out can come before it. When it
# does not (a page deep in the list, or little data), the next, wider tier is tried, and last
# the full ranking. The candidates come from indexes: the skill postings (skill, person) and
# the people of one municipality (consent, municipality, work mode).

REST_MAX = W_HOURS + W_TIMES + W_LANGUAGE + W_EXPERTISE + W_ZONE  # all but skills and place
SMALL_POOL = 3_000  # with this many people or fewer, the full ranking is as cheap as a tier
MAX_CANDIDATES = 200  # the organisation's list stops at the best 200 (10 pages): no deep page
EPSILON = 1e-6  # scores are sums of float fractions: "above the bound" means clearly above


def _consenting():
    return VolunteerProfile.objects.filter(contact_consent=True, user__is_active=True)


def _tiers(opportunity: Opportunity, must_ids: list, nice_ids: list) -> list[tuple[Q, float]]:
    """(who is a candidate, the best score anyone else can reach), strongest pre-filter first."""
    on_site = [WorkMode.ON_SITE, WorkMode.BOTH]
    remote_ok = [WorkMode.REMOTE, WorkMode.BOTH]
    same_place = (
        VolunteerProfile.objects.filter(
            contact_consent=True, municipality_id=opportunity.municipality_id, work_mode__in=on_site
        ).values("pk")
        if opportunity.municipality_id
        else None
    )
    den = 2 * len(must_ids) + len(nice_ids)
    if not den:  # no skill asked: everyone has the 40 points of skills; the place decides
        if opportunity.remote:
            place = VolunteerProfile.objects.filter(contact_consent=True, work_mode__in=remote_ok).values(
                "pk"
            )
            if same_place is not None:
                place = place.union(same_place)
        elif same_place is None:
            return []
        else:
            place = same_place
        return [(Q(pk__in=place), W_SKILLS + REST_MAX)]
    weight = Case(When(skill_id__in=must_ids, then=Value(2)), default=Value(1), output_field=IntegerField())
    place_left_out = W_PLACE if opportunity.remote else 0
    tiers = []
    for floor in sorted({den, 1}, reverse=True):
        skilled = (
            ProfileSkill.objects.filter(skill_id__in=must_ids + nice_ids)
            .values("volunteerprofile_id")
            .annotate(weight=Sum(weight))
            .filter(weight__gte=floor)
            .values("volunteerprofile_id")
        )
        if same_place is not None:
            skilled = skilled.union(same_place)
        tiers.append((Q(pk__in=skilled), W_SKILLS * (floor - 1) / den + place_left_out + REST_MAX))
    return tiers


def people_page(opportunity: Opportunity, number, per_page: int) -> Page:
    """Page `number` (as `Paginator.get_page`: junk gives page 1, past the end the last page)
    of the best `MAX_CANDIDATES` of `ranked_profiles(opportunity)`: the same rows in the same
    order. A fixed number of queries (the number of people, the opportunity's needs, the
    ranked ids and scores, the page's people by id) unless the page lies past what the bound
    can vouch for; then one ranking of everyone, but cut at `MAX_CANDIDATES` rows (a top-N
    sort), never a deep page's full sort."""
    try:
        number = max(1, int(number))
    except (TypeError, ValueError):
        number = 1
    total = _consenting().count()
    listed = min(total, MAX_CANDIDATES)
    number = min(number, max(1, -(-listed // per_page)))
    offset = (number - 1) * per_page
    rows = people_window(opportunity, offset, min(per_page, max(listed - offset, 0)), total=total)
    page = Page(rows, number, KnownCountPaginator(rows, per_page, known_count=listed))
    page.total_people = total  # the template says when only the best are listed
    return page


def people_window(opportunity: Opportunity, offset: int, limit: int, *, total: int | None = None) -> list:
    """`ranked_profiles(opportunity)[offset:offset + limit]`, ranked among the candidates of
    the strongest tier whose bound vouches for the rows (`total`: the number of people, when
    the caller knows it; few people are ranked in full at once)."""
    if offset > MAX_OFFSET:
        return []
    needs = list(opportunity.skill_needs.values_list("skill_id", "required"))
    ranked = ranked_profiles(opportunity, needs=needs)
    # Ranked as ids and scores (narrow rows through the sort); the page's people come after.
    scores = ranked.values_list("pk", "score")
    if total is None or total > SMALL_POOL:
        must_ids = [pk for pk, required in needs if required]
        nice_ids = [pk for pk, required in needs if not required]
        for candidates, bound in _tiers(opportunity, must_ids, nice_ids):
            top = list(scores.filter(candidates)[offset : offset + limit])
            if len(top) == limit and top[-1][1] > bound + EPSILON:
                return _by_id(ranked, [pk for pk, _score in top])
    return _by_id(ranked, [pk for pk, _score in scores[offset : offset + limit]])


def _by_id(ranked: QuerySet, ids: list) -> list:
    """The rows of `ranked` (with their relations and parts) whose ids are `ids`, in that order
    (one gone in between is left out)."""
    if not ids:
        return []
    found = {row.pk: row for row in ranked.filter(pk__in=ids).order_by()}
    return [found[pk] for pk in ids if pk in found]


# --- for a person: open opportunities ranked ----------------------------------------------------


def open_opportunities() -> QuerySet:
    """Open opportunities whose deadline has not passed and that still have places."""
    today = timezone.localdate()
    return Opportunity.objects.filter(
        Q(deadline__isnull=True) | Q(deadline__gte=today),
        status=OpportunityStatus.OPEN,
        organization__is_active=True,
        places_filled__lt=F("places"),
    )


def ranked_opportunities(profile: VolunteerProfile, queryset: QuerySet | None = None) -> QuerySet:
    """Open opportunities (or `queryset`) ranked by fit for `profile` (best first): one query
    (for a page of it, `opportunities_page` is cheaper on many opportunities)."""
    return _ranked_opportunities(profile, queryset).select_related("organization", "municipality", "cause")


def opportunities_page(profile: VolunteerProfile, number, per_page: int) -> Page:
    """Page `number` (as `Paginator.get_page`: junk gives page 1, past the end the last page)
    of `ranked_opportunities(profile)`: the same rows in the same order, with their parts."""
    try:
        number = max(1, int(number))
    except (TypeError, ValueError):
        number = 1
    total = open_opportunities().count()  # the ranking neither drops nor repeats a row
    number = min(number, max(1, -(-total // per_page)))
    rows = opportunities_window(profile, (number - 1) * per_page, per_page)
    return Page(rows, number, KnownCountPaginator(rows, per_page, known_count=total))


def opportunities_window(
    profile: VolunteerProfile, offset: int, limit: int, *, queryset: QuerySet | None = None
) -> list:
    """`ranked_opportunities(profile, queryset)[offset:offset + limit]` in two queries: the
    ranking reads and returns only ids and scores (one narrow row each, as hand-written SQL
    would: the parts of every open opportunity's score are not carried through the sort),
    then the page's opportunities are fetched by id with their organisation, municipality,
    cause and the parts `explain` reads (the skill needs of those ids only), in the
    ranking's order."""
    if offset > MAX_OFFSET:
        return []
    ranked = _ranked_opportunities(profile, queryset)
    ids = [pk for pk, _score in ranked.values_list("pk", "score")[offset : offset + limit]]
    return _by_id(_restricted(ranked, ids).select_related("organization", "municipality", "cause"), ids)


NEEDS_ALIAS = "volunteering_needs_fit"


def _restricted(ranked: QuerySet, ids: list) -> QuerySet:
    """`ranked` (annotated by `_ranked_opportunities`) with its grouped skill needs counted
    for the opportunities `ids` only (not for every opportunity), for `_by_id`."""
    qs = ranked.all()
    join = qs.query.alias_map[NEEDS_ALIAS]  # the clone's own map: `ranked` keeps its join
    qs.query.alias_map[NEEDS_ALIAS] = _JoinGrouped(
        join.subquery.filter(opportunity_id__in=ids),
        join.key,
        join.parent_alias,
        join.table_alias,
        join.table_name,
    )
    return qs


def _ranked_opportunities(profile: VolunteerProfile, queryset: QuerySet | None) -> QuerySet:
    # .all(), not values_list: a caller ranking for many people prefetches both (the digest)
    skill_ids = [skill.pk for skill in profile.skills.all()]
    spoken = [
        row.language
        for row in sorted(profile.languages.all(), key=lambda row: (-row.level, row.language))
        if row.level >= GOOD
    ]
    # The language named in the explanation: the one the person speaks best.
    preference = Case(
        *(When(language=code, then=Value(rank)) for rank, code in enumerate(spoken)),
        default=Value(99),
        output_field=IntegerField(),
    )
    qs = open_opportunities() if queryset is None else queryset
    # The skills: every opportunity's needs counted in one grouped subquery, joined once
    # (a subquery a row would run 5,000 times on 5,000 open opportunities).
    needs = (
        OpportunitySkill.objects.order_by()
        .values("opportunity_id")
        .annotate(
            must_total=Count("pk", filter=Q(required=True)),
            nice_total=Count("pk", filter=Q(required=False)),
            must_hit=Count("pk", filter=Q(required=True, skill_id__in=skill_ids))
            if skill_ids
            else Value(0, output_field=IntegerField()),
            nice_hit=Count("pk", filter=Q(required=False, skill_id__in=skill_ids))
            if skill_ids
            else Value(0, output_field=IntegerField()),
        )
    )
    counts = ("must_total", "nice_total", "must_hit", "nice_hit")
    qs = _join_grouped(qs, needs, "opportunity_id", NEEDS_ALIAS, {name: IntegerField() for name in counts})
    qs = qs.annotate(**{name: Coalesce(F(f"_{name}"), 0) for name in counts})
    on_site = profile.work_mode in (WorkMode.ON_SITE, WorkMode.BOTH)
    remote_ok = profile.work_mode in (WorkMode.REMOTE, WorkMode.BOTH)
    same_place = (
        Q(municipality_id=profile.municipality_id) if (on_site and profile.municipality_id) else Q(pk__in=[])
    )
    remote_fit = Q(remote=True) if remote_ok else Q(pk__in=[])
    times = [name for name in ("weekdays", "evenings", "weekends") if getattr(profile, name)]
    times_q = Q(weekdays=False, evenings=False, weekends=False)
    for name in times:
        times_q |= Q(**{name: True})
    opp_languages = OpportunityLanguage.objects.filter(opportunity_id=OuterRef("pk"))
    matching_language = opp_languages.filter(language__in=spoken)
    # No language asked, or one the person speaks: PostgreSQL hashes each EXISTS once.
    language_fit = (
        _flag(~Exists(opp_languages) | Exists(matching_language)) if spoken else _flag(~Exists(opp_languages))
    )
    zone_diff = abs(profile.utc_offset - KOSOVO_UTC_OFFSET)
    zone_remote = W_ZONE if zone_diff <= 180 else (W_ZONE / 2 if zone_diff <= 360 else 0.0)
    qs = qs.annotate(
        same_municipality=_flag(same_place),
        remote_fit=_flag(remote_fit),
        place_ok=_flag(same_place | remote_fit),
        hours_ok=_flag(Q(hours_per_week__lte=profile.hours_per_week)),
        times_ok=_flag(times_q),
        language_ok=language_fit,
        spoken_language=Subquery(
            matching_language.annotate(rank=preference).order_by("rank").values("language")[:1]
        ),
        expertise_ok=_flag(~Q(kind="expert_request") | Q(expertise=profile.expertise or "-")),
        zone_points=Case(
            When(remote=True, then=Value(float(zone_remote))),
            default=Value(float(W_ZONE)),
            output_field=FloatField(),
        ),
        zone_diff=Value(zone_diff, output_field=IntegerField()),
        is_remote_opportunity=F("remote"),
        is_expert=_flag(Q(kind="expert_request")),
    )
    denominator = F("must_total") * 2 + F("nice_total")
    # no deadline last on every database (SQLite orders NULLs first; `best_for_many` as here)
    return _score(qs, skill_denominator=denominator).order_by(
        "-score", F("deadline").asc(nulls_last=True), "-pk"
    )


# --- for many people at once: the monthly digest ------------------------------------------------


def scoring_facts(queryset: QuerySet) -> list:
    """`queryset`'s opportunities read once (three queries) for `best_for_many`."""
    opportunities = queryset.select_related("organization").prefetch_related("skill_needs", "languages")
    return [_OpportunityFacts(opportunity) for opportunity in opportunities]


def best_for_many(profiles, opportunities: list, *, limit: int, min_score: float) -> dict[int, list]:
    """For each of `profiles` (with `skills` and `languages` prefetched), the `limit` best of
    `opportunities` (from `scoring_facts`) scoring at least `min_score`, as
    [(opportunity, score)] in the order of `ranked_opportunities` (score, then deadline, then
    newest): {profile pk: rows}. No query: the same score as `ranked_opportunities`, worked out
    in Python, so ranking a batch of people costs nothing a person. Meant for a small set of
    opportunities (the digest's new ones of a month)."""
    best: dict[int, list] = {}
    for profile in profiles:
        scored = [(facts, _score_for(profile, facts)) for facts in opportunities]
        scored = [(facts, score) for facts, score in scored if score >= min_score - EPSILON]
        scored.sort(key=lambda pair: (-round(pair[1], 9), *pair[0].order))
        best[profile.pk] = [(facts.opportunity, score) for facts, score in scored[:limit]]
    return best


class _OpportunityFacts:
    """What the score reads of one opportunity, read once for everyone."""

    def __init__(self, opportunity: Opportunity):
        self.opportunity = opportunity
        needs = list(opportunity.skill_needs.all())
        self.must = {need.skill_id for need in needs if need.required}
        self.nice = {need.skill_id for need in needs if not need.required}
        self.languages = {row.language for row in opportunity.languages.all()}
        self.times = {name for name in ("weekdays", "evenings", "weekends") if getattr(opportunity, name)}
        # deadline ascending with no deadline last (as PostgreSQL orders NULLs), then newest
        deadline = opportunity.deadline
        self.order = (deadline is None, deadline or timezone.localdate(), -opportunity.pk)


def _score_for(profile: VolunteerProfile, facts: _OpportunityFacts) -> float:
    """`ranked_opportunities(profile)`'s score of one opportunity (see the weights above)."""
    opp = facts.opportunity
    skill_ids = {skill.pk for skill in profile.skills.all()}
    if facts.must or facts.nice:
        hit = 2 * len(facts.must & skill_ids) + len(facts.nice & skill_ids)
        skills = float(hit) * W_SKILLS / float(2 * len(facts.must) + len(facts.nice))
    else:
        skills = float(W_SKILLS)
    on_site = profile.work_mode in (WorkMode.ON_SITE, WorkMode.BOTH)
    remote_ok = profile.work_mode in (WorkMode.REMOTE, WorkMode.BOTH)
    same_place = bool(on_site and profile.municipality_id and opp.municipality_id == profile.municipality_id)
    place = same_place or (remote_ok and opp.remote)
    profile_times = {name for name in ("weekdays", "evenings", "weekends") if getattr(profile, name)}
    times = not facts.times or bool(facts.times & profile_times)
    spoken = {row.language for row in profile.languages.all() if row.level >= GOOD}
    language = not facts.languages or bool(facts.languages & spoken)
    expertise = opp.kind != "expert_request" or opp.expertise == (profile.expertise or "-")
    if opp.remote:
        zone_diff = abs(profile.utc_offset - KOSOVO_UTC_OFFSET)
        zone = float(W_ZONE) if zone_diff <= 180 else (W_ZONE / 2 if zone_diff <= 360 else 0.0)
    else:
        zone = float(W_ZONE)
    return (
        skills
        + place * W_PLACE
        + (opp.hours_per_week <= profile.hours_per_week) * W_HOURS
        + times * W_TIMES
        + language * W_LANGUAGE
        + expertise * W_EXPERTISE
        + zone
    )


# --- the explanation -----------------------------------------------------------------------------


def explain(row) -> str:
    """The parts of a ranked row's score as one sentence in the active language."""
    parts = []
    total = row.must_total + row.nice_total
    if total:
        hit = row.must_hit + row.nice_hit
        parts.append(
            ngettext("%(hit)s of %(total)s skill", "%(hit)s of %(total)s skills", total)
            % {"hit": hit, "total": total}
        )
        if row.must_total and row.must_hit < row.must_total:
            parts.append(
                ngettext(
                    "%(missing)s must-have skill missing",
                    "%(missing)s must-have skills missing",
                    row.must_total - row.must_hit,
                )
                % {"missing": row.must_total - row.must_hit}
            )
    if row.same_municipality:
        parts.append(_("same municipality"))
    elif row.remote_fit:
        parts.append(_("remote"))
    else:
        parts.append(_("another place"))
    parts.append(_("enough hours a week") if row.hours_ok else _("fewer hours a week than asked"))
    if not row.times_ok:
        parts.append(_("other times of the week"))
    spoken = getattr(row, "spoken_language", "") or ""
    if spoken:
        parts.append(_("speaks %(language)s") % {"language": str(Language(spoken).label)})
    elif not row.language_ok:
        parts.append(_("no common language"))
    if row.is_expert:
        if row.expertise_ok and row.expertise in Expertise.values:
            parts.append(_("expertise: %(expertise)s") % {"expertise": str(Expertise(row.expertise).label)})
        else:
            parts.append(_("other expertise"))
    if row.is_remote_opportunity and row.remote_fit:
        if row.zone_diff <= 180:
            parts.append(_("time zone close to Kosovo"))
        elif row.zone_diff > 360:
            parts.append(_("time zone far from Kosovo"))
    return ", ".join(parts)


def with_explanations(rows) -> list:
    """The rows of one page, each with `.explanation` and a rounded `.fit` (0–100)."""
    rows = list(rows)
    for row in rows:
        row.explanation = explain(row)
        row.fit = round(row.score)
    return rows
