"""Cercle under load: `.venv/bin/python bench/load.py` (or `make bench`). Options: `--duration 60`,
`--connections 32`, `--workers 2`, `--factor 0.1` (the size grown to, as a fraction of the club at 10x: 1.0 for
all of it), `--redis-db 5`, `--keep`.

Method. A throw-away PostgreSQL database (`bench_load` on 127.0.0.1:5432, user postgres, dropped and created)
is migrated, loaded with the demo and grown by bench/scale.py; Redis database `--redis-db` of 127.0.0.1:6379
(emptied before and after) is the cache and the sessions' cache (`cached_db`), as in production. gunicorn
serves it with the project's gunicorn.conf.py and the benchmark's production settings (bench/settings.py),
`--workers` workers. For `--duration` seconds, `--connections` threads, each with its own `requests` session
(one connection each, kept alive), play a realistic mix:

- readers (about 60 %): log in through the login form (CSRF token, password `cercle-demo`) as the demo's
  basic member, a premium member without admin role, the demo's lead or a scaled member, or stay visitors,
  then read pages they may read, chosen at random from a pool built with the access policy: home or dashboard,
  the watch and its articles, groups and notes, the agenda and events, the knowledge base, opportunities,
  discussion threads;
- searchers (about 20 %): the search page with a topic, as a member or a visitor;
- writers (about 12 %): log in as a scaled member, open a thread of a club-wide space, and reply through its
  form (CSRF token, a submission key, a text carrying a unique marker); a writer changes member every 8 replies,
  below the club's rate limit of 10 replies in 10 minutes;
- log-ins (the rest): a new session, the login page, the login form, the dashboard; again.

Beside them a publisher thread, in this process with the ORM, publishes a meeting note of the demo's
"Gouvernance IT" group as its lead every 10 s (`save_revision().publish()`), then asks for the group page
over HTTP as that lead and checks the new note's title is there at once.

Every request is timed and its status kept. At the end: requests/s, p50/p95 per kind, exceptions (refused
connections, time-outs), 5xx, other unexpected statuses, and the checks that nothing is lost: every reply the
server accepted (a redirect to the new post) is in the database with its marker, and every publication is live
and was seen. Figures go to bench/results/load-<date>.md with the machine and the commit.
"""

import argparse
import datetime
import os
import random
import re
import statistics
import sys
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # first: this folder's search.py must not shadow the search app

from bench import pages as harness  # noqa: E402

PG_NAME = "bench_load"
TOPICS = ["cloud", "sécurité", "NIS2", "données", "IA", "souveraineté", "RGPD", "réseau", "ERP", "budget"]
LOGIN = "/compte/connexion/"
REPLIES_PER_MEMBER = 8


def percentile(samples, q):
    ordered = sorted(samples)
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


class Record:
    """Every request's kind, status and time, shared by the threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.rows = []  # (kind, status or None, seconds, path)
        self.replies = []  # (marker, status)
        self.publications = []  # (title, live, seen)

    def add(self, kind, status, seconds, path):
        with self.lock:
            self.rows.append((kind, status, seconds, path))


def timed(record, kind, session, method, url, **kwargs):
    started = time.perf_counter()
    try:
        response = session.request(method, url, allow_redirects=False, timeout=30, **kwargs)
    except Exception:  # noqa: BLE001 (a refused connection or a time-out is what is counted)
        record.add(kind, None, time.perf_counter() - started, url)
        return None
    record.add(kind, response.status_code, time.perf_counter() - started, url)
    return response


def login(record, session, base, username, kind="login"):
    """The login form, as a browser fills it; True when the server logged the person in."""
    import requests  # noqa: F401 (the sessions' library)

    form = timed(record, kind, session, "GET", base + LOGIN)
    if form is None:
        return False
    token = session.cookies.get("csrftoken", "")
    answer = timed(
        record,
        kind,
        session,
        "POST",
        base + LOGIN,
        data={"username": username, "password": harness.PASSWORD, "csrfmiddlewaretoken": token},
    )
    return answer is not None and answer.status_code == 302 and "sessionid" in session.cookies


# ---------------------------------------------------------------------------------------------
# What each kind of visitor reads (built in-process with the policy)
# ---------------------------------------------------------------------------------------------


def reading_pools(rng, readers):
    """{username or "": [paths]}: pages each reader may read, a sample of every kind."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import AnonymousUser
    from django.urls import reverse

    from discussions.models import Thread
    from events.models import EventPage
    from knowledge.models import KnowledgeArticlePage, TechWatchArticlePage
    from members.access import Viewer, can_know, can_read, conversation_q
    from opportunities.models import OpportunityPage
    from working_groups.models import MeetingNotePage, WorkingGroupPage

    def sample(model, n=60):
        ids = list(model.objects.live().values_list("pk", flat=True))
        return list(model.objects.filter(pk__in=rng.sample(ids, min(n, len(ids)))).specific())

    candidates = {
        "know": sample(TechWatchArticlePage)
        + sample(EventPage)
        + sample(KnowledgeArticlePage)
        + sample(OpportunityPage),
        "read": sample(WorkingGroupPage, 30) + sample(MeetingNotePage),
    }
    fixed = ["/", "/veille/", "/groupes/", "/agenda/", "/connaissances/", "/opportunites/", "/discussions/"]
    pools = {}
    for username in readers:
        user = get_user_model().objects.get(username=username) if username else AnonymousUser()
        viewer = Viewer(user)
        paths = [p for p in fixed if username or p in ("/", "/veille/", "/agenda/")]
        paths += [p.url for p in candidates["know"] if can_know(viewer, p)]
        paths += [p.url for p in candidates["read"] if can_read(viewer, p)]
        if username:
            threads = Thread.objects.filter(conversation_q(viewer, prefix="space__")).order_by("?")[:30]
            paths += [reverse("discussions:thread", args=[t.pk]) for t in threads]
        pools[username] = paths
    return pools


