"""The club at ten times its size, for every benchmark: `python bench/scale.py --database-url URL [--small]`.

Fills a database that is already migrated and loaded with the demo (`manage.py load_demo`) up to the club's
10x scale, or, as a library, `grow(factor_or_counts, seed)` on the database Django is set up with:

- 5,000 members (`scale0`, `scale1`, ...): user, profile, own membership (about 30 % premium, 10 % expired),
  the current charter signed, the role groups their membership gives ("Membres", "Membres premium"), all with
  the demo's password (`cercle-demo`, hashed once and shared, so that a benchmark may log any of them in);
  40 of them lead groups (their admin rights come from `working_groups.services.sync_lead_rights`).
- 200 working groups (60 % members, 30 % premium clusters, 10 % private), made one by one with
  `Page.add_child` so that their signals give each its document collection, discussion space and
  PageAudience; 5 to 40 members each (premium members only in clusters), one lead; 20 meeting notes each.
- Pages up to 20,000 in all: technology-watch articles under the watch index (premium, members, public,
  with topics and a cluster), knowledge articles in new categories, events over three years, business
  opportunities, standard pages under one "archives" page, and the notes above.
- 300 small PDF documents in the groups' collections; 1,000 discussion threads of 1 to 15 posts in the
  groups' and club-wide spaces, the spaces' and threads' counters brought in step.

Speed: the 4,000 notes and the ~16,000 other pages are inserted in bulk, without treebeard's `add_child`
(a page each, several queries and a lock): each parent's children get the next materialised paths, the
`wagtailcore_page` rows go in with `bulk_create`, the specific rows with Django's insert query, and the
parent's `numchild` is raised once. No revision is written (the pages are live, as published history) and no
signal runs, so what the signals would do is done here: each page's PageAudience row is computed by the access
policy's own `compute_page_audience` (from its parent's row) and inserted in bulk, and
`refresh_missing_audiences()` runs at the end as a safety net. Members, memberships, signatures, role groups,
group memberships, threads and posts are bulk-inserted too (no e-mail, no audit entry: they are history).

Not done, on purpose: the search documents (search/index.py) and Wagtail's search index are NOT built for the
bulk pages (building them costs more than everything else; a search benchmark builds its own), except for a
sample of 500 pages (`search_sample`) so that search results have more to rank than the demo. Anything an app
denormalises from page signals (counters, last activity) is not maintained for the bulk pages unless named
above. About 1 to 3 minutes on SQLite for the full size on this machine, more on PostgreSQL; `--small` is a
tenth of it (500 members, 20 groups, 2,000 pages).
"""

import argparse
import datetime
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# First, even when PYTHONPATH names it too: this folder's search.py must not shadow the search app.
sys.path.insert(0, str(ROOT))

PASSWORD = "cercle-demo"
SEED = 20261202
# The club at 10x. `notes_per_group` and the thread sizes are shapes, not sizes: a factor leaves them alone.
FULL = {
    "members": 5000,
    "leads": 40,
    "groups": 200,
    "notes_per_group": 20,
    "watch": 8000,
    "knowledge": 2500,
    "knowledge_categories": 12,
    "events": 2000,
    "opportunities": 1500,
    "standard": 1800,
    "documents": 300,
    "threads": 1000,
    "search_sample": 500,
}
SHAPES = {"notes_per_group"}
BATCH = 250

TOPICS = [
    "cloud",
    "cybersécurité",
    "IA générative",
    "NIS2",
    "RGPD",
    "souveraineté",
    "data centers",
    "5G",
    "open source",
    "FinOps",
    "Kubernetes",
    "ERP",
    "IoT",
    "quantique",
    "green IT",
    "identité numérique",
    "achats publics",
    "télétravail",
    "low-code",
    "observabilité",
    "rançongiciel",
    "edge computing",
    "blockchain",
    "SASE",
]
WORDS = (
    "le club la grappe les membres la stratégie numérique le budget la migration vers le cloud une feuille de "
    "route la gouvernance des données les prestataires la sécurité des systèmes la conformité un retour "
    "d'expérience le conseil d'administration les fournisseurs la réversibilité des contrats les coûts complets "
    "la formation des équipes l'intelligence artificielle la résilience des infrastructures l'hébergement"
).split()
FIRST = ["Anne", "Luc", "Marie", "Jan", "Sofie", "Karim", "Élise", "Thomas", "Nadia", "Pieter", "Chloé", "Yves"]
LAST = ["Dubois", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "Goossens", "Wouters", "Lambert", "Peeters"]
JOBS = ["DSI", "CTO", "CISO", "Responsable infrastructure", "Consultante", "CEO", "Architecte", "Business angel"]


