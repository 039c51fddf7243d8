"""The demo club's people: six organisations, eighteen people across categories and tiers, each with a
complete directory profile (demo_data/directory.yaml) showing other members what they chose.

The accounts a newcomer logs in with are admin, premium, basic, expired, editor and lead; all share the
password given to load_demo (`cercle-demo` by default).
"""

import datetime
import pathlib

import yaml
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from . import roles, services
from .models import (
    DIRECTORY_FIELDS,
    Charter,
    CharterSignature,
    Invitation,
    Membership,
    Organisation,
    OrganisationMembership,
    Profile,
)

CHARTER_TEXT = (
    "<p>Chaque membre du club signe la présente charte avant d'accéder à l'espace membres.</p>"
    "<h2>1. Indépendance</h2><p>Les membres s'expriment en leur nom propre. Leur participation au club n'est "
    "ni un canal de vente ni un mandat de leur employeur.</p>"
    "<h2>2. Confidentialité</h2><p>Ce qui se dit dans les groupes de travail et les grappes reste dans les "
    "groupes : aucune information d'un autre membre n'est diffusée sans son accord.</p>"
    "<h2>3. Loyauté</h2><p>Pas de débauchage entre membres ni d'usage des informations du club au détriment "
    "d'un autre membre.</p>"
    "<h2>4. Professionnalisme</h2><p>Partager une information exacte, citer ses sources, déclarer ses "
    "conflits d'intérêts.</p>"
)

ORGANISATIONS = [
    # name, kind, website, tier, seats
    ("Forem Numérique", Organisation.Kind.PUBLIC, "https://www.example.org/forem", "basic", 3),
    ("Mosane Industries", Organisation.Kind.CORPORATE, "https://www.example.org/mosane", "premium", 2),
    ("Pixelune", Organisation.Kind.SME, "https://www.example.org/pixelune", "premium", 1),
]

# username, first, last, job title, organisation (or None), own tier (or None), category, roles, note
PEOPLE = [
    ("admin", "Anne", "Dumont", "Secrétaire générale du club", None, "premium", "effective", [roles.CLUB_STAFF], ""),
    ("premium", "Pierre", "Lemaire", "CIO", "Mosane Industries", None, "adherent", [], "premium par son organisation"),
    ("basic", "Béatrice", "Simon", "Responsable informatique", "Forem Numérique", None, "adherent", [], ""),
    ("expired", "Xavier", "Renard", "Consultant ICT", None, "premium", "adherent", [], "adhésion échue"),
    (
        "editor",
        "Élise",
        "Martin",
        "Analyste, veille technologique",
        None,
        "premium",
        "effective",
        [roles.TECHWATCH_EDITORS],
        "",
    ),
    ("lead", "Luc", "Gérard", "DSI", None, "premium", "effective", [roles.GROUP_LEADS], ""),
    ("thierry", "Thierry", "Vermeer", "CIO, président du club", "Forem Numérique", "premium", "effective", [], ""),
    ("sophie", "Sophie", "Delvaux", "CEO", "Pixelune", None, "adherent", [], ""),
    ("marc", "Marc", "Lambert", "Business angel", None, "basic", "adherent", [], ""),
    ("nadia", "Nadia", "Haddad", "RSSI", "Mosane Industries", None, "adherent", [], ""),
    ("julien", "Julien", "Collard", "Développeur senior", "Pixelune", None, "adherent", [], "au-delà des sièges"),
    ("claire", "Claire", "Dubois", "Experte marchés publics", None, "basic", "effective", [], ""),
    (
        "contrib",
        "Camille",
        "Renson",
        "Journaliste, contributrice de la veille",
        None,
        "basic",
        "adherent",
        [roles.TECHWATCH_CONTRIBUTORS],
        "",
    ),
]

DATA_FILE = pathlib.Path(__file__).resolve().parent / "demo_data" / "directory.yaml"


def directory_data():
    """The demo directory's extra organisations and people, and everyone's profile (see the file)."""
    return yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))


DEMO_ACCOUNTS = {
    "admin": "gestion du club (tous les droits)",
    "premium": "membre premium (par son organisation)",
    "basic": "membre de base",
    "expired": "adhésion échue",
    "editor": "rédaction de la veille",
    "lead": "responsable de groupe",
    "contrib": "contributrice de la veille",
}


