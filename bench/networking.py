"""Do issue 11's pages stay flat at ten times the demo? Run: `.venv/bin/python bench/networking.py [requests]`
(or `make bench-networking`).

In a throw-away SQLite file in /tmp, migrated from scratch and filled with the demo (`load_demo`), serves
the agenda, an event page, the business opportunities and one of them, the members' directory (plain and
with an expertise facet chosen), an organisation's page and the home page's dashboard panels to the demo's
`basic` and `premium` members (force_login), and times each: p50 and p95 over `requests` (30 by default)
after a warm-up, with the SQL query count of one request. Then multiplies the data to about ten times the
demo, the way the demo's own loaders make it (so the pages' audiences are kept by the same signals):
events copied under the agenda with new titles, slugs and dates over the coming year, the demo members
registered on some of them; opportunities copied with deadlines over the year; members with a membership,
a complete profile (expertise, languages, clusters of interest, fields shown), a third of them in the
demo's organisations. The same pages are timed again, and one table gives, per page and viewer, both
sizes, the ratio 10x/1x and both query counts. A ratio above 2 or a query count that grows is flagged:
the pages are paginated and their query counts pinned, so neither should move with the data.

The baseline (1x) is measured in the same run, on the same machine, so the ratio is what to read; the
milliseconds depend on the machine.
"""

import datetime
import io
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DB_FILE = Path(tempfile.gettempdir()) / f"bench-networking-{os.getpid()}.sqlite3"
# Django reads DATABASE_URL once, at set-up: the throw-away file must be named before.
os.environ["DATABASE_URL"] = f"sqlite:///{DB_FILE}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("AXES_ENABLED", "false")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

SEED = 20261202
FACTOR = 10
VIEWERS = ("basic", "premium")
RATIO_FLAG = 2.0


def percentile(samples, q):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


class QuietContext:
    """The demo loaders' context, without their chatter."""

    password = "bench"
    accounts = []

    def created(self, what):
        pass

    def kept(self, what):
        pass


# ---------------------------------------------------------------------------------------------
# The pages
# ---------------------------------------------------------------------------------------------


def pages_to_time():
    """(label, url) of each page, chosen once on the demo, so that both sizes time the same objects."""
    from django.contrib.auth import get_user_model

    from events.models import EventPage
    from members.models import Profile
    from opportunities.models import OpportunityPage

    # An upcoming event both demo members may read (members' audience): the page a member opens most.
    event = (
        EventPage.objects.live()
        .filter(audience=EventPage.EventAudience.MEMBERS, starts_at__gte=datetime.datetime.now(datetime.UTC))
        .order_by("starts_at")
        .first()
    )
    opportunity = OpportunityPage.objects.live().order_by("path").first()
    premium = Profile.objects.select_related("organisation").get(user__username="premium")
    expertise = Profile.objects.get(user=get_user_model().objects.get(username="premium")).expertise.first()
    pages = [
        ("home (dashboard panels)", "/"),
        ("agenda", "/agenda/"),
        ("event page", event.url),
        ("opportunities", "/opportunites/"),
        ("opportunity page", opportunity.url),
        ("directory", "/membres/annuaire/"),
        ("directory, expertise facet", f"/membres/annuaire/?expertise={expertise.name}"),
    ]
    if premium.organisation_id:
        pages.append(("organisation page", f"/membres/organisations/{premium.organisation_id}/"))
    return pages


def measure(client, url, repeats, warmup):
    for _ in range(warmup):  # caches, templates, code paths
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    # Counted by an execute wrapper rather than the debug log (a full log stops growing at 9,000 rows).
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        client.get(url)
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        response = client.get(url)
        samples.append(time.perf_counter() - start)
    assert response.status_code == 200, (url, response.status_code)
    return {"p50": statistics.median(samples), "p95": percentile(samples, 0.95), "queries": len(queries)}


def time_pages(clients, pages, repeats, warmup, size):
    results = {}
    for label, url in pages:
        for viewer, client in clients.items():
            row = measure(client, url, repeats, warmup)
            results[(label, viewer)] = row
            print(
                f"  {size} {label} / {viewer}: p50 {row['p50'] * 1000:.1f} ms p95 {row['p95'] * 1000:.1f} ms "
                f"{row['queries']} queries",
                file=sys.stderr,
                flush=True,
            )
    return results


# ---------------------------------------------------------------------------------------------
# Ten times the demo
# ---------------------------------------------------------------------------------------------


