"""Cercle's pages over HTTP, under gunicorn, against a bare Django view: `.venv/bin/python bench/pages.py`
(or `make bench`). Options: `--engines sqlite,postgresql`, `--sizes demo,scaled`, `--small` (a tenth of the
scaled club), `--duration 3` (seconds a line), `--connections 8`, `--threads 2`, `--workers 2`, `--keep`.

Method. For each engine, a throw-away database (SQLite: a file in /tmp; PostgreSQL: `bench_pages` on
127.0.0.1:5432, user postgres, dropped and created) is migrated and loaded with the demo (`load_demo`, the
development profile: it refuses the production one). Then, for each size (the demo, then the same database
grown to the club's 10x by bench/scale.py):

1. In-process, with the benchmark's production settings (bench/settings.py: DEBUG off), the probe picks the
   pages (the same rule at both sizes: a premium watch article, the members' group with the most notes, its
   latest note, the thread with the most posts in a members' space...), makes the viewers and logs them in
   (`force_login`: visitor, basic, a premium member without any admin role made here, the demo's lead), and
   counts the SQL queries of one warm request per page and viewer with Django's test client
   (CaptureQueriesContext), with the status it answers.
2. gunicorn serves the database with the project's gunicorn.conf.py (production profile, `--workers 2` by
   default, on a free loopback port; `--max-requests 0` because a worker's restart costs a second of imports
   that would fall on the fastest lines). The visitor's home page is fetched once and written to the file the
   bare view serves (bench/urls.py: `/bench/bare/`, the same bytes through the full middleware stack).
3. After a warm-up of every address, `wrk` drives each page and viewer for `--duration` seconds with
   `--connections` connections on `--threads` threads, the viewer's session cookie in a header; a Lua hook
   prints p50 and p95 latency, requests and errors. wrk waits up to 60 s for an answer (its default of 2 s
   drops the slow pages), a line with too few answers runs again five times longer, and each line starts once
   the workers have served what the previous one left queued. The bare view is driven before each kind of page and after
   the last, and the ratio of a page is its requests/s over the mean of the two bare runs around its block: the
   same machine, the same server, the same minute (on shared CPUs the load drifts within a run).

A Markdown table per engine (both sizes side by side) is printed and written to
bench/results/pages-<engine>-<date>.md with the machine (CPUs, model) and the git commit. Read the ratios and
query counts; milliseconds and requests/s depend on the machine and on what else runs on it (wrk takes a CPU
too: on two CPUs, the server's two workers share them with it). Search documents exist for the demo and a
sample of the scaled pages only (bench/scale.py says why), so search results at the scaled size rank fewer
documents than a real club would.
"""

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# First: this folder's search.py must not shadow the search app (the probe imports Cercle).
sys.path.insert(0, str(ROOT))
PYTHON = sys.executable
TMP = Path(tempfile.gettempdir())
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
PG_NAME = "bench_pages"
VIEWERS = ("visitor", "basic", "premium", "lead")
# The members' premium member for the bench: premium by their own membership, charter signed, no admin role.
BENCH_PREMIUM = "bench-premium"
PASSWORD = "cercle-demo"
WRK_SCRIPT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCH p50=%d p95=%d requests=%d duration=%d status=%d socket=%d\\n",
    latency:percentile(50), latency:percentile(95), summary.requests, summary.duration,
    e.status, e.connect + e.read + e.write + e.timeout))
