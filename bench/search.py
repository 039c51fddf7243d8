"""How fast does the club's search answer? Run: `.venv/bin/python bench/search.py` (or `make bench-search`).

    bench/search.py [--engines sqlite,postgres] [--sizes 20000,100000] [--repeats 30]
                    [--wagtail-sample 5000] [--cap 10] [--keep]

For each engine and size, in a throw-away database (a SQLite file in /tmp; a PostgreSQL database on
127.0.0.1:5432, user postgres, created and dropped here) migrated from scratch, loads that many search
documents of French IT prose made by a seeded generator (titles, teasers, bodies of a few hundred words;
public, members, premium and group audiences over 200 groups; kinds, sections, topics, clusters; dates
over five years), written straight as `SearchDocument` rows in batches (the FTS5 triggers or the
tsvector trigger index them as they go). Then times `database_engine().search(SearchRequest(...))` the
way the results page calls it (ranked, French interface, people left to their own block) for a rare
and a common word, for a basic member in three of the groups (the policy inside the query) and for staff
(no policy condition at all: the baseline), with the facet counts of a full results page and without
them. Each line: p50 and p95 over `--repeats` runs after a warm-up, and the ratio to the staff line.

Wagtail's database search backend is timed on the same documents (the first `--wagtail-sample` of them,
indexed through a proxy model with the same three text fields, at the smallest size only; Cercle is timed
on that subset too, before the rest is loaded), a page of 20 ranked hits and their count. Every line
stops repeating after `--cap` seconds, and a query running longer than that is interrupted (said so in
the table), so that a slow engine still gives a complete table. DESIGN.md's target: p95 under 100 ms at 100,000
documents on SQLite for a common word, ranked and filtered.

Each engine and size runs in a process of its own (Django reads DATABASE_URL once); the parent prints
one table.
"""

import argparse
import datetime
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = 20261202
RARE, COMMON = "homomorphe", "sécurité"
PG = "postgres://postgres@127.0.0.1:5432/{name}"

# ---------------------------------------------------------------------------------------------
# The club's prose: a seeded generator of French IT text
# ---------------------------------------------------------------------------------------------

MASCULINE = """serveur réseau système logiciel projet cloud centre incident risque audit contrôle annuaire
pare-feu protocole chiffrement certificat déploiement conteneur cluster stockage processeur navigateur
client fournisseur contrat budget marché comité groupe atelier retour partage standard référentiel outil
modèle algorithme langage code test développement correctif journal tableau indicateur service support
domaine compte accès mot identifiant jeton secret sauvegarde plan reprise site poste terminal mobile
datacenter hébergement prestataire cahier livrable calendrier jalon sprint backlog pipeline dépôt
environnement moteur index cache noyau pilote firmware microservice module composant paquet éditeur
règlement décret cadre label périmètre écosystème usage besoin enjeu levier gain coût délai volume flux
trafic débit port routeur commutateur tunnel VPN proxy annuaire registre schéma entrepôt lac""".split()
FEMININE = """donnée sécurité application infrastructure conformité gouvernance architecture plateforme
base requête interface migration sauvegarde politique stratégie directive norme certification vulnérabilité
menace attaque faille analyse supervision observabilité automatisation intégration orchestration
virtualisation sobriété performance disponibilité résilience continuité authentification autorisation
identité clé signature messagerie collaboration équipe direction entreprise organisation administration
collectivité université startup communauté veille innovation transformation numérisation dématérialisation
souveraineté réglementation obligation exigence recommandation bonne pratique méthode démarche feuille
route formation compétence documentation spécification version mise production livraison recette
qualité dette maintenance exploitation configuration ressource capacité licence souscription offre
solution alternative option approche intelligence IA inférence donnée sonde alerte règle console""".split()
ADJECTIVES = """numérique sécurisé critique ouvert libre souverain hybride public privé distribué
open-source interne externe européen national local temps-réel automatisé manuel robuste scalable
résilient sensible personnel confidentiel stratégique opérationnel technique fonctionnel applicatif
nouveau ancien récent majeur mineur complexe simple efficace coûteux durable responsable partagé commun
unique multiple global régional cloud-natif conteneurisé managé mutualisé dédié virtuel physique
logiciel matériel réseau mobile prioritaire réglementaire juridique financier humain organisationnel""".split()
VERBS = """améliore renforce sécurise accélère simplifie automatise remplace modernise protège expose
menace héberge chiffre supervise documente migre déploie teste valide audite certifie mutualise partage
réduit augmente optimise centralise décentralise intègre orchestre analyse détecte corrige publie
recommande impose encadre finance pilote accompagne structure transforme numérise""".split()
PREPOSITIONS = "dans pour avec sans sur sous par entre vers selon malgré avant après chez".split()
CONNECTORS = ["Par ailleurs,", "En outre,", "Cependant,", "Ainsi,", "De plus,", "En pratique,", "Enfin,",
              "Selon le comité,", "Pour les membres,", "Dans ce contexte,", "À terme,", "Concrètement,"]