def counts():
    from events.models import EventPage, Registration
    from members.models import PageAudience, Profile
    from opportunities.models import OpportunityPage

    pages = [EventPage.objects.live(), OpportunityPage.objects.live()]
    return {
        "events": EventPage.objects.count(),
        "registrations": Registration.objects.count(),
        "opportunities": OpportunityPage.objects.count(),
        "profiles": Profile.objects.count(),
        # Every live page must have its audience row (the signals make it): the lists filter on it.
        "live pages without PageAudience": sum(
            live.exclude(pk__in=PageAudience.objects.values("page_id")).count() for live in pages
        ),
    }


def grow_events(context, rng, copies):
    """Each demo event again `copies` times, on a day of the coming year; one copy in three has the demo
    members in its seats (basic confirmed, premium confirmed or waiting), so their panel has rows to sort."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from events import demo
    from events.models import EventIndexPage
    from working_groups.models import WorkingGroupPage

    data = demo.read_data()
    index = EventIndexPage.objects.first()
    people = get_user_model().objects.in_bulk(field_name="username")
    groups = {group.slug: group for group in WorkingGroupPage.objects.all()}
    today = timezone.localdate()
    for copy in range(1, copies + 1):
        for spec in data["events"]:
            spec = dict(spec, slug=f"{spec['slug']}-{copy}", title=f"{spec['title']} ({copy + 1})")
            spec["day"] = rng.randint(1, 365)
            event = demo.ensure_event(context, index, spec, today, people, groups)
            if rng.random() < 1 / 3:
                seats = (
                    {"confirmed": ["basic", "premium"]}
                    if rng.random() < 0.7
                    else {"confirmed": ["basic"], "waiting": ["premium"]}
                )
                demo.ensure_registrations(context, event, seats, people)


def grow_opportunities(context, rng, copies):
    from django.utils import timezone

    from members.models import Organisation
    from opportunities import demo, services
    from opportunities.models import OpportunityIndexPage
    from working_groups.models import WorkingGroupPage

    data = demo.read_data()
    index = OpportunityIndexPage.objects.first()
    collection = services.ensure_collection()
    clusters = {group.slug: group for group in WorkingGroupPage.objects.filter(kind=WorkingGroupPage.Kind.CLUSTER)}
    organisations = {org.name: org for org in Organisation.objects.all()}
    today = timezone.localdate()
    with services.alerts_paused():  # the copies are history: nobody is alerted
        for copy in range(1, copies + 1):
            for position, spec in enumerate(data["opportunities"]):
                spec = dict(spec, slug=f"{spec['slug']}-{copy}", title=f"{spec['title']} ({copy + 1})")
                spec["deadline"] = rng.randint(-30, 365) if spec.get("deadline") is not None else None
                spec["published"] = rng.randint(1, 300)
                demo._ensure_opportunity(context, index, spec, position % 8, today, clusters, organisations, collection)


def grow_members(rng, how_many):
    """New members made directly (no password hashing: thousands of milliseconds saved), each with a
    membership, the charter signed and a complete profile; a third in the demo's organisations."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from members import services
    from members.access import Viewer
    from members.demo import directory_data
    from members.interests import clusters as cluster_provider
    from members.models import DIRECTORY_FIELDS, Charter, CharterSignature, Membership, Organisation, Profile

    User = get_user_model()
    profiles = directory_data()["profiles"]
    expertise_pool = sorted({tag for details in profiles.values() for tag in details.get("expertise", [])})
    expertise_pool += ["Kubernetes", "RGPD", "NIS2", "SAP", "cybersécurité", "achats publics", "data mesh"]
    bios = [details["bio"] for details in profiles.values()]
    organisations = list(Organisation.objects.all())
    charter = Charter.current()
    # The clusters a member may choose, as staff sees them (as members/demo.py asks the provider).
    cluster_ids = [pk for pk, _title in cluster_provider().choices(Viewer(User.objects.get(username="admin")))]
    today = timezone.localdate()
    first_names = ["Anne", "Luc", "Marie", "Jan", "Sofie", "Karim", "Élise", "Thomas", "Nadia", "Pieter", "Chloé"]
    last_names = ["Dubois", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "Goossens", "Wouters", "Lambert"]
    for n in range(how_many):
        user = User(
            username=f"bench{n}",
            email=f"bench{n}@cercle.example",
            first_name=rng.choice(first_names),
            last_name=f"{rng.choice(last_names)} {n}",
        )
        user.set_unusable_password()
        user.save()
        organisation = rng.choice(organisations) if organisations and rng.random() < 1 / 3 else None
        tier = "premium" if rng.random() < 0.3 else "basic"
        Membership.objects.create(
            user=user,
            tier=tier,
            category="adherent",
            fee=0 if organisation else 450,
            organisation=organisation,
            valid_from=today - datetime.timedelta(days=rng.randint(1, 300)),
            valid_until=today + datetime.timedelta(days=rng.randint(30, 365)),
        )
        if charter is not None:
            CharterSignature.objects.create(user=user, charter=charter)
        shows = DIRECTORY_FIELDS if rng.random() < 0.5 else rng.sample(DIRECTORY_FIELDS, rng.randint(2, 6))
        profile = Profile(
            user=user,
            job_title=rng.choice(["DSI", "CTO", "CISO", "Responsable infrastructure", "Consultante", "CEO"]),
            organisation=organisation,
            joined_organisation_at=(
                timezone.now() - datetime.timedelta(days=rng.randint(1, 900)) if organisation else None
            ),
            bio=rng.choice(bios),
            languages=rng.sample(["fr", "nl", "en", "de"], rng.randint(1, 3)),
            **{f"show_{field}": field in shows for field in DIRECTORY_FIELDS},
        )
        profile.save()
        profile.expertise.set(rng.sample(expertise_pool, rng.randint(1, 4)))
        profile.save()
        if cluster_ids:
            cluster_provider().set_interests(profile, rng.sample(cluster_ids, rng.randint(1, min(3, len(cluster_ids)))))
        services.sync_user_groups(user)


