"""Demo working groups: the six technology clusters, three thematic groups and the board's private space,
with their members, a few meeting notes and their PDF attachments (shared/seeds, the club's articles).

Runs after members/demo.py (settings.CERCLE_APPS order), whose accounts it places in the groups.
"""

import datetime

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.documents import get_document_model

from home.demo import ensure_page
from home.models import HomePage

from . import services
from .models import GroupMembership, MeetingNotePage, WorkingGroupIndexPage, WorkingGroupPage

INDEX_INTRODUCTION = (
    "<p>Les groupes de travail réunissent les membres autour d'un thème, le temps qu'il faut pour "
    "produire quelque chose d'utile : une grille d'évaluation, une position commune, un retour "
    "d'expérience. Les six <b>grappes technologiques</b> sont réservées aux membres premium.</p>"
)

LEAD, MEMBER = GroupMembership.Role.LEAD, GroupMembership.Role.MEMBER

# slug, title, theme, purpose, leads, members — only premium people in the clusters.
CLUSTERS = [
    (
        "web",
        "Web",
        "Plateformes, API et expérience utilisateur",
        "<p>La grappe Web suit l'évolution des plateformes, des API et des usages en ligne : architecture "
        "des sites à fort trafic, accessibilité, commerce électronique et souveraineté des hébergements.</p>",
        ["lead"],
        ["premium", "sophie"],
    ),
    (
        "internet-des-objets",
        "Internet des objets",
        "Capteurs, réseaux bas débit, industrie 4.0",
        "<p>Des capteurs aux plateformes de données : la grappe partage les retours d'expérience des "
        "membres sur les réseaux bas débit, la maintenance prédictive et la sécurité des objets connectés "
        "dans l'industrie.</p>",
        ["thierry"],
        ["nadia", "lead"],
    ),
    (
        "data-centers",
        "Data centers",
        "Hébergement, efficacité énergétique, cloud hybride",
        "<p>Efficacité énergétique, refroidissement, colocation et cloud hybride : la grappe compare les "
        "choix d'hébergement des membres et visite des centres de données de la région.</p>",
        ["premium"],
        ["thierry"],
    ),
    (
        "securite",
        "Sécurité",
        "Gestion des risques, NIS2, réponse aux incidents",
        "<p>La grappe Sécurité réunit RSSI et DSI autour de la gestion des risques, de la mise en "
        "conformité NIS2 et des exercices de réponse aux incidents.</p>",
        ["nadia"],
        ["editor", "premium"],
    ),
    (
        "transmedia",
        "Transmédia",
        "Récits multi-supports, production numérique",
        "<p>Comment raconter une histoire sur plusieurs supports à la fois ? La grappe Transmédia croise "
        "les regards des producteurs, des agences et des diffuseurs membres du club.</p>",
        ["sophie"],
        ["editor"],
    ),
    (
        "jeux-serieux",
        "Jeux sérieux",
        "Formation, simulation, ludification",
        "<p>Jeux de simulation pour la formation, ludification des parcours clients et des processus "
        "internes : la grappe Jeux sérieux fait se rencontrer studios et entreprises utilisatrices.</p>",
        ["sophie"],
        ["thierry", "editor"],
    ),
]

