"""Demo content of the business-opportunity programme (shared/seeds: the calls for projects of MecaTech
and BioWin, European programmes, public tenders, members' partnership requests).

Runs after working_groups/demo.py (settings.CERCLE_APPS order), whose clusters the opportunities are filed
under. Deadlines are relative to the day of loading: two close this week, one closed already. Pages are
created once; an editor's later changes are kept on a second run. The demo's publications alert nobody
(they are history, not news); the premium member follows two clusters afterwards, to see alerts come
when an editor publishes a new opportunity.
"""

import datetime
import pathlib

import yaml
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Revision

from home.demo import ensure_page
from home.models import HomePage
from members.models import Organisation, Profile
from working_groups.demo import minimal_pdf
from working_groups.models import ClusterInterest, WorkingGroupPage

from . import services
from .models import Interest, OpportunityIndexPage, OpportunityPage

DATA_DIR = pathlib.Path(__file__).resolve().parent / "demo_data"


def read_data(name="opportunities.yaml"):
    with open(DATA_DIR / name, encoding="utf-8") as data:
        return yaml.safe_load(data)


def load(context):
    home = HomePage.objects.first()
    if home is None:
        context.kept("pas de page d'accueil : opportunités non créées")
        return
    data = read_data()
    index = _ensure_index(context, home, data["index"])
    collection = services.ensure_collection()
    clusters = {group.slug: group for group in WorkingGroupPage.objects.filter(kind=WorkingGroupPage.Kind.CLUSTER)}
    organisations = {org.name: org for org in Organisation.objects.all()}
    today = timezone.localdate()
    pages = {}
    with services.alerts_paused():
        for position, spec in enumerate(data["opportunities"]):
            pages[spec["slug"]] = _ensure_opportunity(
                context, index, spec, position, today, clusters, organisations, collection
            )
    _follow_clusters(context, data.get("followed_clusters", {}), clusters)
    _record_interests(context, data.get("interests", []), pages)


def _ensure_index(context, home, spec):
    existing = OpportunityIndexPage.objects.first()
    if existing is not None:  # kept as it is if an editor moved or renamed it
        context.kept(f"{OpportunityIndexPage._meta.verbose_name} « {existing.title} »")
        return existing
    return ensure_page(
        context,
        home,
        OpportunityIndexPage,
        spec["slug"],
        title=spec["title"],
        introduction=spec["introduction"],
        search_description=spec["search_description"],
        show_in_menus=True,
    )


def _ensure_document(context, collection, title, filename, lines):
    Document = get_document_model()
    document = Document.objects.filter(title=title, collection=collection).first()
    if document is not None:
        context.kept(f"document « {title} »")
        return document
    pdf = minimal_pdf(lines)
    document = Document.objects.create(
        title=title, collection=collection, file=ContentFile(pdf, name=filename), file_size=len(pdf)
    )
    context.created(f"document « {title} » dans la collection premium « {collection.name} »")
    return document


def _ensure_opportunity(context, index, spec, position, today, clusters, organisations, collection):
    page = index.get_children().filter(slug=spec["slug"]).specific().first()
    if page is not None:
        context.kept(f"opportunité « {page.title} »")
        return page
    attachments = []
    if spec.get("attachment"):
        document = _ensure_document(context, collection, *spec["attachment"])
        attachments = [{"type": "document", "value": document.pk}]
    deadline = spec.get("deadline")
    page = OpportunityPage(
        slug=spec["slug"],
        title=spec["title"],
        kind=spec["kind"],
        summary=spec["summary"].strip(),
        body=spec["body"],
        issuer=spec["issuer"],
        issuer_kind=spec["issuer_kind"],
        issuer_organisation=organisations.get(spec.get("issuer_organisation") or ""),
        budget=spec.get("budget") or "",
        deadline=None if deadline is None else today + datetime.timedelta(days=deadline),
        contact_name=spec.get("contact_name") or "",
        contact_email=spec.get("contact_email") or "",
        link=spec.get("link") or "",
        clusters=[clusters[slug] for slug in spec.get("clusters", []) if slug in clusters],
        attachments=attachments,
    )
    index.add_child(instance=page)
    page.sectors.add(*spec.get("sectors", []))
    page.save_revision().publish()
    # Published some days ago, in the morning: the programme looks lived-in.
    published = timezone.make_aware(
        datetime.datetime.combine(today - datetime.timedelta(days=spec["published"]), datetime.time(9, position * 7))
    )
    OpportunityPage.objects.filter(pk=page.pk).update(
        first_published_at=published, last_published_at=published, latest_revision_created_at=published
    )
    Revision.objects.filter(pk=page.latest_revision_id).update(created_at=published)
    state = page.state(today).label
    context.created(f"opportunité « {page.title} » ({state})")
    return page


def _follow_clusters(context, followed, clusters):
    for username, slugs in followed.items():
        profile = Profile.objects.filter(user__username=username).first()
        if profile is None:
            continue
        for slug in slugs:
            if slug not in clusters:
                continue
            _interest, created = ClusterInterest.objects.get_or_create(profile=profile, cluster=clusters[slug])
            if created:
                context.created(f"{username} suit la grappe « {clusters[slug].title} » (alertes d'opportunités)")


def _record_interests(context, specs, pages):
    users = get_user_model().objects.in_bulk([spec["user"] for spec in specs], field_name="username")
    for spec in specs:
        user, page = users.get(spec["user"]), pages.get(spec["opportunity"])
        if user is None or page is None:
            continue
        when = timezone.now() - datetime.timedelta(days=spec.get("days_ago", 0))
        _interest, created = Interest.objects.get_or_create(
            opportunity=page,
            user=user,
            defaults={"message": spec["message"].strip(), "created_at": when, "notified_at": when},
        )
        verb = context.created if created else context.kept
        verb(f"intérêt de {spec['user']} pour « {page.title} »")