def prepare(rng):
    """Readers, writers and the threads they write in."""
    from django.contrib.auth import get_user_model

    from discussions.models import Thread
    from members.models import Membership

    harness.ensure_bench_premium()
    today = datetime.date.today()
    valid = list(
        Membership.objects.filter(user__username__startswith="scale", valid_until__gte=today, valid_from__lte=today)
        .values_list("user__username", flat=True)
        .distinct()
    )
    if len(valid) < 50:
        raise SystemExit("load.py needs the scaled members of bench/scale.py (--factor > 0)")
    rng.shuffle(valid)
    readers = ["", "basic", harness.BENCH_PREMIUM, "lead"] + valid[:6]
    threads = list(Thread.objects.filter(space__group__isnull=True, locked=False).values_list("pk", flat=True)[:10])
    pools = reading_pools(rng, readers)
    assert get_user_model().objects.filter(username="lead").exists()
    return {"readers": readers, "writers": valid[6:], "threads": threads, "pools": pools, "members": valid}


# ---------------------------------------------------------------------------------------------
# The virtual people
# ---------------------------------------------------------------------------------------------


def reader(base, record, stop, rng, username, pool):
    import requests

    session = requests.Session()
    if username and not login(record, session, base, username):
        return
    while not stop.is_set():
        timed(record, "page", session, "GET", base + rng.choice(pool))


def searcher(base, record, stop, rng, username):
    import requests

    session = requests.Session()
    if username and not login(record, session, base, username):
        return
    while not stop.is_set():
        timed(record, "search", session, "GET", f"{base}/recherche/", params={"q": rng.choice(TOPICS)})


def writer(base, record, stop, rng, members, threads):
    import requests

    while not stop.is_set():
        with record.lock:
            if not members:
                return
            username = members.pop()
        session = requests.Session()
        if not login(record, session, base, username):
            continue
        for _ in range(REPLIES_PER_MEMBER):
            if stop.is_set():
                return
            thread = rng.choice(threads)
            page = timed(record, "thread", session, "GET", f"{base}/discussions/sujets/{thread}/")
            if page is None or page.status_code != 200:
                continue
            marker = f"bench-load-{uuid.uuid4().hex}"
            answer = timed(
                record,
                "reply",
                session,
                "POST",
                f"{base}/discussions/sujets/{thread}/repondre/",
                data={
                    "csrfmiddlewaretoken": session.cookies.get("csrftoken", ""),
                    "source": f"Merci pour ce partage ({marker}), nous avons vécu la même chose.",
                    "submission_key": uuid.uuid4().hex,
                },
            )
            with record.lock:
                record.replies.append((marker, None if answer is None else answer.status_code))


def logins(base, record, stop, rng, members):
    import requests

    while not stop.is_set():
        session = requests.Session()
        if login(record, session, base, rng.choice(members)):
            timed(record, "dashboard", session, "GET", base + "/")