STARTED = time.perf_counter()


def log(message):
    print(f"[scale {time.perf_counter() - STARTED:6.1f} s] {message}", file=sys.stderr, flush=True)


def counts_for(factor_or_counts):
    if isinstance(factor_or_counts, dict):
        return FULL | factor_or_counts
    factor = float(factor_or_counts)
    return {key: value if key in SHAPES else max(1, round(value * factor)) for key, value in FULL.items()}


def sentence(rng, words=12):
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def paragraph_html(rng, sentences=4):
    return "<p>" + " ".join(sentence(rng, rng.randint(8, 18)) for _ in range(sentences)) + "</p>"


def body_blocks(rng, paragraphs=3):
    return [{"type": "paragraph", "value": paragraph_html(rng)} for _ in range(paragraphs)]


def moment(days_ago):
    from django.utils import timezone

    return timezone.now() - datetime.timedelta(days=days_ago, minutes=random.randint(0, 1440))


# ---------------------------------------------------------------------------------------------
# Pages in bulk
# ---------------------------------------------------------------------------------------------


def bulk_children(parent, pages):
    """Insert `pages` (unsaved specific instances with title, slug and their fields) as the last live children
    of `parent`, with their PageAudience rows, in a few queries a batch. Returns them with their ids."""
    from django.db import connection, transaction
    from django.db.models import F
    from wagtail.models import Page

    from members.access import compute_page_audience, page_audience
    from members.models import PageAudience

    if not pages:
        return []
    parent = Page.objects.get(pk=parent.pk)
    parent_row = page_audience(parent)
    last = parent.get_last_child()
    step = Page._str2int(last.path[-Page.steplen :]) if last else 0
    base_fields = [f for f in Page._meta.local_concrete_fields if f.attname != "id"]
    model = type(pages[0])
    assert list(model._meta.parents) == [Page], f"{model.__name__}: one level of page inheritance expected"
    with transaction.atomic():
        for start in range(0, len(pages), BATCH):
            batch = pages[start : start + BATCH]
            for page in batch:
                step += 1
                page.path = Page._get_path(parent.path, parent.depth + 1, step)
                page.depth = parent.depth + 1
                page.numchild = 0
                page.url_path = f"{parent.url_path}{page.slug}/"
                page.locale_id = parent.locale_id
                page.live = True
                page.has_unpublished_changes = False
                page.draft_title = page.title
                page.first_published_at = page.first_published_at or moment(random.randint(1, 700))
                page.last_published_at = page.first_published_at
                if hasattr(page, "starts_at") and page.start_date:  # EventPage.save's UTC moments
                    page.starts_at = page.local_start().astimezone(datetime.UTC)
                    page.ends_at = page.local_end().astimezone(datetime.UTC)
            rows = Page.objects.bulk_create(
                [Page(**{f.attname: getattr(p, f.attname) for f in base_fields}) for p in batch]
            )
            for page, row in zip(batch, rows, strict=True):
                page.id = page.page_ptr_id = row.id
            model._base_manager._insert(batch, fields=model._meta.local_concrete_fields, using=connection.alias)
            audiences = []
            for page in batch:
                know, read, group_id = compute_page_audience(page, parent_audience=parent_row)
                audiences.append(PageAudience(page_id=page.pk, know=know, read=read, group_id=group_id))
            PageAudience.objects.bulk_create(audiences)
        Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + len(pages))
    return pages