# ---------------------------------------------------------------------------------------------
# The table
# ---------------------------------------------------------------------------------------------


def table(pages, small, large, sizes):
    lines = [
        f"sizes: 1x = {sizes[0]}",
        f"       {FACTOR}x = {sizes[1]}",
        "",
        f"{'page':<28} {'viewer':<8} {'p50 1x':>8} {'p95 1x':>8} {'p50 10x':>8} {'p95 10x':>8} "
        f"{'ratio':>6} {'SQL 1x':>6} {'SQL 10x':>7}  flag",
    ]
    flagged = 0
    for label, _url in pages:
        for viewer in VIEWERS:
            one, ten = small[(label, viewer)], large[(label, viewer)]
            ratio = ten["p50"] / one["p50"]
            flags = []
            if ratio > RATIO_FLAG:
                flags.append(f"RATIO > {RATIO_FLAG:g}")
            if ten["queries"] > one["queries"]:
                flags.append("QUERIES GROW")
            flagged += bool(flags)
            lines.append(
                f"{label:<28} {viewer:<8} {one['p50'] * 1000:7.1f}ms {one['p95'] * 1000:6.1f}ms "
                f"{ten['p50'] * 1000:6.1f}ms {ten['p95'] * 1000:6.1f}ms {ratio:6.2f} {one['queries']:>6} "
                f"{ten['queries']:>7}  {', '.join(flags) or 'ok'}"
            )
    lines.append("")
    lines.append(f"{flagged} line(s) flagged (ratio of the p50s > {RATIO_FLAG:g}, or more SQL queries at {FACTOR}x)")
    return "\n".join(lines)


def main(repeats, warmup=5):
    # As the test runner does (and bench/gating.py): DEBUG off, e-mails kept in memory.
    setup_test_environment(debug=False)
    began = time.perf_counter()
    try:
        call_command("migrate", verbosity=0, interactive=False)
        call_command("load_demo", stdout=io.StringIO())
        from django.contrib.auth import get_user_model

        User = get_user_model()
        clients = {}
        for username in VIEWERS:
            client = Client()
            client.force_login(User.objects.get(username=username))
            clients[username] = client
        pages = pages_to_time()
        before = counts()
        print(f"demo loaded in {time.perf_counter() - began:.0f} s: {before}", file=sys.stderr, flush=True)
        small = time_pages(clients, pages, repeats, warmup, "1x")

        grown = time.perf_counter()
        rng = random.Random(SEED)
        context = QuietContext()
        grow_events(context, rng, FACTOR - 1)
        grow_opportunities(context, rng, FACTOR - 1)
        grow_members(rng, (FACTOR - 1) * before["profiles"])
        after = counts()
        print(f"grown to {FACTOR}x in {time.perf_counter() - grown:.0f} s: {after}", file=sys.stderr, flush=True)
        large = time_pages(clients, pages, repeats, warmup, f"{FACTOR}x")
        print(table(pages, small, large, (before, after)))
        print(f"\n{repeats} requests a line after {warmup} of warm-up; whole run {time.perf_counter() - began:.0f} s")
    finally:
        connection.close()
        if "--keep" in sys.argv:
            print(f"kept: DATABASE_URL=sqlite:///{DB_FILE}", file=sys.stderr)
        else:
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{DB_FILE}{suffix}").unlink(missing_ok=True)


if __name__ == "__main__":
    numbers = [arg for arg in sys.argv[1:] if arg.isdigit()]
    main(int(numbers[0]) if numbers else 30)
