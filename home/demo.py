"""Demo content of the club's public site, written from the seed articles (shared/seeds)."""

from pathlib import Path

import yaml
from wagtail.models import Locale, Page, Site

from .models import ClubSettings, HomePage, StandardPage


def paragraph(html):
    return {"type": "paragraph", "value": html}


def heading(text):
    return {"type": "heading", "value": {"text": text, "level": "h2"}}


def ensure_page(context, parent, model, slug, **fields):
    """Return the child of `parent` with this slug, creating and publishing it if it is missing.

    An existing page is left as it is: an editor may have changed it since the last run.
    """
    existing = parent.get_children().filter(slug=slug).specific().first()
    if existing is not None:
        context.kept(f"{model._meta.verbose_name} « {existing.title} »")
        return existing
    page = model(slug=slug, **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    context.created(f"{model._meta.verbose_name} « {page.title} »")
    return page


HOME = {
    "title": "Accueil",
    "hero_title": "Le club des dirigeants de l'informatique",
    "hero_text": (
        "CIO, patrons de sociétés ICT, business angels et experts : un cercle indépendant, sur invitation, "
        "pour faire grandir l'informatique et les télécoms dans l'économie régionale."
    ),
    "mission": (
        "<p>Le club poursuit trois objectifs :</p><ul>"
        "<li>promouvoir le secteur ICT, régional comme belge, et ses acteurs ;</li>"
        "<li>assurer la formation et l'information de ses membres et des acteurs de la société de "
        "l'information (pouvoirs publics, monde politique…) ;</li>"
        "<li>renforcer le rôle et la contribution de l'ICT dans les structures de décision et le "
        "développement économique.</li></ul>"
        "<p>Avec un accent constant sur l'indépendance et le professionnalisme.</p>"
    ),
}

CLUB_BODY = [
    heading("Qui sommes-nous ?"),
    paragraph(
        "<p>Le club réunit des patrons de sociétés « high-tech », des directeurs informatiques (CIO), des "
        "business angels, des consultants et des experts, <b>uniquement sur invitation</b>. Constitué en "
        "ASBL, il s'est doté de principes de gouvernance stricts et ne se ferme pas à la seule "
        "francophonie : il collabore avec des organismes apparentés en Belgique et à l'étranger.</p>"
    ),
    heading("Nos activités"),
    paragraph(
        "<ul><li>rencontres et réseautage entre membres ;</li>"
        "<li>groupes de travail thématiques et six grappes technologiques : Web, Internet des objets, "
        "Data centers, Sécurité, Transmédia et Jeux sérieux ;</li>"
        "<li>veille technologique, dont les appels à projets des pôles de compétitivité (MecaTech, BioWin) ;</li>"
        "<li>conférences de haut niveau, formations pluridisciplinaires (gouvernance, stratégie, gestion "
        "financière, marchés publics) et séances d'information ;</li>"
        "<li>développement international : missions économiques, salons, programmes européens.</li></ul>"
    ),
    heading("Deux formules d'adhésion"),
    paragraph(
        "<p>La <b>formule de base</b> ouvre le réseautage, les événements et les missions économiques. La "
        "<b>formule premium</b>, moyennant une cotisation plus élevée, donne en outre accès aux grappes "
        "technologiques et à la veille technologique complète.</p>"
    ),
]

GOVERNANCE_BODY = [
    paragraph(
        "<p>Le club est une association sans but lucratif. Il vise à terme une vingtaine de membres "
        "« corporate » et une cinquantaine de membres effectifs, du secteur privé comme du secteur public, "
        "qui s'engagent tous à signer la charte d'éthique.</p>"
    ),
    heading("Deux catégories de membres"),
    paragraph(
        "<ul><li><b>Membres effectifs</b> : des experts « business » ou technologiques qui participent à "
        "la gestion de l'activité du club.</li>"
        "<li><b>Membres adhérents</b> : des personnes ou des organisations, de trois types : corporate, "
        "PME et organismes publics.</li></ul>"
    ),
    heading("Conseil d'administration"),
    paragraph(
        "<p>Le conseil d'administration, élu par l'assemblée générale parmi les membres effectifs, "
        "arrête le programme, admet les nouveaux membres sur invitation et veille au respect de la charte.</p>"
    ),
]

CONTACT_BODY = [
    paragraph(
        "<p>Le club accueille ses membres sur invitation. Vous dirigez une société ICT ou un service "
        "informatique et souhaitez nous rejoindre ? Écrivez au secrétariat : un membre effectif vous "
        "recontactera.</p>"
    ),
    {
        "type": "call_to_action",
        "value": {
            "title": "Demander une invitation",
            "text": "Présentez-vous en quelques lignes et dites-nous ce que vous attendez du club.",
            "page": None,
            "url": "mailto:secretariat@cercle.example",
            "button_label": "Écrire au secrétariat",
        },
    },
]


def load(context):
    root = Page.get_first_root_node()
    home = HomePage.objects.filter(locale__language_code="fr").first()
    if home is None:
        home = HomePage(slug="accueil", **HOME)
        root.add_child(instance=home)
        home.save_revision().publish()
        context.created("page d'accueil")
    else:
        context.kept("page d'accueil")

    # Point the default site at the club's home page and remove Wagtail's "Welcome" page.
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site.objects.create(
            hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="Cercle"
        )
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.site_name = "Cercle"
        site.save()
    for welcome in root.get_children().exact_type(Page):
        welcome.delete()

    club = ensure_page(
        context,
        home,
        StandardPage,
        "le-club",
        title="Le club",
        show_in_menus=True,
        introduction="Un club indépendant de dirigeants de l'informatique, fondé sur l'invitation et l'éthique.",
        search_description="Qui nous sommes, nos activités et nos deux formules d'adhésion.",
        body=CLUB_BODY,
    )
    ensure_page(
        context,
        club,
        StandardPage,
        "gouvernance",
        title="Gouvernance",
        show_in_menus=True,
        introduction="Une ASBL aux principes de gouvernance stricts.",
        body=GOVERNANCE_BODY,
    )
    contact = ensure_page(
        context,
        home,
        StandardPage,
        "contact",
        title="Contact",
        show_in_menus=True,
        introduction="Rejoindre le club, poser une question.",
        search_description="Le club accueille ses membres sur invitation : écrivez-nous.",
        body=CONTACT_BODY,
    )

    if not home.body:
        home.body = [
            {
                "type": "highlighted_pages",
                "value": {"title": "Découvrir le club", "pages": [club.pk, contact.pk]},
            }
        ]
        home.save_revision().publish()

    settings = ClubSettings.for_site(site)
    if not settings.pk or not settings.club_page_id:
        settings.club_name = "Cercle"
        settings.tagline = "Le club des dirigeants de l'informatique, sur invitation."
        settings.contact_email = "secretariat@cercle.example"
        settings.address = "Rue de l'Industrie 10\n1000 Bruxelles"
        settings.facebook_url = "https://www.facebook.com/cercle.club"
        settings.x_url = "https://x.com/cercle_club"
        settings.linkedin_url = "https://www.linkedin.com/company/cercle-club"
        settings.club_page = club
        settings.contact_page = contact
        settings.save()
        context.created("réglages du club (pied de page, réseaux sociaux)")
    else:
        context.kept("réglages du club")

    governance = club.get_children().get(slug="gouvernance")
    translate_into_english(context, [home, club, governance, contact])


ENGLISH = Path(__file__).with_name("demo_data") / "english.yaml"


def translate_into_english(context, pages):
    """Give the public pages their English translation, the way an editor does in the admin.

    Parents come before their children, as wagtail-localize asks. A page that already has its
    translation is left as the editors made it.
    """
    english, _ = Locale.objects.get_or_create(language_code="en")  # a migration made it; a flushed test base lacks it
    strings = yaml.safe_load(ENGLISH.read_text(encoding="utf-8"))

    def in_english(french):
        if french not in strings:
            raise ValueError(f"No English for {french!r} in {ENGLISH.name}")
        return strings[french]

    for page in pages:
        if page.get_translation_or_none(english) is not None:
            context.kept(f"traduction anglaise de « {page.title} »")
            continue
        translate_page(page, english, in_english)
        context.created(f"traduction anglaise de « {page.title} »")


def translate_page(page, locale, translate):
    """Translate a page with wagtail-localize, each of its strings through `translate`, and publish it.

    wagtail-localize lists the page's strings as a PO file; the translations go back in as an uploaded
    PO file would, and wagtail-localize builds the page in the locale's tree. Returns the translation.
    """
    from wagtail_localize.models import Translation, TranslationSource

    page = page.specific
    source, _ = TranslationSource.get_or_create_from_instance(page)
    translation, _ = Translation.objects.get_or_create(source=source, target_locale=locale)
    po = translation.export_po()
    for entry in po:
        entry.msgstr = translate(entry.msgid)
    translation.import_po(po)
    # Published here rather than by wagtail-localize, which defers it to the end of the transaction
    # from a copy of the page made before its children were added, and so loses count of them.
    translation.save_target(publish=False)
    translated = page.get_translation(locale)
    translated.get_latest_revision().publish()
    return translated.specific_class.objects.get(pk=translated.pk)