def load(context):
    today = timezone.localdate()
    charter, created = Charter.objects.get_or_create(
        version="1.0",
        defaults={
            "title": "Charte d'éthique du club",
            "body": CHARTER_TEXT,
            "effective_date": today - datetime.timedelta(days=365),
        },
    )
    (context.created if created else context.kept)("charte d'éthique, version 1.0")

    data = directory_data()
    more_organisations = [
        (row["name"], Organisation.Kind(row["kind"]), row["website"], row["tier"], row["seats"])
        for row in data["organisations"]
    ]
    more_people = [
        (row["username"], row["first_name"], row["last_name"], row["job_title"], row["organisation"])
        + (None, "adherent", [], "")
        for row in data["people"]
    ]

    organisations = {}
    for name, kind, website, tier, seats in ORGANISATIONS + more_organisations:
        organisation, created = Organisation.objects.get_or_create(
            name=name, defaults={"kind": kind, "website": website}
        )
        if created:
            OrganisationMembership.objects.create(
                organisation=organisation,
                tier=tier,
                seats=seats,
                fee=2500 if tier == "premium" else 900,
                valid_from=today - datetime.timedelta(days=90),
                valid_until=today + datetime.timedelta(days=275),
            )
        (context.created if created else context.kept)(f"organisation « {name} » ({tier}, {seats} siège(s))")
        organisations[name] = organisation

    User = get_user_model()
    for position, (username, first, last, job, org_name, tier, category, user_roles, note) in enumerate(
        PEOPLE + more_people
    ):
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "email": f"{username}@cercle.example"},
        )
        user.set_password(context.password)
        # Each demo account logs in by its address as well as by its username (a database loaded before
        # the addresses existed gets them now).
        user.email = user.email or f"{username}@cercle.example"
        if username == "admin":
            user.is_staff = user.is_superuser = True
        user.save()
        if created:
            organisation = organisations.get(org_name)
            Profile.objects.create(
                user=user,
                job_title=job,
                organisation=organisation,
                # Seats go to an organisation's people in the order they joined it.
                joined_organisation_at=(
                    timezone.now() - datetime.timedelta(days=400 - position) if organisation else None
                ),
                show_email=True,
            )
            if username == "expired":
                Membership.objects.create(
                    user=user,
                    tier=tier,
                    category=category,
                    fee=1200,
                    valid_from=today - datetime.timedelta(days=400),
                    valid_until=today - datetime.timedelta(days=35),
                )
            elif tier:
                Membership.objects.create(
                    user=user,
                    tier=tier,
                    category=category,
                    fee=1200 if tier == "premium" else 450,
                    valid_from=today - datetime.timedelta(days=60),
                    valid_until=today + datetime.timedelta(days=305),
                )
            elif organisation:
                # Covered by the organisation's seats; the person's own row records their category.
                Membership.objects.create(
                    user=user,
                    tier="basic",
                    category=category,
                    organisation=organisation,
                    fee=0,
                    valid_from=today - datetime.timedelta(days=60),
                    valid_until=today + datetime.timedelta(days=305),
                )
            CharterSignature.objects.get_or_create(user=user, charter=charter)
        user.groups.add(*Group.objects.filter(name__in=user_roles))
        services.sync_user_groups(user)
        (context.created if created else context.kept)(f"compte « {username} »" + (f" — {note}" if note else ""))
        if username in DEMO_ACCOUNTS:
            context.accounts.append((username, DEMO_ACCOUNTS[username]))

    _complete_profiles(context, data["profiles"])

    # One invitation waiting for an answer, so that staff see the list at work.
    if not Invitation.objects.filter(email="nouvelle.membre@example.org").exists():
        services.invite(
            "nouvelle.membre@example.org",
            invited_by=User.objects.get(username="admin"),
            tier="premium",
            category="adherent",
            organisation=organisations["Pixelune"],
            message="Sophie nous a parlé de vous : bienvenue au club !",
        )
        context.created("invitation en attente pour nouvelle.membre@example.org")


def _complete_profiles(context, profiles):
    """Everyone's bio, expertise, languages, contacts and what they show members: once, while the bio is
    empty (a second load, or a demo member's own edits, are left alone)."""
    found = Profile.objects.filter(user__username__in=profiles).select_related("user")
    by_username = {profile.user.username: profile for profile in found}
    for username, details in profiles.items():
        profile = by_username.get(username)
        if profile is None or profile.bio:
            continue
        profile.bio = details["bio"]
        profile.languages = details.get("languages", [])
        profile.linkedin_url = details.get("linkedin", "")
        profile.phone = details.get("phone", "")
        shows = DIRECTORY_FIELDS if details.get("shows") == "all" else details.get("shows", [])
        for field in DIRECTORY_FIELDS:
            setattr(profile, f"show_{field}", field in shows)
        profile.expertise.set(details.get("expertise", []))
        profile.save()
        context.created(f"profil complet de « {username} »")


def load_cluster_interests(context):
    """The demo members' clusters of interest (demo_data/directory.yaml): called by working_groups/demo.py
    once the cluster pages exist, through the provider (members knows no cluster page). Set once: a
    profile that has chosen clusters already keeps its choice."""
    from .access import Viewer
    from .interests import clusters as cluster_provider

    provider = cluster_provider()
    staff = get_user_model().objects.filter(username="admin").first()
    if staff is None:
        return
    ids_by_title = {title: pk for pk, title in provider.choices(Viewer(staff))}
    profiles = directory_data()["profiles"]
    for profile in Profile.objects.filter(user__username__in=profiles).select_related("user"):
        wanted = [ids_by_title[t] for t in profiles[profile.user.username].get("clusters", []) if t in ids_by_title]
        if not wanted or provider.chosen_by(profile):
            continue
        provider.set_interests(profile, wanted)
        context.created(f"grappes d'intérêt de « {profile.user.username} » : {len(wanted)}")