# slug, title, theme, purpose, visibility, join policy, leads, members
THEMATIC = [
    (
        "gouvernance-it",
        "Gouvernance IT",
        "Le rôle du DSI dans les structures de décision",
        "<p>Le groupe travaille sur la place de l'informatique dans la gouvernance des organisations : "
        "rattachement du DSI, comités d'arbitrage, tableaux de bord pour le conseil d'administration et "
        "évaluation des prestataires.</p>",
        WorkingGroupPage.Visibility.MEMBERS,
        WorkingGroupPage.JoinPolicy.REQUEST,
        ["lead"],
        ["thierry", "basic", "claire", "marc"],
    ),
    (
        "marches-publics",
        "Marchés publics",
        "Répondre aux appels d'offres publics",
        "<p>Cahiers des charges, critères d'attribution, accords-cadres : le groupe aide les PME du "
        "numérique à répondre aux marchés publics et les acheteurs publics à mieux les rédiger.</p>",
        WorkingGroupPage.Visibility.MEMBERS,
        WorkingGroupPage.JoinPolicy.OPEN,
        ["claire"],
        ["basic", "marc", "thierry"],
    ),
    (
        "cybersecurite-des-pme",
        "Cybersécurité des PME",
        "Des mesures à la portée d'une petite structure",
        "<p>Sauvegardes, authentification forte, sensibilisation du personnel : le groupe rédige un guide "
        "des mesures essentielles pour les PME qui n'ont pas de responsable de la sécurité.</p>",
        WorkingGroupPage.Visibility.MEMBERS,
        WorkingGroupPage.JoinPolicy.OPEN,
        ["nadia"],
        ["sophie", "julien", "basic"],
    ),
    (
        "conseil-d-administration",
        "Conseil d'administration",
        "Programme, admissions, respect de la charte",
        "<p>L'espace du conseil d'administration : ordres du jour, procès-verbaux et dossiers "
        "d'admission des nouveaux membres. Son existence n'est connue que de ses membres.</p>",
        WorkingGroupPage.Visibility.PRIVATE,
        WorkingGroupPage.JoinPolicy.INVITATION,
        ["thierry"],
        ["admin", "lead"],
    ),
]

# Someone waiting for the leads' answer, so that the demo's lead finds a request to handle.
REQUESTS = [("gouvernance-it", "julien")]


def minimal_pdf(lines):
    """A small, valid one-page PDF showing `lines` of text (Latin-1), built by hand with its xref table."""

    def escape(text):
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    stream = "BT /F1 12 Tf 72 770 Td 16 TL " + " ".join(f"({escape(line)}) '" for line in lines) + " ET"
    stream_bytes = stream.encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(stream_bytes) + stream_bytes + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def ensure_document(context, group, title, filename, lines):
    """The group's PDF of this title, created in the group's own collection if it is missing."""
    Document = get_document_model()
    collection = services.ensure_collection(group)
    document = Document.objects.filter(title=title, collection=collection).first()
    if document is not None:
        context.kept(f"document « {title} »")
        return document
    pdf = minimal_pdf(lines)
    document = Document.objects.create(
        title=title, collection=collection, file=ContentFile(pdf, name=filename), file_size=len(pdf)
    )
    context.created(f"document « {title} » dans la collection de « {group.title} »")
    return document


def ensure_members(context, group, leads, members, people, by):
    """Put these people in the group through the services (which refuse non-premium people in clusters)."""
    added = 0
    existing = set(group.memberships.values_list("user__username", flat=True))
    for role, usernames in ((LEAD, leads), (MEMBER, members)):
        for username in usernames:
            if username not in existing:
                services.add_member(group, people[username], by=by, role=role)
                added += 1
    if added:
        context.created(f"{added} membre(s) ajouté(s) à « {group.title} » (responsable : {', '.join(leads)})")
    else:
        context.kept(f"membres de « {group.title} »")


def decision(text):
    return {"type": "decision", "value": {"text": text}}


def action_item(description, owner, due_date, status="open"):
    return {
        "type": "action_item",
        "value": {"description": description, "owner": owner, "due_date": due_date.isoformat(), "status": status},
    }


def ensure_note(context, group, slug, *, document, attendees, published_days_ago, **fields):
    """A meeting note with its PDF attached, published once.

    Its first publication is dated back: demo notes are history, and a note published for the first
    time would e-mail every member of the group (working_groups/signals.py)."""
    return ensure_page(
        context,
        group,
        MeetingNotePage,
        slug,
        attendees=attendees,
        attachments=[{"type": "document", "value": document.pk}],
        first_published_at=timezone.now() - datetime.timedelta(days=published_days_ago),
        **fields,
    )