PROPER = """Kubernetes PostgreSQL Linux Debian Python Django Wagtail OpenStack Ansible Terraform Proxmox
Nextcloud Matrix GitLab Keycloak Grafana Prometheus Elasticsearch Redis RGPD NIS2 DORA ANSSI CNIL SecNumCloud
ISO27001 Gaia-X Mistral OVHcloud Scaleway""".split()
TOPICS = [(t.lower().replace(" ", "-"), t) for t in """Cybersécurité;Cloud souverain;Intelligence artificielle;
Données personnelles;Open source;Numérique responsable;Réseaux;Identité numérique;Développement;DevOps;
Bases de données;Observabilité;Conformité;Achats publics;Télétravail;Messagerie;Postes de travail;Mobilité;
Green IT;Architecture;Gouvernance;Formation;Recrutement;Juridique;Souveraineté;Éthique;Accessibilité;
Sauvegarde;Continuité;Stockage;Virtualisation;Conteneurs;Automatisation;Low-code;Blockchain;Quantique;
Objets connectés;Industrie 4.0;Santé numérique;Éducation""".replace("\n", "").split(";")]
CLUSTERS = [(str(900 + n), name) for n, name in enumerate(
    ["Sécurité", "Cloud", "Données & IA", "Logiciel libre", "Infrastructures", "Usages", "Achats", "RH & compétences"])]
GROUPS = 200

# Kinds the club's apps register, with their section and share of the documents.
KINDS = [("watch_article", "watch", 34), ("page", "club", 14), ("knowledge_page", "knowledge", 12),
         ("document", "documents", 14), ("minutes", "groups", 10), ("event", "agenda", 6),
         ("group", "groups", 1), ("faq", "knowledge", 4), ("person", "people", 5)]
# (know, read, share): who may know a thing exists and who may read it.
AUDIENCES = [("public", "public", 34), ("public", "members", 20), ("members", "members", 17),
             ("public", "premium", 6), ("members", "premium", 9), ("premium", "premium", 4),
             ("members", "group", 3), ("group", "group", 6.5), ("staff", "staff", 0.5)]
FIVE_YEARS = 5 * 365 * 86400


def _zipf(words, s=1.0):
    weights, total = [], 0.0
    for rank in range(1, len(words) + 1):
        total += 1.0 / rank**s
        weights.append(total)
    return words, weights