def add_one(parent, page):
    """One page the normal way (its signals run): the few parents the bulk pages go under."""
    parent.add_child(instance=page)
    return page


# ---------------------------------------------------------------------------------------------
# People
# ---------------------------------------------------------------------------------------------


def grow_members(rng, how_many):
    """Members in bulk; returns {"valid": [...], "premium": [...], "expired": [...]} of user ids."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from members import roles
    from members.models import Charter, CharterSignature, Membership, Profile

    User = get_user_model()
    if User.objects.filter(username="scale0").exists():
        raise SystemExit("This database was grown already (user scale0 exists).")
    hashed = make_password(PASSWORD)  # one hash for all: a log-in still costs its PBKDF2 on the server
    today = timezone.localdate()
    now = timezone.now()
    users = [
        User(
            username=f"scale{n}",
            email=f"scale{n}@cercle.example",
            first_name=rng.choice(FIRST),
            last_name=f"{rng.choice(LAST)} {n}",
            password=hashed,
            date_joined=now - datetime.timedelta(days=rng.randint(1, 2000)),
        )
        for n in range(how_many)
    ]
    users = User.objects.bulk_create(users, batch_size=500)
    log(f"{len(users)} users")
    Profile.objects.bulk_create(
        [
            Profile(
                user=user,
                job_title=rng.choice(JOBS),
                bio=sentence(rng, 20),
                languages=rng.sample(["fr", "nl", "en", "de"], rng.randint(1, 3)),
                show_job_title=True,
                show_bio=rng.random() < 0.6,
                show_expertise=True,
                show_email=rng.random() < 0.3,
            )
            for user in users
        ],
        batch_size=500,
    )
    kinds = {"valid": [], "premium": [], "expired": []}
    memberships = []
    for user in users:
        roll = rng.random()
        tier = "premium" if rng.random() < 0.3 else "basic"
        if roll < 0.1:
            kinds["expired"].append(user.pk)
            valid_from, valid_until = today - datetime.timedelta(days=500), today - datetime.timedelta(days=30)
        else:
            kinds["valid"].append(user.pk)
            if tier == "premium":
                kinds["premium"].append(user.pk)
            valid_from = today - datetime.timedelta(days=rng.randint(1, 300))
            valid_until = today + datetime.timedelta(days=rng.randint(30, 365))
        memberships.append(
            Membership(
                user=user,
                tier=tier,
                category="effective" if rng.random() < 0.2 else "adherent",
                fee=1200 if tier == "premium" else 450,
                valid_from=valid_from,
                valid_until=valid_until,
            )
        )
    Membership.objects.bulk_create(memberships, batch_size=500)
    charter = Charter.current()
    if charter is not None:
        CharterSignature.objects.bulk_create(
            [CharterSignature(user=user, charter=charter, signed_at=user.date_joined) for user in users], batch_size=500
        )
    # What services.sync_user_groups would give each (the hourly sync would find nothing to change).
    member_group = Group.objects.get(name=roles.MEMBERS)
    premium_group = Group.objects.get(name=roles.PREMIUM_MEMBERS)
    Through = User.groups.through
    rows = [Through(user_id=pk, group_id=member_group.pk) for pk in kinds["valid"]]
    rows += [Through(user_id=pk, group_id=premium_group.pk) for pk in kinds["premium"]]
    Through.objects.bulk_create(rows, batch_size=1000)
    log(f"memberships: {len(kinds['valid'])} valid ({len(kinds['premium'])} premium), {len(kinds['expired'])} expired")
    return kinds


# ---------------------------------------------------------------------------------------------
# Working groups, their notes and documents
# ---------------------------------------------------------------------------------------------


def grow_groups(rng, counts, people):
    from working_groups.models import GroupMembership, MeetingNotePage, WorkingGroupIndexPage, WorkingGroupPage
    from working_groups.services import sync_lead_rights

    index = WorkingGroupIndexPage.objects.first()
    leads = rng.sample(people["premium"], min(counts["leads"], len(people["premium"])))
    groups = []
    for n in range(counts["groups"]):
        roll = rng.random()
        if roll < 0.1:
            kind, visibility, policy = "thematic", WorkingGroupPage.Visibility.PRIVATE, "invitation"
        elif roll < 0.4:
            kind, visibility, policy = "cluster", WorkingGroupPage.Visibility.PREMIUM, "open"
        else:
            kind, visibility, policy = "thematic", WorkingGroupPage.Visibility.MEMBERS, rng.choice(["open", "request"])
        topic = rng.choice(TOPICS)
        group = WorkingGroupPage(
            title=f"{'Grappe' if kind == 'cluster' else 'Groupe'} {topic} {n}",
            slug=f"scale-groupe-{n}",
            kind=kind,
            theme=sentence(rng, 6),
            purpose=paragraph_html(rng, 2),
            visibility=visibility,
            join_policy=policy,
            first_published_at=moment(rng.randint(300, 1500)),
        )
        groups.append(add_one(index, group))
        if n % 50 == 49:
            log(f"{n + 1} groups")
    memberships = []
    for group, lead in zip(groups, (leads * (len(groups) // len(leads) + 1))[: len(groups)], strict=True):
        pool = people["premium"] if group.visibility == WorkingGroupPage.Visibility.PREMIUM else people["valid"]
        size = rng.randint(3, 8) if group.visibility == WorkingGroupPage.Visibility.PRIVATE else rng.randint(5, 40)
        chosen = [pk for pk in rng.sample(pool, min(size, len(pool))) if pk != lead]
        memberships.append(GroupMembership(group=group, user_id=lead, role="lead", joined_at=moment(400)))
        memberships += [GroupMembership(group=group, user_id=pk, role="member", joined_at=moment(300)) for pk in chosen]
    GroupMembership.objects.bulk_create(memberships, batch_size=1000)
    from django.contrib.auth import get_user_model

    for user in get_user_model().objects.filter(pk__in=set(leads)):
        sync_lead_rights(user)
    log(f"{len(groups)} groups, {len(memberships)} group memberships, {len(set(leads))} leads")

    members_of = {}
    for membership in memberships:
        members_of.setdefault(membership.group_id, []).append(membership.user_id)
    total = 0
    attendees = []
    Attendee = MeetingNotePage.attendees.through
    for position, group in enumerate(groups):
        notes = [
            MeetingNotePage(
                title=f"Réunion {k + 1} : {rng.choice(TOPICS)}",
                slug=f"reunion-{k + 1}",
                meeting_date=datetime.date.today() - datetime.timedelta(days=30 * (counts["notes_per_group"] - k)),
                place=rng.choice(["Namur", "Liège", "Bruxelles", "Visioconférence", "Mons"]),
                agenda="<ol>" + "".join(f"<li>{sentence(rng, 6)}</li>" for _ in range(3)) + "</ol>",
                outcomes=[{"type": "decision", "value": {"text": sentence(rng, 14)}} for _ in range(2)],
                first_published_at=moment(30 * (counts["notes_per_group"] - k) - 1),
            )
            for k in range(counts["notes_per_group"])
        ]
        bulk_children(group, notes)
        group_people = members_of.get(group.pk, [])
        for note in notes:
            for user_id in rng.sample(group_people, min(len(group_people), rng.randint(2, 8))):
                attendees.append(Attendee(meetingnotepage_id=note.pk, user_id=user_id))
        total += len(notes)
        if position % 50 == 49:
            log(f"{total} meeting notes")
    Attendee.objects.bulk_create(attendees, batch_size=1000)
    log(f"{total} meeting notes, {len(attendees)} attendances")
    return groups, members_of


def grow_documents(rng, groups, how_many):
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model

    from working_groups.demo import minimal_pdf

    Document = get_document_model()
    with_collection = [g for g in groups if g.collection_id]
    for n in range(how_many):
        group = rng.choice(with_collection)
        pdf = minimal_pdf([f"{group.title} - document {n}", sentence(rng, 10)])
        Document.objects.create(
            title=f"{group.title} — document {n}",
            collection_id=group.collection_id,
            file=ContentFile(pdf, name=f"scale-{n}.pdf"),
            file_size=len(pdf),
        )
    log(f"{how_many} documents")


# ---------------------------------------------------------------------------------------------
# Content pages
# ---------------------------------------------------------------------------------------------


def topic_tags():
    from taggit.models import Tag

    tags = []
    for name in TOPICS:
        tag = Tag.objects.filter(name=name).first() or Tag.objects.create(name=name)
        tags.append(tag)
    return tags


def grow_watch(rng, how_many, clusters):
    from knowledge.models import TechWatchArticlePage, TechWatchArticleTag, TechWatchIndexPage

    index = TechWatchIndexPage.objects.first()
    tags = topic_tags()
    articles = []
    for n in range(how_many):
        roll = rng.random()
        audience = "premium" if roll < 0.6 else ("members" if roll < 0.85 else "public")
        days = rng.randint(1, 1500)
        articles.append(
            TechWatchArticlePage(
                title=f"Veille {n} : {rng.choice(TOPICS)} et {rng.choice(TOPICS)}",
                slug=f"veille-{n}",
                summary=sentence(rng, 30),
                body=body_blocks(rng, rng.randint(2, 5)),
                commentary=paragraph_html(rng, 2),
                source_name=rng.choice(["Le Soir", "ZDNet", "L'Echo", "Data News", "Heise"]),
                source_url=f"https://news.example.org/{n}",
                source_date=datetime.date.today() - datetime.timedelta(days=days),
                featured=rng.random() < 0.005,
                audience=audience,
                reading_minutes=rng.randint(1, 8),
                first_published_at=moment(days - 1),
            )
        )
    bulk_children(index, articles)
    TechWatchArticleTag.objects.bulk_create(
        [
            TechWatchArticleTag(content_object_id=a.pk, tag_id=tag.pk)
            for a in articles
            for tag in rng.sample(tags, rng.randint(1, 3))
        ],
        batch_size=1000,
    )
    Cluster = TechWatchArticlePage.clusters.through
    Cluster.objects.bulk_create(
        [Cluster(techwatcharticlepage_id=a.pk, workinggrouppage_id=rng.choice(clusters)) for a in articles if clusters],
        batch_size=1000,
    )
    log(f"{how_many} technology-watch articles")
    return articles


def grow_knowledge(rng, how_many, categories):
    from knowledge.models import KnowledgeArticlePage, KnowledgeCategoryPage, KnowledgeIndexPage

    index = KnowledgeIndexPage.objects.first()
    parents = list(KnowledgeCategoryPage.objects.child_of(index))
    for n in range(categories):
        parents.append(
            add_one(
                index, KnowledgeCategoryPage(title=f"Catégorie {n} : {rng.choice(TOPICS)}", slug=f"scale-categorie-{n}")
            )
        )
    by_parent = {}
    for n in range(how_many):
        by_parent.setdefault(rng.choice(parents).pk, []).append(
            KnowledgeArticlePage(
                title=f"Fiche {n} : {rng.choice(TOPICS)}",
                slug=f"fiche-{n}",
                summary=sentence(rng, 25),
                body=body_blocks(rng, rng.randint(2, 6)),
                last_reviewed=datetime.date.today() - datetime.timedelta(days=rng.randint(1, 700)),
                audience="public" if rng.random() < 0.2 else "members",
                reading_minutes=rng.randint(1, 10),
            )
        )
    parent_pages = {p.pk: p for p in parents}
    for pk, pages in by_parent.items():
        bulk_children(parent_pages[pk], pages)
    log(f"{how_many} knowledge articles in {len(parents)} categories")


def grow_events(rng, how_many):
    from events.models import EventIndexPage, EventPage

    index = EventIndexPage.objects.first()
    today = datetime.date.today()
    events = []
    for n in range(how_many):
        start = today + datetime.timedelta(days=rng.randint(-730, 365))
        events.append(
            EventPage(
                title=f"Événement {n} : {rng.choice(TOPICS)}",
                slug=f"evenement-{n}",
                kind=rng.choice([k for k, _ in EventPage.Kind.choices]),
                summary=sentence(rng, 25),
                start_date=start,
                start_time=datetime.time(rng.choice([9, 14, 18])),
                end_time=datetime.time(rng.choice([12, 17, 21])),
                venue=rng.choice(["Namur Expo", "Liège Congrès", "Bruxelles, siège du club", "En ligne"]),
                body=paragraph_html(rng, 3),
                audience=rng.choice(["public", "members", "members", "premium"]),
                capacity=rng.choice([None, 30, 80, 200]),
                first_published_at=moment(max(1, (today - start).days + 60)),
            )
        )
    bulk_children(index, events)
    log(f"{how_many} events")


def grow_opportunities(rng, how_many):
    from opportunities.models import OpportunityIndexPage, OpportunityPage

    index = OpportunityIndexPage.objects.first()
    today = datetime.date.today()
    pages = [
        OpportunityPage(
            title=f"Opportunité {n} : {rng.choice(TOPICS)}",
            slug=f"opportunite-{n}",
            kind=rng.choice([k for k, _ in OpportunityPage.Kind.choices]),
            summary=sentence(rng, 25),
            body=paragraph_html(rng, 3),
            issuer=rng.choice(["MecaTech", "BioWin", "Région wallonne", "Digital Wallonia", "Agoria"]),
            deadline=today + datetime.timedelta(days=rng.randint(-300, 365)) if rng.random() < 0.8 else None,
            first_published_at=moment(rng.randint(1, 600)),
        )
        for n in range(how_many)
    ]
    bulk_children(index, pages)
    log(f"{how_many} opportunities")


def grow_standard(rng, how_many):
    from home.models import HomePage, StandardPage

    home = HomePage.objects.filter(depth=2).order_by("path").first()
    archives = add_one(home, StandardPage(title="Archives du club", slug="scale-archives", introduction="Archives."))
    pages = [
        StandardPage(
            title=f"Archive {n} : {rng.choice(TOPICS)}",
            slug=f"archive-{n}",
            introduction=sentence(rng, 20),
            body=body_blocks(rng, 2),
            audience=rng.choice(["", "", "members", "premium"]),
        )
        for n in range(how_many)
    ]
    bulk_children(archives, pages)
    log(f"{how_many} standard pages")


# ---------------------------------------------------------------------------------------------
# Discussions
# ---------------------------------------------------------------------------------------------


def grow_discussions(rng, how_many, members_of, people):
    from django.db.models import Count, Max

    from discussions.models import Post, Space, Thread

    spaces = list(Space.objects.all())
    threads, posts_of = [], []
    for n in range(how_many):
        space = rng.choice(spaces)
        writers = members_of.get(space.group_id) or people["valid"]
        started = moment(rng.randint(1, 700))
        count = rng.randint(1, 15)
        authors = [rng.choice(writers) for _ in range(count)]
        times = sorted(started + datetime.timedelta(hours=rng.randint(0, 24 * 20)) for _ in range(count))
        times[0] = started
        threads.append(
            Thread(
                space=space,
                title=f"Sujet {n} : {rng.choice(TOPICS)} ?"[:200],
                author_id=authors[0],
                is_question=rng.random() < 0.4,
                created_at=started,
                last_activity_at=times[-1],
                last_author_id=authors[-1],
                post_count=count,
            )
        )
        posts_of.append(list(zip(authors, times, strict=True)))
    threads = Thread.objects.bulk_create(threads, batch_size=500)
    posts = []
    for thread, written in zip(threads, posts_of, strict=True):
        for number, (author, when) in enumerate(written, start=1):
            text = sentence(rng, rng.randint(10, 60))
            posts.append(
                Post(
                    thread=thread, number=number, author_id=author, source=text, html=f"<p>{text}</p>", created_at=when
                )
            )
    Post.objects.bulk_create(posts, batch_size=1000)
    # The counters the services keep (discussions/services.py _add_post), for every space at once.
    for row in Thread.objects.values("space_id").annotate(threads=Count("pk"), last=Max("last_activity_at")):
        post_count = Post.objects.filter(thread__space_id=row["space_id"]).count()
        Space.objects.filter(pk=row["space_id"]).update(
            thread_count=row["threads"], post_count=post_count, last_activity_at=row["last"]
        )
    log(f"{len(threads)} threads, {len(posts)} posts")


# ---------------------------------------------------------------------------------------------


def totals():
    from django.contrib.auth import get_user_model
    from wagtail.documents import get_document_model
    from wagtail.models import Page

    from discussions.models import Post, Thread
    from working_groups.models import MeetingNotePage, WorkingGroupPage

    return {
        "users": get_user_model().objects.count(),
        "pages": Page.objects.count(),
        "groups": WorkingGroupPage.objects.count(),
        "notes": MeetingNotePage.objects.count(),
        "documents": get_document_model().objects.count(),
        "threads": Thread.objects.count(),
        "posts": Post.objects.count(),
        "pages without PageAudience": Page.objects.filter(depth__gt=1, cercle_audience__isnull=True).count(),
    }


def grow(factor_or_counts=1.0, seed=SEED):
    """Grow the database Django is set up with to `factor_or_counts` (1.0: the club at 10x; 0.1: a tenth; or a
    dict of counts, see FULL). Returns the totals after."""
    from django.db import transaction

    from members.access import refresh_missing_audiences
    from opportunities import services as opportunity_services
    from search import index as search_index
    from working_groups.models import WorkingGroupPage

    counts = counts_for(factor_or_counts)
    rng = random.Random(seed)
    random.seed(seed)
    log(f"growing by {counts}")
    with transaction.atomic():
        people = grow_members(rng, counts["members"])
    with transaction.atomic():
        groups, members_of = grow_groups(rng, counts, people)
    grow_documents(rng, groups, counts["documents"])
    clusters = list(WorkingGroupPage.objects.filter(kind="cluster").values_list("pk", flat=True))
    pages_so_far = len(groups) * (1 + counts["notes_per_group"])
    # The rest of the 20,000 pages (at full size) goes to the other kinds, as FULL divides it.
    watch = grow_watch(rng, counts["watch"], clusters)
    grow_knowledge(rng, counts["knowledge"], counts["knowledge_categories"])
    grow_events(rng, counts["events"])
    with opportunity_services.alerts_paused():
        grow_opportunities(rng, counts["opportunities"])
    grow_standard(rng, counts["standard"])
    with transaction.atomic():
        grow_discussions(rng, counts["threads"], members_of, people)
    refresh_missing_audiences()  # a safety net: every bulk page already has its row
    # What the groups' signals would have kept for pages inserted in bulk: each group's last activity and
    # member count (working_groups/activity.py), read by the groups' index and the dashboard.
    from working_groups.activity import refresh as refresh_group_activity

    for group in WorkingGroupPage.objects.all():
        refresh_group_activity(group)
    sample = [a.pk for a in watch[: counts["search_sample"]]]
    search_index.update_pages(sample, inline=True)
    log(f"search documents built for a sample of {len(sample)} watch articles (not the others)")
    result = totals()
    log(f"done: {result} (about {pages_so_far} group pages and notes)")
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", required=True, help="a migrated database with the demo loaded")
    parser.add_argument("--small", action="store_true", help="a tenth of the 10x club")
    parser.add_argument("--factor", type=float, help="another fraction of the 10x club (1.0: all of it)")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("AXES_ENABLED", "false")
    os.environ.setdefault("DEBUG", "false")
    # Documents are files: never in the project's media folder.
    os.environ.setdefault("MEDIA_ROOT", str(Path(tempfile.gettempdir()) / "bench-media"))
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment(debug=False)  # e-mails (a lead's rights, a document) stay in memory
    grow(args.factor if args.factor else (0.1 if args.small else 1.0), args.seed)


if __name__ == "__main__":
    main()