def next_month(today, day):
    first_of_next = (today.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    return first_of_next.replace(day=day)


def load(context):
    home = HomePage.objects.first()
    if home is None:
        context.kept("pas de page d'accueil : groupes de travail non créés")
        return
    User = get_user_model()
    people = {user.username: user for user in User.objects.filter(username__in=_usernames())}
    admin = people["admin"]

    index = ensure_page(
        context,
        home,
        WorkingGroupIndexPage,
        "groupes",
        title="Groupes de travail",
        show_in_menus=True,
        introduction=INDEX_INTRODUCTION,
        search_description="Les groupes de travail thématiques et les six grappes technologiques du club.",
    )

    groups = {}
    for slug, title, theme, purpose, leads, members in CLUSTERS:
        group = ensure_page(
            context,
            index,
            WorkingGroupPage,
            slug,
            title=title,
            theme=theme,
            purpose=purpose,
            kind=WorkingGroupPage.Kind.CLUSTER,
            visibility=WorkingGroupPage.Visibility.PREMIUM,
            join_policy=WorkingGroupPage.JoinPolicy.OPEN,
        )
        ensure_members(context, group, leads, members, people, admin)
        groups[slug] = group
    for slug, title, theme, purpose, visibility, join_policy, leads, members in THEMATIC:
        group = ensure_page(
            context,
            index,
            WorkingGroupPage,
            slug,
            title=title,
            theme=theme,
            purpose=purpose,
            kind=WorkingGroupPage.Kind.THEMATIC,
            visibility=visibility,
            join_policy=join_policy,
        )
        ensure_members(context, group, leads, members, people, admin)
        groups[slug] = group

    for slug, username in REQUESTS:
        # A request is the member's own act (services.join, which e-mails the leads): made here directly.
        _request, created = GroupMembership.objects.get_or_create(
            group=groups[slug], user=people[username], defaults={"state": GroupMembership.State.REQUESTED}
        )
        (context.created if created else context.kept)(f"demande d'adhésion de {username} à « {groups[slug].title} »")

    _load_notes(context, groups, people)
    # The demo members' clusters of interest need the cluster pages made above (members/demo_data).
    from members.demo import load_cluster_interests

    load_cluster_interests(context)


def _usernames():
    names = {"admin"}
    for *_rest, leads, members in CLUSTERS:
        names.update(leads, members)
    for *_rest, leads, members in THEMATIC:
        names.update(leads, members)
    names.update(username for _slug, username in REQUESTS)
    return names


def _load_notes(context, groups, people):
    today = timezone.localdate()

    def attendees_of(group):
        return [m.user for m in group.memberships.filter(state="active").select_related("user")]

    # Gouvernance IT: last month's meeting, and the next one, with its agenda.
    gouvernance = groups["gouvernance-it"]
    past = today - datetime.timedelta(days=21)
    grid = ensure_document(
        context,
        gouvernance,
        "Gouvernance IT — grille d'évaluation des prestataires",
        "grille-evaluation-prestataires.pdf",
        [
            "Groupe Gouvernance IT - grille d'évaluation des prestataires",
            "Critères : réversibilité, localisation des données, niveaux de service, coûts complets.",
        ],
    )
    ensure_note(
        context,
        gouvernance,
        "reunion-evaluation-des-prestataires",
        title="Réunion : évaluation des prestataires cloud",
        meeting_date=past,
        place="Namur, Maison de l'entreprise",
        document=grid,
        attendees=attendees_of(gouvernance),
        published_days_ago=20,
        agenda=(
            "<ol><li>Tour de table : les contrats cloud des membres</li>"
            "<li>Projet de grille d'évaluation des prestataires</li>"
            "<li>Préparation de la présentation au conseil d'administration</li></ol>"
        ),
        outcomes=[
            decision("Le groupe adopte la grille d'évaluation des prestataires cloud, jointe au compte rendu."),
            action_item(
                "Présenter la grille au conseil d'administration", "Luc Gérard", today + datetime.timedelta(days=22)
            ),
            action_item(
                "Recueillir les clauses de réversibilité des contrats des membres",
                "Claire Dubois",
                today + datetime.timedelta(days=40),
                status="in_progress",
            ),
        ],
    )
    upcoming = next_month(today, 12)
    agenda_pdf = ensure_document(
        context,
        gouvernance,
        "Gouvernance IT — ordre du jour de la prochaine réunion",  # no date: a later run must find it
        "ordre-du-jour-gouvernance.pdf",
        [
            f"Groupe Gouvernance IT - réunion du {upcoming:%d/%m/%Y}",
            "1. Retour du conseil d'administration sur la grille d'évaluation",
            "2. Tableau de bord du DSI pour le conseil",
        ],
    )
    ensure_note(
        context,
        gouvernance,
        "reunion-tableau-de-bord-du-dsi",
        title="Réunion : le tableau de bord du DSI",
        meeting_date=upcoming,
        place="Visioconférence",
        video_link="https://visio.cercle.example/gouvernance-it",
        document=agenda_pdf,
        attendees=[],
        published_days_ago=2,
        agenda=(
            "<ol><li>Retour du conseil d'administration sur la grille d'évaluation</li>"
            "<li>Quels indicateurs présenter au conseil ? Propositions des membres</li>"
            "<li>Divers</li></ol>"
        ),
        outcomes=[
            action_item(
                "Apporter un exemple de tableau de bord anonymisé",
                "Thierry Vermeer",
                upcoming - datetime.timedelta(days=3),
            )
        ],
    )

    # The board's private space.
    board = groups["conseil-d-administration"]
    minutes = ensure_document(
        context,
        board,
        "Conseil d'administration — procès-verbal",
        "proces-verbal-conseil.pdf",
        ["Conseil d'administration - procès-verbal", "Confidentiel : réservé aux administrateurs."],
    )
    ensure_note(
        context,
        board,
        "conseil-admissions-et-programme",
        title="Conseil : admissions et programme du semestre",
        meeting_date=today - datetime.timedelta(days=10),
        place="Bruxelles, siège du club",
        document=minutes,
        attendees=attendees_of(board),
        published_days_ago=9,
        agenda=(
            "<ol><li>Admission de deux nouveaux membres adhérents</li>"
            "<li>Programme des conférences du semestre</li>"
            "<li>Budget de la mission économique</li></ol>"
        ),
        outcomes=[
            decision("Le conseil admet les deux candidatures présentées, sous réserve de la signature de la charte."),
            action_item(
                "Envoyer les invitations aux nouveaux membres", "Anne Dumont", today + datetime.timedelta(days=7)
            ),
        ],
    )

    # The Web cluster.
    web = groups["web"]
    benchmark = ensure_document(
        context,
        web,
        "Grappe Web — comparatif des hébergeurs",
        "comparatif-hebergeurs.pdf",
        ["Grappe Web - comparatif des hébergeurs européens", "Disponibilité, localisation, prix, support."],
    )
    ensure_note(
        context,
        web,
        "atelier-souverainete-des-hebergements",
        title="Atelier : la souveraineté des hébergements",
        meeting_date=today - datetime.timedelta(days=35),
        place="Liège, Pixelune",
        document=benchmark,
        attendees=attendees_of(web),
        published_days_ago=33,
        agenda=(
            "<ul><li>Présentation du comparatif des hébergeurs européens</li>"
            "<li>Témoignage : une migration hors d'un hyperscaler</li></ul>"
        ),
        outcomes=[
            decision("La grappe publie le comparatif à l'intention des membres premium."),
            action_item(
                "Mettre à jour le comparatif chaque trimestre", "Sophie Delvaux", today + datetime.timedelta(days=60)
            ),
        ],
    )