class Prose:
    """French-looking IT sentences with Zipf-distributed words: a few words are everywhere, most are rare."""

    def __init__(self):
        shuffle = random.Random(SEED)
        nouns = [("m", w) for w in MASCULINE] + [("f", w) for w in FEMININE]
        shuffle.shuffle(nouns)
        # The common word of the benchmark sits at a middling rank (in about half of the documents).
        nouns.remove(("f", "sécurité"))
        nouns.insert(14, ("f", "sécurité"))
        self.nouns = _zipf(nouns)
        self.adjectives = _zipf(shuffle.sample(ADJECTIVES, len(ADJECTIVES)))
        self.verbs = _zipf(shuffle.sample(VERBS, len(VERBS)))
        self.proper = _zipf(shuffle.sample(PROPER, len(PROPER)), s=0.8)
        self.pool = [self._sentence(shuffle) for _ in range(40_000)]
        self.words_a_sentence = sum(s.count(" ") + 1 for s in self.pool) / len(self.pool)

    def _pick(self, rng, table, k):
        words, weights = table
        return rng.choices(words, cum_weights=weights, k=k)

    def _noun_phrase(self, rng, gender, noun, adjective):
        plural = rng.random() < 0.3
        if plural:
            det = rng.choice(["les", "des", "ces", "nos"])
            noun = noun if noun[-1] in "sxz" or not noun.isalpha() or noun.isupper() else noun + "s"
        elif noun[0] in "aeiouéèêâîôûhAEIOUÉ":
            det = rng.choice(["l'", "cet" if gender == "m" else "cette", "son", "notre"])
        else:
            det = rng.choice(["le", "un", "ce", "notre"] if gender == "m" else ["la", "une", "cette", "notre"])
        text = det + ("" if det.endswith("'") else " ") + noun
        if adjective:
            text += " " + adjective + ("s" if plural and adjective[-1] not in "sx" else "")
        return text

    def _sentence(self, rng):
        (gender, noun), (gender2, noun2) = self._pick(rng, self.nouns, 2)
        adjective, adjective2 = self._pick(rng, self.adjectives, 2)
        subject = self._noun_phrase(rng, gender, noun, adjective if rng.random() < 0.5 else "")
        obj = self._noun_phrase(rng, gender2, noun2, adjective2 if rng.random() < 0.6 else "")
        sentence = f"{subject} {self._pick(rng, self.verbs, 1)[0]} {obj}"
        if rng.random() < 0.4:
            sentence += f" {rng.choice(PREPOSITIONS)} {self._pick(rng, self.proper, 1)[0]}"
        if rng.random() < 0.15:
            sentence = f"{rng.choice(CONNECTORS)} {sentence}"
        return sentence[0].upper() + sentence[1:] + "."

    def sentences(self, rng, words):
        """About `words` words of prose: sentences drawn from a pool made once (making each anew for
        100,000 documents would take minutes of pure Python)."""
        return " ".join(rng.choices(self.pool, k=max(1, round(words / self.words_a_sentence))))

    def title(self, rng):
        (gender, noun), adjective = self._pick(rng, self.nouns, 1)[0], self._pick(rng, self.adjectives, 1)[0]
        head = self._noun_phrase(rng, gender, noun, adjective)
        tail = self._noun_phrase(rng, *self._pick(rng, self.nouns, 1)[0], "")
        title = f"{head} {rng.choice(PREPOSITIONS)} {tail}"
        if rng.random() < 0.3:
            title = f"{self._pick(rng, self.proper, 1)[0]} : {title}"
        return title[0].upper() + title[1:]


def _weighted(rng, table):
    return rng.choices(table, weights=[row[-1] for row in table], k=1)[0]


def document(prose, i, now, group_ids):
    """The i-th document (the same for every size and engine), as (fields, facets)."""
    rng = random.Random(SEED * 1_000_003 + i)
    kind_row = _weighted(rng, KINDS)
    kind, section, _share = kind_row
    know, read, _share = _weighted(rng, AUDIENCES)
    title = prose.title(rng)
    group_id = None
    facets = []
    if read == "group" or kind in ("minutes", "group") or (kind == "document" and rng.random() < 0.4):
        group_id = group_ids[min(int(rng.paretovariate(1.2)) - 1, GROUPS - 1) % GROUPS]
        facets.append(("group", str(group_id), f"Groupe {group_id}"))
        if know == "public" and read == "public":
            know, read = "members", "group"
    teaser = prose.sentences(rng, rng.randint(20, 45))
    body = "" if kind == "person" else prose.sentences(rng, rng.randint(150, 450))
    if kind == "watch_article":
        for value, label in rng.sample(TOPICS, rng.randint(1, 3)):
            facets.append(("topic", value, label))
            teaser += f" {label}."
        for value, label in rng.sample(CLUSTERS, rng.choice([0, 1, 1, 2])):
            facets.append(("cluster", value, label))
    if rng.random() < 0.001:  # the rare word: about 100 documents in 100,000
        body = body + " Le chiffrement homomorphe reste expérimental."
    language = "" if kind in ("person", "document") else ("en" if rng.random() < 0.08 else "fr")
    is_page = kind not in ("person", "document")
    fields = dict(
        id=10_000_000 + i,
        key=f"bench-{kind}:{i}",
        kind=kind,
        object_id=i,
        url=f"/{section}/{i}/",
        title=title,
        teaser=teaser,
        body=body,
        section=section,
        language=language,
        translation_key=f"tk{i // 2}" if is_page else "",
        know=know,
        read=read,
        group_id=group_id,
        page_path=f"00010001{KINDS.index(kind_row):04d}{i:012d}" if is_page else "",
        collection_path=f"00010002{group_id or 0:08d}" if kind == "document" else "",
        date=now - datetime.timedelta(seconds=rng.randrange(FIVE_YEARS)),
    )
    return fields, facets