def publisher(base, record, stop, every=10.0):
    """The demo's lead publishes a note in their group, then looks for it on the group page over HTTP."""
    import requests
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction

    from working_groups.models import MeetingNotePage, WorkingGroupPage

    lead = get_user_model().objects.get(username="lead")
    group = WorkingGroupPage.objects.get(slug="gouvernance-it")
    session = requests.Session()
    login(record, session, base, "lead")
    n = 0
    try:
        while not stop.wait(every if n else 2.0):
            n += 1
            title = f"Réunion de charge {n} ({uuid.uuid4().hex[:8]})"
            with transaction.atomic():
                parent = WorkingGroupPage.objects.get(pk=group.pk)
                note = MeetingNotePage(
                    title=title, slug=f"charge-{uuid.uuid4().hex[:10]}", meeting_date=datetime.date.today(), owner=lead
                )
                parent.add_child(instance=note)
                note.save_revision(user=lead).publish(user=lead)
            answer = timed(record, "after publication", session, "GET", base + group.url)
            seen = answer is not None and answer.status_code == 200 and title in answer.text
            live = MeetingNotePage.objects.filter(pk=note.pk, live=True).exists()
            with record.lock:
                record.publications.append((title, live, seen))
    finally:
        connection.close()


# ---------------------------------------------------------------------------------------------


def run_load(base, args, plan):
    rng = random.Random(args.seed)
    record, stop = Record(), threading.Event()
    writers_pool = list(plan["writers"])
    n = args.connections
    shares = {"writer": max(1, round(n * 0.12)), "search": max(1, round(n * 0.2)), "login": max(1, round(n * 0.08))}
    shares["reader"] = n - sum(shares.values())
    people = []
    for i in range(shares["reader"]):
        username = plan["readers"][i % len(plan["readers"])]
        people.append(
            threading.Thread(
                target=reader, args=(base, record, stop, random.Random(i), username, plan["pools"][username])
            )
        )
    for i in range(shares["search"]):
        username = rng.choice(["", "basic", harness.BENCH_PREMIUM, "lead"])
        people.append(threading.Thread(target=searcher, args=(base, record, stop, random.Random(100 + i), username)))
    for i in range(shares["writer"]):
        people.append(
            threading.Thread(
                target=writer, args=(base, record, stop, random.Random(200 + i), writers_pool, plan["threads"])
            )
        )
    for i in range(shares["login"]):
        people.append(
            threading.Thread(target=logins, args=(base, record, stop, random.Random(300 + i), plan["members"]))
        )
    side = threading.Thread(target=publisher, args=(base, record, stop))
    harness.say(f"load: {shares} for {args.duration} s, and a publisher every 10 s")
    started = time.perf_counter()
    for person in people:
        person.start()
    side.start()
    time.sleep(args.duration)
    stop.set()
    for person in [*people, side]:
        person.join(timeout=60)
    elapsed = time.perf_counter() - started
    return record, elapsed, shares


def verify(record):
    from discussions.models import Post

    accepted = [marker for marker, status in record.replies if status == 302]
    sources = Post.objects.filter(source__contains="bench-load-").values_list("source", flat=True)
    markers = {m.group(0) for source in sources for m in re.finditer(r"bench-load-[0-9a-f]{32}", source)}
    found = sum(1 for marker in accepted if marker in markers)
    return {
        "replies posted": len(record.replies),
        "replies accepted (302)": len(accepted),
        "replies refused or failed": len(record.replies) - len(accepted),
        "accepted replies found in the database": found,
        "publications": len(record.publications),
        "publications live": sum(1 for _t, live, _s in record.publications if live),
        "publications seen at once on the group page": sum(1 for _t, _l, seen in record.publications if seen),
    }