end
"""


def say(message):
    print(f"[pages {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------
# The machine, the commit, the databases
# ---------------------------------------------------------------------------------------------


def machine():
    model = platform.processor() or "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} CPUs ({model}), Python {platform.python_version()}, {platform.platform()}"


def commit():
    def git(*args):
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout.strip()

    if os.environ.get("BENCH_COMMIT"):  # a copy of the tree outside git (git archive) names its commit
        return os.environ["BENCH_COMMIT"]
    dirty = git("status", "--porcelain", "--untracked-files=no")
    return git("rev-parse", "--short", "HEAD") + (" (with uncommitted changes)" if dirty else "")


def base_env(database_url, **extra):
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        PYTHONPATH=str(ROOT),
        MEDIA_ROOT=str(TMP / "bench-media"),
        STATIC_ROOT=str(TMP / "bench-static"),
    )
    env.update(extra)
    return env


def run(args, env, **kwargs):
    result = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, **kwargs)
    if result.returncode:
        raise SystemExit(f"{' '.join(map(str, args))} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return result.stdout


def pg_admin(sql):
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as connection:
        connection.execute(sql)


def fresh_database(engine, name):
    """A new empty database; returns its URL."""
    if engine == "sqlite":
        path = TMP / f"{name}-{os.getpid()}.sqlite3"
        drop_database(engine, f"sqlite:///{path}")
        return f"sqlite:///{path}"
    pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    pg_admin(f'CREATE DATABASE "{name}"')
    return f"postgres://postgres@127.0.0.1:5432/{name}"


def drop_database(engine, url):
    if engine == "sqlite":
        path = url.removeprefix("sqlite:///")
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    else:
        pg_admin(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')


def load_demo(url):
    """Migrate and load the demo, as `make demo` does (the development profile: load_demo refuses production)."""
    env = base_env(url, DJANGO_SETTINGS_MODULE="config.settings", DJANGO_ENV="development", DEBUG="false")
    env.pop("REDIS_URL", None)
    run([PYTHON, "manage.py", "migrate", "--no-input", "-v0"], env)
    run([PYTHON, "manage.py", "load_demo", "--password", PASSWORD], env)


def grow(url, factor):
    env = base_env(url, DJANGO_SETTINGS_MODULE="config.settings", DJANGO_ENV="development")
    env.pop("REDIS_URL", None)
    started = time.perf_counter()
    subprocess.run(
        [PYTHON, "bench/scale.py", "--database-url", url, "--factor", str(factor)], cwd=ROOT, env=env, check=True
    )
    return time.perf_counter() - started


def collectstatic():
    env = base_env("sqlite:////dev/null", DJANGO_SETTINGS_MODULE="bench.settings")
    run([PYTHON, "manage.py", "collectstatic", "--no-input", "-v0"], env)


# ---------------------------------------------------------------------------------------------
# The probe: in-process, on the same database (run as `pages.py --probe`)
# ---------------------------------------------------------------------------------------------


def ensure_bench_premium():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from members import services
    from members.models import Charter, CharterSignature, Membership, Profile

    User = get_user_model()
    user = User.objects.filter(username=BENCH_PREMIUM).first()
    if user is None:
        user = User.objects.create(
            username=BENCH_PREMIUM,
            email=f"{BENCH_PREMIUM}@cercle.example",
            first_name="Paula",
            last_name="Premium",
            password=make_password(PASSWORD),
        )
        Profile.objects.create(user=user, job_title="CIO")
        today = timezone.localdate()
        Membership.objects.create(
            user=user,
            tier="premium",
            category="adherent",
            fee=1200,
            valid_from=today - datetime.timedelta(days=30),
            valid_until=today + datetime.timedelta(days=335),
        )
        charter = Charter.current()
        if charter is not None:
            CharterSignature.objects.get_or_create(user=user, charter=charter)
        services.sync_user_groups(user)
    assert not user.groups.exclude(name__in=["Membres", "Membres premium"]).exists(), "an admin role"
    return user


def pages_to_measure():
    """(label, url) chosen by rule, so that both sizes measure the same kind of object."""
    from django.urls import reverse

    from discussions.models import Thread
    from knowledge.models import TechWatchArticlePage
    from members.models import Audience
    from working_groups.models import MeetingNotePage, WorkingGroupPage

    article = TechWatchArticlePage.objects.live().filter(audience="premium").order_by("-first_published_at").first()
    group = WorkingGroupPage.objects.live().filter(visibility="members").order_by("-numchild", "path").first()
    note = MeetingNotePage.objects.live().child_of(group).order_by("-meeting_date").first()
    thread = Thread.objects.filter(space__read=Audience.MEMBERS).order_by("-post_count", "pk").first()
    return [
        ("home (landing / dashboard)", "/"),
        ("watch article (premium)", article.url),
        ("watch index", "/veille/"),
        ("working-group index", "/groupes/"),
        ("working group", group.url),
        ("meeting note", note.url),
        ("event agenda", "/agenda/"),
        ("discussion thread", reverse("discussions:thread", args=[thread.pk])),
        ("search results", "/recherche/?q=cloud"),
    ]


def probe():
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench import scale

    User = get_user_model()
    ensure_bench_premium()
    usernames = {"basic": "basic", "premium": BENCH_PREMIUM, "lead": "lead"}
    clients, cookies = {"visitor": Client()}, {"visitor": ""}
    for viewer, username in usernames.items():
        client = Client()
        client.force_login(User.objects.get(username=username))
        clients[viewer] = client
        cookies[viewer] = f"sessionid={client.cookies['sessionid'].value}"
    pages = pages_to_measure()
    queries = {}
    for label, url in pages:
        for viewer, client in clients.items():
            client.get(url)  # warm: the caches, the code paths
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url)
            took = (time.perf_counter() - started) * 1000
            queries[f"{label}|{viewer}"] = {"queries": len(captured), "status": response.status_code, "alone": took}
    json.dump({"pages": pages, "cookies": cookies, "queries": queries, "totals": scale.totals()}, sys.stdout)


def run_probe(url):
    env = base_env(url, DJANGO_SETTINGS_MODULE="bench.settings", AXES_ENABLED="false", LOG_LEVEL="ERROR")
    return json.loads(run([PYTHON, __file__, "--probe"], env))


# ---------------------------------------------------------------------------------------------
# gunicorn and wrk
# ---------------------------------------------------------------------------------------------


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """gunicorn with the project's gunicorn.conf.py and the benchmark's production settings."""

    def __init__(self, url, workers, bare_file, extra_env=None):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = open(TMP / f"bench-gunicorn-{os.getpid()}.log", "w")  # noqa: SIM115
        env = base_env(
            url,
            DJANGO_SETTINGS_MODULE="bench.settings",
            GUNICORN_BIND=f"127.0.0.1:{self.port}",
            GUNICORN_WORKERS=str(workers),
            GUNICORN_ACCESS_LOG=str(TMP / f"bench-access-{os.getpid()}.log"),
            BENCH_BARE_HTML=str(bare_file),
            **(extra_env or {}),
        )
        gunicorn = str(Path(PYTHON).with_name("gunicorn"))
        self.process = subprocess.Popen(
            [gunicorn, "config.wsgi", "-c", "gunicorn.conf.py", "--max-requests", "0"],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.time() + 60
        while True:
            try:
                self.get("/healthz", expect_any=True)
                break
            except OSError:
                if self.process.poll() is not None or time.time() > deadline:
                    raise SystemExit(f"gunicorn did not start: see {self.log.name}") from None
                time.sleep(0.3)

    def get(self, path, cookie="", expect_any=False):
        request = urllib.request.Request(self.base + path, headers={"Cookie": cookie} if cookie else {})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (loopback)
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            if expect_any:
                return error.code, error.read()
            return error.code, b""

    def drain(self, workers):
        """Wait until the requests wrk left behind (still queued when its run ended) are served: each line
        starts on idle workers."""
        for _ in range(workers):
            request = urllib.request.Request(self.base + "/bench/bare/")
            with urllib.request.urlopen(request, timeout=600):  # noqa: S310 (loopback)
                pass

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()
        Path(TMP / f"bench-access-{os.getpid()}.log").unlink(missing_ok=True)


def wrk(base, path, cookie, args, drain=None):
    script = TMP / f"bench-wrk-{os.getpid()}.lua"
    script.write_text(WRK_SCRIPT)
    duration = args.duration
    while True:
        # wrk's own time-out (2 s) would drop the slow pages' answers: they are timed, however long they take.
        command = ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{duration}s", "--timeout", "60s"]
        command += ["-s", str(script)] + (["-H", f"Cookie: {cookie}"] if cookie else [])
        output = subprocess.run([*command, base + path], capture_output=True, text=True, check=True).stdout
        match = re.search(r"BENCH p50=(\d+) p95=(\d+) requests=(\d+) duration=(\d+) status=(\d+) socket=(\d+)", output)
        if not match:
            raise SystemExit(f"wrk said:\n{output}")
        p50, p95, requests, duration_us, status_errors, socket_errors = map(int, match.groups())
        # Too few answers for a p95: once more, five times longer (a page of a second or more, at the scaled size).
        if requests >= 2 * args.connections or duration > args.duration:
            break
        duration = 5 * args.duration
        if drain is not None:  # what the short run left queued must not fall on the long one
            drain()
    duration = duration_us
    return {
        "p50": p50 / 1000,
        "p95": p95 / 1000,
        "rps": requests / (duration / 1e6),
        "errors": status_errors + socket_errors,
    }


def measure_size(url, args, label):
    """Probe, serve, drive every page and viewer; returns the rows of this size."""
    say(f"{label}: probing (query counts, sessions)")
    probed = run_probe(url)
    bare_file = TMP / f"bench-bare-{os.getpid()}.html"
    bare_file.write_bytes(b"")
    server = Server(url, args.workers, bare_file)
    try:
        status, home = server.get("/")
        assert status == 200, status
        bare_file.write_bytes(home)  # before any request to /bench/bare/, which reads it once per worker
        addresses = [("bare Django view", "/bench/bare/", "visitor")]
        addresses += [(page, path, viewer) for page, path in probed["pages"] for viewer in VIEWERS]
        for _page, path, viewer in addresses:  # every worker imports, compiles and caches before the clock
            for _ in range(3 * args.workers):
                server.get(path, probed["cookies"][viewer])
        say(f"{label}: serving on {server.base}, {len(addresses)} lines of {args.duration} s")
        # The bare view before each kind of page and once after the last: a page's ratio is against the two runs
        # around its block, so that a machine whose load drifts (shared CPUs) skews the ratios less.
        bare, rows = [], {}
        for page, path in probed["pages"]:
            server.drain(args.workers)
            bare.append(wrk(server.base, "/bench/bare/", "", args))
            for viewer in VIEWERS:
                server.drain(args.workers)
                row = wrk(server.base, path, probed["cookies"][viewer], args, lambda: server.drain(args.workers))
                row.update(probed["queries"][f"{page}|{viewer}"], path=path, block=len(bare) - 1)
                rows[(page, viewer)] = row
                say(f"  {page} / {viewer}: {row['rps']:.0f} req/s, p50 {row['p50']:.1f} ms, {row['queries']} queries")
        server.drain(args.workers)
        bare.append(wrk(server.base, "/bench/bare/", "", args))
    finally:
        server.stop()
        bare_file.unlink(missing_ok=True)
    for row in rows.values():
        around = (bare[row["block"]]["rps"] + bare[row["block"] + 1]["rps"]) / 2
        row["ratio"] = row["rps"] / around
    rows[("bare Django view", "visitor")] = {
        "p50": statistics.median(b["p50"] for b in bare),
        "p95": statistics.median(b["p95"] for b in bare),
        "rps": statistics.median(b["rps"] for b in bare),
        "errors": sum(b["errors"] for b in bare),
        "ratio": 1.0,
        "queries": 0,
        "status": 200,
        "path": "/bench/bare/",
        "runs": [round(b["rps"]) for b in bare],
    }
    return {"rows": rows, "totals": probed["totals"], "pages": probed["pages"]}


# ---------------------------------------------------------------------------------------------
# The table
# ---------------------------------------------------------------------------------------------


def table(engine, results, args):
    sizes = list(results)
    head = ["page", "viewer"]
    for size in sizes:
        head += [f"{size}: status", "alone ms", "p50 ms", "p95 ms", "req/s", "× bare", "SQL"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    keys = [("bare Django view", "visitor")] + [(p, v) for p, _u in results[sizes[0]]["pages"] for v in VIEWERS]
    errors = 0
    for key in keys:
        cells = [key[0], key[1]]
        for size in sizes:
            row = results[size]["rows"].get(key)
            if row is None:
                cells += ["–"] * 7
                continue
            errors += row["errors"] if row["status"] < 400 else 0
            cells += [
                str(row["status"]),
                f"{row['alone']:.0f}" if "alone" in row else "–",
                f"{row['p50']:.1f}",
                f"{row['p95']:.1f}",
                f"{row['rps']:.1f}" if row["rps"] < 10 else f"{row['rps']:.0f}",
                f"{row['ratio']:.3f}" if row["ratio"] >= 0.01 else f"{row['ratio']:.4f}",
                str(row["queries"]),
            ]
        lines.append("| " + " | ".join(cells) + " |")
    out = [
        f"# Cercle's pages under gunicorn, {engine}, {datetime.date.today().isoformat()}",
        "",
        f"- machine: {machine()}",
        f"- commit: {commit()}",
        f"- server: gunicorn, {args.workers} workers (gunicorn.conf.py, `--max-requests 0`), production profile "
        "(bench/settings.py), " + ("Redis cache" if os.environ.get("REDIS_URL") else "local-memory cache"),
        f"- load: wrk, {args.duration} s a line ({5 * args.duration} s when the first run had fewer than "
        f"{2 * args.connections} answers), {args.connections} connections, {args.threads} threads, "
        "loopback; the bare view runs before each kind of page and after the last: its row gives the medians, "
        "and a page's `× bare` is its req/s over the mean of the two bare runs around its block",
    ]
    for size in sizes:
        bare = results[size]["rows"][("bare Django view", "visitor")]
        out.append(f"- {size}: {results[size]['totals']} (bare view runs: {bare['runs']} req/s)")
    out.append(
        "- SQL and `alone ms`: the queries and the time of one warm request alone, in-process with the test client on "
        "the same database (no queueing); p50/p95 are wrk's, with its connections queueing for the workers"
    )
    out.append("- status: what the viewer gets (a 302 or 403 is the policy refusing; wrk times it all the same)")
    out += [""] + lines + [""]
    out.append(f"Socket errors or 4xx/5xx on pages answering 2xx/3xx: {errors}.")
    out.append("")
    for size in sizes:
        out.append(f"Addresses ({size}): " + ", ".join(f"{page} `{url}`" for page, url in results[size]["pages"]))
        out.append("")
    return "\n".join(out)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--probe", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--sizes", default="demo,scaled")
    parser.add_argument("--small", action="store_true", help="scaled = a tenth of the 10x club")
    parser.add_argument("--factor", type=float, default=None, help="scaled = this fraction of the 10x club")
    parser.add_argument("--duration", type=int, default=3)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--keep", action="store_true", help="keep the databases (their URLs are printed)")
    parser.add_argument("--results", default=str(ROOT / "bench" / "results"), help="where the tables go")
    args = parser.parse_args()
    if args.probe:
        return probe()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install -y wrk (make bench does it)")
    factor = args.factor or (0.1 if args.small else 1.0)
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    began = time.perf_counter()
    say("collectstatic (production storage) into " + str(TMP / "bench-static"))
    collectstatic()
    written = []
    for engine in [e.strip() for e in args.engines.split(",") if e.strip()]:
        url = fresh_database(engine, PG_NAME if engine == "postgresql" else "bench-pages")
        try:
            say(f"{engine}: migrate and load the demo")
            load_demo(url)
            results = {}
            if "demo" in sizes:
                results["demo"] = measure_size(url, args, f"{engine} demo")
            if "scaled" in sizes:
                say(f"{engine}: growing to {factor:g} of the 10x club")
                took = grow(url, factor)
                say(f"{engine}: grown in {took:.0f} s")
                results["scaled"] = measure_size(url, args, f"{engine} scaled")
            report = table(engine, results, args)
            print(report)
            path = Path(args.results) / f"pages-{engine}-{datetime.date.today().isoformat()}.md"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(report + "\n")
            written.append(path)
        finally:
            if args.keep:
                say(f"kept: DATABASE_URL={url}")
            else:
                drop_database(engine, url)
    say(f"written: {', '.join(map(str, written))}; whole run {time.perf_counter() - began:.0f} s")


if __name__ == "__main__":
    main()