# ---------------------------------------------------------------------------------------------
# One engine at one size, in a process of its own
# ---------------------------------------------------------------------------------------------


def percentile(samples, q):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


def say(row):
    if row["timeout"]:
        timing = f"interrupted after {row['p50']:.0f} s"
    else:
        timing = f"p50 {row['p50'] * 1000:.1f} ms p95 {row['p95'] * 1000:.1f} ms n={row['n']}"
    print(f"  {row['system']} {row['size']} {row['word']} {row['viewer']} facets={row['facets']}: {timing} "
          f"({row['matches']} matches)", file=sys.stderr, flush=True)


class Deadline:
    """Interrupts the database's work on a query that runs past `seconds` (an engine may be quadratic)."""

    def __init__(self, seconds):
        from django.db import connection

        self.seconds, self.connection = seconds, connection

    def __enter__(self):
        self.connection.ensure_connection()
        if self.connection.vendor == "sqlite":
            end = time.perf_counter() + self.seconds
            self.connection.connection.set_progress_handler(lambda: int(time.perf_counter() > end), 10_000)
        else:
            with self.connection.cursor() as cursor:
                cursor.execute("SET statement_timeout = %s", [int(self.seconds * 1000)])
        return self

    def __exit__(self, *exc):
        if self.connection.vendor == "sqlite":
            self.connection.connection.set_progress_handler(None, 0)
        else:
            with self.connection.cursor() as cursor:
                cursor.execute("SET statement_timeout = 0")


def timed(call, options):
    """p50/p95 of `call` over the repetitions after a warm-up; the repetitions stop after `cap` seconds
    (capped), and a call the database works on for longer than `cap` is interrupted (timeout)."""
    from django.db import DatabaseError

    cap = options["cap"]
    samples, began_line = [], time.perf_counter()
    result = None
    for n in range(options["repeats"] + 3):
        with Deadline(cap):
            began = time.perf_counter()
            try:
                result = call()
            except DatabaseError:
                return {"timeout": True, "n": 0, "p50": time.perf_counter() - began, "p95": None, "capped": False}
            elapsed = time.perf_counter() - began
        if n >= 3:  # after three warm-up runs
            samples.append(elapsed)
        if samples and time.perf_counter() - began_line > cap:
            break
    return {"timeout": False, "n": len(samples), "p50": statistics.median(samples), "p95": percentile(samples, 0.95),
            "capped": len(samples) < options["repeats"], "result": result}