def report(record, elapsed, shares, checks, args, totals):
    kinds = sorted({row[0] for row in record.rows})
    lines = [
        "| kind | requests | req/s | p50 ms | p95 ms | exceptions | 5xx | other 4xx |",
        "|---|---|---|---|---|---|---|---|",
    ]
    failures = {"exceptions": 0, "5xx": 0, "4xx": 0}
    odd = {}
    for kind in [*kinds, "all"]:
        rows = [r for r in record.rows if kind in ("all", r[0])]
        times = [r[2] * 1000 for r in rows]
        exceptions = sum(1 for r in rows if r[1] is None)
        server = sum(1 for r in rows if r[1] is not None and r[1] >= 500)
        client = sum(1 for r in rows if r[1] is not None and 400 <= r[1] < 500)
        if kind != "all":
            failures["exceptions"] += exceptions
            failures["5xx"] += server
            failures["4xx"] += client
            for r in rows:
                if r[1] is None or r[1] >= 400:
                    odd.setdefault(f"{r[0]} {r[1]} {r[3].split('?')[0]}", 0)
                    odd[f"{r[0]} {r[1]} {r[3].split('?')[0]}"] += 1
        lines.append(
            f"| {kind} | {len(rows)} | {len(rows) / elapsed:.1f} | {statistics.median(times) if times else 0:.0f} | "
            f"{percentile(times, 0.95):.0f} | {exceptions} | {server} | {client} |"
        )
    lost = checks["replies accepted (302)"] - checks["accepted replies found in the database"]
    verdict = "PASS" if failures["exceptions"] == failures["5xx"] == 0 and lost == 0 else "FAIL"
    out = [
        f"# Cercle under load, PostgreSQL and Redis, {datetime.date.today().isoformat()}",
        "",
        f"- machine: {harness.machine()}",
        f"- commit: {harness.commit()}",
        f"- server: gunicorn, {args.workers} workers (gunicorn.conf.py, `--max-requests 0`), production profile "
        f"(bench/settings.py), PostgreSQL 127.0.0.1:5432, Redis db {args.redis_db} as cache and session cache",
        f"- data: {totals}",
        f"- load: {args.connections} connections for {elapsed:.0f} s: {shares}; a note published every 10 s",
        "",
        *lines,
        "",
        f"**{verdict}**: {failures['exceptions']} exceptions, {failures['5xx']} responses 5xx, {failures['4xx']} 4xx "
        f"(a 429 is the club's rate limit), {lost} accepted replies missing from the database.",
        "",
        "Checks: " + ", ".join(f"{k}: {v}" for k, v in checks.items()) + ".",
    ]
    if odd:
        out += ["", "Non-2xx/3xx answers by kind, status and path (at most 15):", ""]
        out += [f"- {key}: {count}" for key, count in sorted(odd.items(), key=lambda kv: -kv[1])[:15]]
    return "\n".join(out)


def flush_redis(url):
    import redis

    redis.Redis.from_url(url).flushdb()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--factor", type=float, default=0.1, help="scale.py's fraction of the club at 10x")
    parser.add_argument("--redis-db", type=int, default=5)
    parser.add_argument("--seed", type=int, default=20261202)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--results", default=str(ROOT / "bench" / "results"))
    args = parser.parse_args()
    redis_url = f"redis://127.0.0.1:6379/{args.redis_db}"
    began = time.perf_counter()
    url = harness.fresh_database("postgresql", PG_NAME)
    try:
        harness.say("load: collectstatic, migrate, load the demo")
        harness.collectstatic()
        harness.load_demo(url)
        harness.say(f"load: growing to {args.factor:g} of the club at 10x")
        harness.grow(url, args.factor)
        flush_redis(redis_url)
        # This process publishes and checks with the ORM: the same settings and database as the server.
        os.environ.update(harness.base_env(url, DJANGO_SETTINGS_MODULE="bench.settings", REDIS_URL=redis_url))
        os.environ["AXES_ENABLED"] = "false"  # for this process only: it logs nobody in itself
        import django

        django.setup()
        from django.db import connection

        from bench import scale

        plan = prepare(random.Random(args.seed))
        totals = scale.totals()
        connection.close()
        bare_file = harness.TMP / f"bench-bare-load-{os.getpid()}.html"
        bare_file.write_bytes(b"<!doctype html>")
        server = harness.Server(url, args.workers, bare_file, extra_env={"REDIS_URL": redis_url})
        try:
            for path in ["/", "/veille/", "/agenda/", LOGIN]:  # each worker imports before the clock
                for _ in range(2 * args.workers):
                    server.get(path)
            record, elapsed, shares = run_load(server.base, args, plan)
        finally:
            server.stop()
            bare_file.unlink(missing_ok=True)
        checks = verify(record)
        text = report(record, elapsed, shares, checks, args, totals)
        print(text)
        path = Path(args.results) / f"load-{datetime.date.today().isoformat()}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text + "\n")
        harness.say(f"written: {path}; whole run {time.perf_counter() - began:.0f} s")
    finally:
        if "django" in sys.modules and getattr(sys.modules["django"], "apps", None):
            from django.db import connections

            connections.close_all()
        flush_redis(redis_url)
        if args.keep:
            harness.say(f"kept: DATABASE_URL={url}")
        else:
            harness.drop_database("postgresql", url)


if __name__ == "__main__":
    main()