def child(engine_name, size, options):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("AXES_ENABLED", "false")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    started = time.perf_counter()
    if not size:
        call_command("migrate", verbosity=0, interactive=False)
    report = {"engine": engine_name, "size": size, "migrate_s": time.perf_counter() - started, "rows": []}
    if not size:  # the template every size copies
        connection.close()  # SQLite: folds the write-ahead log into the file before it is copied
        print(json.dumps(report))
        return

    from members.access import Viewer
    from tests.factories.home import make_site
    from tests.factories.members import make_member, make_staff
    from tests.factories.working_groups import WorkingGroupIndexPageFactory, make_group

    # A basic member in three working groups, and staff (whose policy condition is empty).
    home = make_site()
    index = WorkingGroupIndexPageFactory(parent=home)
    member = make_member("basic", username="bench-basic")
    own_groups = [make_group(index, title=f"Groupe banc {n}", members=[member]).pk for n in range(3)]
    group_ids = own_groups + [100_000 + n for n in range(GROUPS - len(own_groups))]
    random.Random(SEED).shuffle(group_ids)
    viewers = {"basic member": Viewer(member), "staff": Viewer(make_staff(username="bench-staff"))}
    for viewer in viewers.values():  # the request builds its viewer once; time the search alone
        assert viewer.is_member and viewer.audiences and viewer.edited_paths == viewer.edited_collection_paths == ()
    assert viewers["staff"].is_staff and viewers["basic member"].group_ids == frozenset(own_groups)

    from search.engines import database_engine
    from search.engines.base import SearchRequest
    from search.models import SearchDocument, SearchFacet
    from search.query import parse

    prose, now = Prose(), timezone.now()

    def load(start, stop):
        began = time.perf_counter()
        batch = 2000
        for first in range(start, stop, batch):
            with transaction.atomic():
                docs, facets = [], []
                for i in range(first, min(first + batch, stop)):
                    fields, facet_rows = document(prose, i, now, group_ids)
                    docs.append(SearchDocument(**fields))
                    facets += [SearchFacet(document_id=fields["id"], facet=f, value=v, label=lab)
                               for f, v, lab in facet_rows]
                SearchDocument.objects.bulk_create(docs)
                SearchFacet.objects.bulk_create(facets)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        return time.perf_counter() - began

    engine = database_engine()

    def request(word, viewer, facets):
        return SearchRequest(query=parse(word), viewer=viewer, language="fr", exclude_kinds=("person",),
                             with_facets=facets)

    def cercle_rows(at_size):
        rows = []
        for word, label in ((COMMON, "common"), (RARE, "rare")):
            for facets in (True, False):
                for who, viewer in viewers.items():
                    line = timed(lambda: engine.search(request(word, viewer, facets)), options)  # noqa: B023
                    total = line.pop("result").total if "result" in line else None
                    rows.append(dict(line, system=f"cercle/{engine.name}", size=at_size, word=f"{label} ({word})",
                                     viewer=who, facets=facets, matches=total))
                    say(rows[-1])
        return rows

    sample = options["wagtail_sample"] if options["wagtail"] else 0
    if sample and sample < size:
        report["load_s"] = load(0, sample)
        report["rows"] += cercle_rows(sample)
        report["rows"] += guarded_wagtail_rows(sample, viewers, options, report)
        report["load_s"] += load(sample, size)
    else:
        report["load_s"] = load(0, size)
        if sample:
            report["rows"] += guarded_wagtail_rows(size, viewers, options, report)
    report["rows"] += cercle_rows(size)
    print(json.dumps(report))


def guarded_wagtail_rows(at_size, viewers, options, report):
    """Wagtail's lines, or none and a note when its backend fails here: Cercle's lines still count."""
    import traceback

    try:
        return wagtail_rows(at_size, viewers, options)
    except Exception as error:  # noqa: BLE001 - any failure of Wagtail's backend is reported, not fatal
        traceback.print_exc()
        report.setdefault("notes", []).append(f"wagtail on {report['engine']}: failed ({error!r})")
        return []


def wagtail_rows(at_size, viewers, options):
    """Wagtail's database backend on the same documents: a proxy with the same text fields and audiences."""
    from django.db import connection
    from wagtail.search import index

    from members.access import audience_q
    from search.models import SearchDocument

    class WagtailSearchDocument(index.Indexed, SearchDocument):
        search_fields = [
            index.SearchField("title", boost=10),
            index.SearchField("teaser", boost=3),
            index.SearchField("body"),
            index.FilterField("know"),
            index.FilterField("group_id"),
            index.FilterField("kind"),
        ]

        class Meta:
            proxy = True
            app_label = "cercle_search"

    # Wagtail gives its indexed models this relation when the apps are ready; the proxy comes later.
    from modelsearch.abstract_models import TextIDGenericRelation
    from modelsearch.conf import get_app_config

    IndexEntry = get_app_config().get_model("IndexEntry")  # wagtail.search's, not modelsearch's own app
    TextIDGenericRelation(IndexEntry).contribute_to_class(WagtailSearchDocument, "index_entries")

    from wagtail.search.backends import get_search_backend

    backend = get_search_backend()
    began = time.perf_counter()
    queryset = WagtailSearchDocument.objects.order_by("pk")
    for first in range(0, at_size, 2000):
        backend.add_bulk(WagtailSearchDocument, list(queryset[first:min(first + 2000, at_size)]))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    indexed = time.perf_counter() - began
    rows = []
    for word, label in ((COMMON, "common"), (RARE, "rare")):
        for who, viewer in viewers.items():
            # Wagtail filters on the `know` audience only (it has no notion of a body only readers match).
            scope = WagtailSearchDocument.objects.exclude(kind="person").filter(audience_q(viewer, "know"))

            def once(word=word, scope=scope):
                results = backend.search(word, scope, order_by_relevance=True)
                page = list(results[:20])
                return results.count(), page

            line = timed(once, options)
            total = line.pop("result")[0] if "result" in line else None
            rows.append(dict(line, system=f"wagtail/{connection.vendor}", size=at_size, word=f"{label} ({word})",
                             viewer=who, facets=False, matches=total, indexed_s=indexed))
            say(rows[-1])
    return rows


# ---------------------------------------------------------------------------------------------
# The parent: throw-away databases, one child each, one table
# ---------------------------------------------------------------------------------------------


def _admin(sql):
    import psycopg

    with psycopg.connect(PG.format(name="postgres"), autocommit=True) as admin:
        admin.execute(sql)


def _database(engine, name, template=None):
    """A throw-away database (a copy of the migrated template when given): its DATABASE_URL."""
    if engine == "sqlite":
        path = Path(tempfile.gettempdir()) / f"{name}.sqlite3"
        if template:
            shutil.copyfile(template.removeprefix("sqlite:///"), path)
        return f"sqlite:///{path}"
    _admin(f"DROP DATABASE IF EXISTS {name}")
    _admin(f"CREATE DATABASE {name}" + (f" TEMPLATE {template.rsplit('/', 1)[1]}" if template else ""))
    return PG.format(name=name)


def _drop(url):
    if url.startswith("sqlite:///"):
        for suffix in ("", "-wal", "-shm"):
            Path(url.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)
    else:
        _admin(f"DROP DATABASE IF EXISTS {url.rsplit('/', 1)[1]} WITH (FORCE)")


def run_child(url, engine, size, options):
    env = dict(os.environ, AXES_ENABLED="false", DJANGO_SETTINGS_MODULE="config.settings", DATABASE_URL=url)
    env.pop("ELASTICSEARCH_URL", None)  # the database's own engine, and Wagtail's database backend
    args = [sys.executable, __file__, "--child", engine, str(size), json.dumps(options)]
    out = subprocess.run(args, env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def run_engine(engine, sizes, options):
    """Migrate once (a template), then one copy of it per size."""
    prefix = f"cercle_bench_search_{os.getpid()}"
    template = _database(engine, f"{prefix}_template")
    reports = []
    try:
        migrated = run_child(template, engine, 0, options)
        for n, size in enumerate(sizes):
            print(f"{engine}, {size} documents…", file=sys.stderr, flush=True)
            url = _database(engine, f"{prefix}_{size}", template)
            try:
                report = run_child(url, engine, size, dict(options, wagtail=n == 0))
            finally:
                if options["keep"]:
                    print(f"kept: DATABASE_URL={url}", file=sys.stderr, flush=True)
                else:
                    _drop(url)
            report["migrate_s"] = migrated["migrate_s"]
            reports.append(report)
    finally:
        _drop(template)
    return reports


def _ms(seconds):
    return f"{seconds * 1000:.1f}" if seconds is not None else "-"


def table(reports, notes):
    rows = [row for report in reports for row in report["rows"]]
    baselines = {(r["system"], r["size"], r["word"], r["facets"]): r for r in rows if r["viewer"] == "staff"}
    cercle = {(r["system"].split("/")[1], r["size"], r["word"], r["viewer"]): r
              for r in rows if r["system"].startswith("cercle") and not r["facets"]}
    vendor = {"sqlite": "sqlite", "postgresql": "postgres"}
    header = f"{'engine':<17}{'docs':>7}  {'word':<20}{'viewer':<14}{'facets':<7}{'matches':>8}{'n':>4}" \
             f"{'p50 ms':>10}{'p95 ms':>10}  ratio"
    lines = [header, "-" * (len(header) + 20)]
    for r in rows:
        if r["timeout"]:
            ratio = f"interrupted: one query ran over {r['p50']:.0f} s"
        elif r["system"].startswith("cercle"):
            base = baselines[(r["system"], r["size"], r["word"], r["facets"])]
            if r["viewer"] == "staff":
                ratio = "baseline"
            else:
                ratio = f"{r['p50'] / base['p50']:.2f} vs staff" if not base["timeout"] else ""
        else:
            mine = cercle.get((vendor[r["system"].split("/")[1]], r["size"], r["word"], r["viewer"]))
            ratio = f"cercle/wagtail {mine['p50'] / r['p50']:.2f}" if mine and not mine["timeout"] else ""
        if r.get("capped"):
            ratio += " (capped)"
        p50 = _ms(r["p50"]) if not r["timeout"] else f">{r['p50'] * 1000:.0f}"
        lines.append(f"{r['system']:<17}{r['size']:>7}  {r['word']:<20}{r['viewer']:<14}"
                     f"{'yes' if r['facets'] else 'no':<7}{r['matches'] if r['matches'] is not None else '-':>8}"
                     f"{r['n']:>4}{p50:>10}{_ms(r['p95']):>10}  {ratio}")
    lines.append("")
    for report in reports:
        lines += report.get("notes", [])
        lines.append(f"{report['engine']} {report['size']}: migrate {report['migrate_s']:.0f} s (once), "
                     f"load {report['load_s']:.0f} s ({report['size'] / report['load_s']:.0f} documents/s)")
        for r in report["rows"]:
            if r["system"].startswith("wagtail"):
                lines.append(f"{r['system']}: indexed {r['size']} documents in {r['indexed_s']:.0f} s")
                break
    for r in rows:
        if r["system"] == "cercle/sqlite" and r["size"] == 100_000 and r["word"].startswith("common") and \
                r["viewer"] == "basic member":
            met = not r["timeout"] and r["p95"] < 0.1
            facets = "yes" if r["facets"] else "no"
            p95 = f"over {r['p50']:.0f} s (interrupted)" if r["timeout"] else f"{_ms(r['p95'])} ms"
            lines.append(f"Target (SQLite, 100,000, common word, ranked, filtered, facets {facets}): p95 {p95}, "
                         f"target under 100 ms: {'met' if met else 'MISSED'}")
    return "\n".join(lines + [""] + notes)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engines", default="sqlite,postgres")
    parser.add_argument("--sizes", default="20000,100000")
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--wagtail-sample", type=int, default=5000, help="documents Wagtail indexes (0: none)")
    parser.add_argument("--cap", type=float, default=10.0,
                        help="seconds: a line stops repeating after this, and one query running longer is interrupted")
    parser.add_argument("--keep", action="store_true", help="keep the loaded databases (for EXPLAIN); prints where")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        engine, size, options = args.child
        return child(engine, int(size), json.loads(options))
    sizes = sorted(int(s) for s in args.sizes.split(","))
    notes = [
        "p50/p95 over the repetitions after 3 warm-up runs; ratio: p50 against staff (no policy condition) "
        "on the same engine, size, word and facets.",
        f"Every line stops repeating after {args.cap:g} s (capped: fewer than {args.repeats} runs); a query the "
        f"database works on for over {args.cap:g} s is interrupted (SQLite progress handler, PostgreSQL "
        f"statement_timeout) and its line reads '>' that time.",
        "cercle: database_engine().search(SearchRequest(language='fr', exclude_kinds=('person',), 20 a page)), "
        "snippets included; facets=yes is the full results page (kind, section, cluster, topic, group, period).",
    ]
    if args.wagtail_sample:
        notes.append(
            f"wagtail: its database backend on the first {args.wagtail_sample} documents (indexed through a proxy "
            f"model: title, teaser, body), a page of 20 ranked hits plus the count, filtered on the know audience "
            f"only. cercle/wagtail: "
            f"Cercle's p50 without facets on the same documents over Wagtail's p50."
        )
    reports, load = [], os.getloadavg()[0]
    for engine in args.engines.split(","):
        if engine == "postgres" and not (ROOT / "search" / "engines" / "postgres.py").exists():
            notes.append("postgres: not run, search/engines/postgres.py does not exist yet.")
            continue
        options = {"repeats": args.repeats, "wagtail_sample": args.wagtail_sample, "cap": args.cap,
                   "keep": args.keep}
        print(f"{engine}: migrating a template database…", file=sys.stderr, flush=True)
        try:
            reports += run_engine(engine, sizes, options)
        except subprocess.CalledProcessError as error:  # an engine being written may fail: say so, go on
            notes.append(f"{engine}: failed ({error}); see the traceback above.")
    notes.append(f"Load average at the start {load:.1f}, at the end {os.getloadavg()[0]:.1f}, on {os.cpu_count()} "
                 f"cores: timings on a busy machine are slower than on an idle one.")
    print(table(reports, notes))


if __name__ == "__main__":
    main()
