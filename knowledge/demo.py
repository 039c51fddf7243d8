"""Demo content of the technology watch and the knowledge base (shared/seeds: the club's "veille
technologique plus active" for premium members, and its training sessions, such as the one on how to
"tirer parti des marchés publics").

Runs after working_groups/demo.py (settings.CERCLE_APPS order), whose six clusters the articles are filed
under. Pages are created once and published with their dates set back, so that the stream, the weekly
digest and the review report look lived-in; an editor's later changes are kept on a second run.
"""

import datetime

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Collection, Revision

from home.demo import ensure_page, heading, paragraph
from home.models import HomePage
from working_groups.demo import minimal_pdf
from working_groups.models import WorkingGroupPage

from . import services
from .models import (
    KnowledgeArticlePage,
    KnowledgeCategoryPage,
    KnowledgeIndexPage,
    RelatedKnowledgeArticle,
    TechWatchArticlePage,
    TechWatchIndexPage,
    WatchSource,
)

# The feed files shipped in knowledge/static/knowledge/demo-feeds/, served by the dev server.
FEEDS_PATH = "static/knowledge/demo-feeds/"


def subheading(text):
    return {"type": "heading", "value": {"text": text, "level": "h3"}}


def quote(text, attribution=""):
    return {"type": "quote", "value": {"text": text, "attribution": attribution}}


def code(language, source):
    return {"type": "code", "value": {"language": language, "code": source}}


def table(rows, caption=""):
    """A table whose first row holds the column headings."""
    return {
        "type": "table",
        "value": {
            "data": rows,
            "first_row_is_table_header": True,
            "first_col_is_header": False,
            "table_header_choice": "row",
            "table_caption": caption,
            "cell": [],
            "mergedCells": [],
        },
    }


# ---------------------------------------------------------------------------------------------
# Technology watch
# ---------------------------------------------------------------------------------------------

WATCH_INTRODUCTION = (
    "<p>Chaque semaine, la rédaction lit pour vous les publications des agences, des analystes et des "
    "régulateurs, et n'en garde que ce qui compte pour un dirigeant de l'informatique : <b>un résumé, "
    "l'essentiel de l'analyse et notre avis</b>. Les articles complets sont réservés aux membres premium ; "
    "quelques-uns sont ouverts à tous les membres, ou au public.</p>"
)

# when: (weeks back from the current week, weekday of publication, days between the source and us).
# Week 1 is the last complete week, the one the weekly digest sends.
WATCH_ARTICLES = [
    # --- Sécurité -------------------------------------------------------------------------------
    {
        "slug": "nis2-obligations-des-entites-essentielles-et-importantes",
        "title": "NIS2 : ce que la loi belge impose aux entités essentielles et importantes",
        "summary": (
            "La transposition belge de la directive NIS2 élargit fortement le nombre d'organisations "
            "concernées. Enregistrement, mesures de gestion des risques, notification des incidents en 24 "
            "heures : le Centre pour la Cybersécurité Belgique a publié ses lignes directrices."
        ),
        "body": [
            paragraph(
                "<p>Des milliers d'organisations belges, publiques comme privées, entrent dans le champ de "
                "la directive NIS2. Là où la première directive visait surtout les opérateurs de services "
                "essentiels, la nouvelle couvre dix-huit secteurs, des fournisseurs de services numériques "
                "aux administrations, en passant par la gestion des déchets et la fabrication.</p>"
            ),
            heading("Qui est concerné ?"),
            paragraph(
                "<p>Le critère de taille est simple : à partir de 50 personnes ou de 10 millions d'euros de "
                "chiffre d'affaires, une organisation d'un secteur visé est au minimum « importante ». Les "
                "grandes entreprises des secteurs les plus critiques sont « essentielles » et font l'objet "
                "d'une supervision a priori, avec audits réguliers.</p>"
            ),
            table(
                [
                    ["Étape", "Délai", "Contenu"],
                    ["Alerte précoce", "24 heures", "Incident significatif, origine malveillante suspectée ou non"],
                    ["Notification", "72 heures", "Évaluation initiale, gravité, indicateurs de compromission"],
                    ["Rapport final", "1 mois", "Description détaillée, cause, mesures d'atténuation"],
                ],
                "Les trois temps de la notification d'un incident",
            ),
            heading("La responsabilité remonte au conseil"),
            paragraph(
                "<p>C'est la nouveauté la plus commentée : les organes de direction doivent approuver les "
                "mesures de cybersécurité, en superviser la mise en œuvre et suivre une formation. Leur "
                "responsabilité personnelle peut être engagée en cas de manquement.</p>"
            ),
            quote(
                "La cybersécurité n'est plus un sujet que le conseil d'administration peut déléguer "
                "entièrement à son service informatique.",
                "Lignes directrices du CCB",
            ),
        ],
        "commentary": (
            "<p>Le cadre de référence proposé (CyberFundamentals) est pragmatique : nous conseillons aux "
            "membres de commencer par l'auto-évaluation, avant même de savoir s'ils sont concernés.</p>"
        ),
        "source": ("Centre pour la Cybersécurité Belgique", "https://ccb.belgium.be/"),
        "when": (1, 0, 2),
        "topics": ["NIS2", "cybersécurité", "gouvernance"],
        "clusters": ["securite"],
        "audience": "public",
        "featured": True,
    },
    {
        "slug": "enisa-paysage-des-menaces",
        "title": "ENISA : rançongiciels et hameçonnage ciblé restent en tête des menaces",
        "summary": (
            "Le rapport annuel de l'ENISA sur le paysage des menaces confirme la domination des "
            "rançongiciels et de l'ingénierie sociale. L'agence note aussi la montée des attaques contre la "
            "chaîne d'approvisionnement logicielle."
        ),
        "body": [
            paragraph(
                "<p>L'Agence de l'Union européenne pour la cybersécurité publie chaque automne sa synthèse "
                "des menaces observées sur douze mois. L'édition de cette année ne bouleverse pas le "
                "classement, mais elle en précise les ressorts : les attaquants professionnalisent leurs "
                "services et se spécialisent.</p>"
            ),
            heading("Les tendances à retenir"),
            paragraph(
                "<ul><li>les rançongiciels combinent désormais chiffrement, vol et menace de publication des "
                "données ;</li><li>l'hameçonnage gagne en crédibilité grâce aux outils d'IA générative ;"
                "</li><li>les attaques par déni de service visent de plus en plus les administrations, sur "
                "fond de tensions géopolitiques ;</li><li>la compromission de fournisseurs reste le moyen "
                "le plus rentable d'atteindre de nombreuses cibles.</li></ul>"
            ),
            heading("Le secteur public en première ligne"),
            paragraph(
                "<p>Les administrations publiques concentrent une part croissante des incidents recensés, "
                "devant la santé et les transports. L'ENISA y voit l'effet combiné de l'hacktivisme et de "
                "systèmes d'information souvent anciens.</p>"
            ),
        ],
        "commentary": (
            "<p>Rien de neuf sur le fond, mais un document utile pour <b>argumenter un budget</b> "
            "devant un comité de direction : les graphiques sont clairs et réutilisables.</p>"
        ),
        "source": ("ENISA", "https://www.enisa.europa.eu/"),
        "when": (3, 1, 3),
        "topics": ["cybersécurité", "rançongiciel"],
        "clusters": ["securite"],
    },
    {
        "slug": "cert-be-vulnerabilites-critiques-passerelles-vpn",
        "title": "CERT.be alerte sur des vulnérabilités critiques dans des passerelles VPN",
        "summary": (
            "Plusieurs failles permettant l'exécution de code à distance touchent des passerelles VPN "
            "très répandues dans les entreprises belges. CERT.be recommande de corriger sans attendre et de "
            "rechercher des traces de compromission."
        ),
        "body": [
            paragraph(
                "<p>L'avis publié par CERT.be porte sur des équipements d'accès distant que de nombreuses "
                "organisations ont déployés dans l'urgence au moment de généraliser le télétravail. Les "
                "vulnérabilités sont exploitées activement : des preuves de concept circulent publiquement.</p>"
            ),
            heading("Que faire ?"),
            paragraph(
                "<ol><li>Appliquer les correctifs du fabricant, ou à défaut ses mesures de contournement ;"
                "</li><li>examiner les journaux de connexion des dernières semaines ;</li><li>renouveler "
                "les secrets (certificats, comptes de service) si l'équipement a été exposé ;</li><li>"
                "signaler tout incident à CERT.be.</li></ol>"
            ),
            quote(
                "Corriger ne suffit pas : un équipement compromis avant le correctif le reste après.",
                "CERT.be",
            ),
        ],
        "commentary": (
            "<p>Deuxième alerte de ce type en six mois sur ces équipements : la grappe Sécurité proposera "
            "un échange sur les alternatives (accès « zero trust ») lors de sa prochaine réunion.</p>"
        ),
        "source": ("CERT.be", "https://cert.be/fr"),
        "when": (1, 1, 0),
        "topics": ["cybersécurité", "vulnérabilités"],
        "clusters": ["securite", "data-centers"],
        "audience": "members",
    },
    {
        "slug": "anssi-administration-securisee-des-systemes-d-information",
        "title": "L'ANSSI met à jour son guide d'administration sécurisée des SI",
        "summary": (
            "L'agence française publie une nouvelle version de ses recommandations pour l'administration "
            "des systèmes d'information. Postes dédiés, comptes séparés, bastion : le socle reste, les "
            "recommandations sur le cloud et l'infogérance sont étoffées."
        ),
        "body": [
            paragraph(
                "<p>Les comptes d'administration sont la cible privilégiée des attaquants : les obtenir, "
                "c'est obtenir tout le reste. Le guide de l'ANSSI décrit une architecture qui les protège, "
                "du poste de l'administrateur jusqu'aux ressources qu'il gère.</p>"
            ),
            heading("Les principes"),
            paragraph(
                "<ul><li>un poste d'administration dédié, qui ne sert ni à la messagerie ni à la navigation ;"
                "</li><li>des comptes d'administration distincts des comptes bureautiques ;</li><li>un "
                "réseau d'administration isolé, accessible par un bastion qui journalise les sessions ;"
                "</li><li>le moindre privilège, y compris pour les prestataires.</li></ul>"
            ),
            heading("Ce qui change"),
            paragraph(
                "<p>La nouvelle version traite longuement de l'administration de ressources en nuage et du "
                "recours à un infogérant : le contrat doit préciser comment le prestataire administre, "
                "depuis où, et avec quels outils.</p>"
            ),
        ],
        "commentary": (
            "<p>Un guide français, mais sans équivalent aussi complet en Belgique. Le chapitre sur "
            "l'infogérance mérite d'être joint à vos cahiers des charges.</p>"
        ),
        "source": ("ANSSI", "https://cyber.gouv.fr/"),
        "when": (5, 3, 4),
        "topics": ["cybersécurité", "bonnes pratiques"],
        "clusters": ["securite"],
    },
    {
        "slug": "publier-un-fichier-security-txt",
        "title": "Publier un fichier security.txt : une mesure simple que les PME négligent",
        "summary": (
            "Le fichier security.txt indique aux chercheurs comment signaler une vulnérabilité. Une étude "
            "sur les sites belges montre qu'il reste rare, alors qu'il se met en place en quelques minutes."
        ),
        "body": [
            paragraph(
                "<p>Normalisé par la RFC 9116, le fichier <code>security.txt</code> se place à une adresse "
                "connue de tous, <code>/.well-known/security.txt</code>. Il donne un contact, une politique "
                "de divulgation et une date d'expiration, pour que l'information ne vieillisse pas en "
                "silence.</p>"
            ),
            heading("Un exemple"),
            code(
                "text",
                "Contact: mailto:securite@exemple.be\n"
                "Expires: 2027-06-30T22:00:00.000Z\n"
                "Preferred-Languages: fr, nl, en\n"
                "Policy: https://www.exemple.be/divulgation-coordonnee\n"
                "Canonical: https://www.exemple.be/.well-known/security.txt",
            ),
            paragraph(
                "<p>Le Centre pour la Cybersécurité Belgique encourage aussi l'adoption d'une politique de "
                "divulgation coordonnée : la loi protège désormais, sous conditions, les chercheurs qui "
                "signalent une faille de bonne foi.</p>"
            ),
        ],
        "commentary": (
            "<p>Cinq minutes de travail, et un signal de sérieux envoyé aux chercheurs comme aux clients. "
            "À faire cette semaine.</p>"
        ),
        "source": ("Centre pour la Cybersécurité Belgique", "https://ccb.belgium.be/"),
        "when": (6, 2, 5),
        "topics": ["cybersécurité", "divulgation coordonnée"],
        "clusters": ["securite", "web"],
    },
    {
        "slug": "cyber-resilience-act-fabricants-objets-connectes",
        "title": "Cyber Resilience Act : ce que les fabricants d'objets connectés doivent préparer",
        "summary": (
            "Le règlement européen sur la cyberrésilience impose la sécurité dès la conception à tout "
            "produit comportant des éléments numériques. Les premières obligations de signalement "
            "s'appliquent avant la fin de la période de transition : les fabricants ont peu de temps."
        ),
        "body": [
            paragraph(
                "<p>Caméras, thermostats, routeurs, logiciels : le Cyber Resilience Act couvre presque tout "
                "ce qui se connecte. Le marquage CE attestera désormais aussi de la cybersécurité du "
                "produit, sur toute sa durée de vie prévue.</p>"
            ),
            heading("Les obligations principales"),
            table(
                [
                    ["Obligation", "Pour qui", "Échéance"],
                    ["Signaler les vulnérabilités exploitées", "Tous les fabricants", "Dès 2026"],
                    ["Sécurité dès la conception, mises à jour", "Tous les fabricants", "Fin 2027"],
                    ["Évaluation par un tiers", "Produits « critiques »", "Fin 2027"],
                ],
                "Calendrier indicatif, à vérifier dans le texte du règlement",
            ),
            heading("Un défi pour les PME"),
            paragraph(
                "<p>La Commission reconnaît que les petites entreprises auront besoin d'aide : des lignes "
                "directrices et des bacs à sable réglementaires sont annoncés. Les composants open source "
                "bénéficient d'un régime allégé, à condition de ne pas être commercialisés.</p>"
            ),
            quote(
                "Un produit vendu en Europe devra recevoir des mises à jour de sécurité pendant toute la "
                "période où l'on peut raisonnablement s'attendre à l'utiliser.",
                "Commission européenne",
            ),
        ],
        "commentary": (
            "<p>Les membres qui intègrent des capteurs dans leurs produits doivent inventorier leurs "
            "composants logiciels (SBOM) dès maintenant : c'est le chantier le plus long. Notre synthèse "
            "en une page est jointe.</p>"
        ),
        "source": ("Commission européenne", "https://commission.europa.eu/"),
        "when": (2, 1, 1),
        "topics": ["Cyber Resilience Act", "IoT", "réglementation"],
        "clusters": ["securite", "internet-des-objets"],
        "featured": True,
        "attachment": (
            "Veille - Cyber Resilience Act, synthèse",
            "synthese-cyber-resilience-act.pdf",
            [
                "Cyber Resilience Act - synthèse de la rédaction",
                "1. Inventorier les composants logiciels (SBOM).",
                "2. Organiser le traitement et le signalement des vulnérabilités.",
                "3. Prévoir les mises à jour sur la durée de vie du produit.",
            ],
        ),
    },
    # --- Web ------------------------------------------------------------------------------------
    {
        "slug": "wcag-2-2-nouveaux-criteres",
        "title": "WCAG 2.2 : les nouveaux critères de succès expliqués",
        "summary": (
            "La version 2.2 des règles d'accessibilité du W3C ajoute neuf critères, surtout utiles aux "
            "personnes malvoyantes, aux personnes ayant des troubles cognitifs et aux utilisateurs du "
            "clavier. Elle devient la référence des futures normes européennes."
        ),
        "body": [
            paragraph(
                "<p>Les WCAG 2.2 restent compatibles avec la version précédente : un site conforme à la "
                "2.2 l'est aussi à la 2.1. Les nouveaux critères portent sur la visibilité du focus, la "
                "taille des cibles tactiles, l'authentification et l'aide à la saisie.</p>"
            ),
            heading("Le focus ne doit plus être masqué"),
            paragraph(
                "<p>Un élément qui reçoit le focus au clavier ne peut pas être entièrement caché par un "
                "bandeau collant ou une fenêtre de consentement. Une règle CSS suffit souvent :</p>"
            ),
            code(
                "css",
                ":focus-visible {\n  outline: 3px solid #1d4ed8;\n  outline-offset: 2px;\n}\n"
                "html {\n  scroll-padding-top: 5rem; /* height of the sticky header */\n}",
            ),
            heading("L'authentification sans énigme"),
            paragraph(
                "<p>Les tests cognitifs (recopier des caractères, résoudre un calcul) ne peuvent plus être "
                "la seule voie d'accès : le copier-coller des mots de passe et les gestionnaires de mots de "
                "passe doivent fonctionner.</p>"
            ),
        ],
        "commentary": (
            "<p>Les critères sont raisonnables et la plupart se corrigent en CSS. Demandez la conformité "
            "aux WCAG 2.2 dans vos prochains marchés de développement web.</p>"
        ),
        "source": ("W3C", "https://www.w3.org/"),
        "when": (4, 2, 6),
        "topics": ["accessibilité", "web"],
        "clusters": ["web"],
        "audience": "public",
    },
    {
        "slug": "european-accessibility-act-sites-marchands",
        "title": "European Accessibility Act : les sites marchands aussi doivent être accessibles",
        "summary": (
            "Depuis l'entrée en application de l'acte européen sur l'accessibilité, le commerce "
            "électronique, la banque en ligne et les services de transport doivent être accessibles. Les "
            "microentreprises de services sont exemptées, pas les autres PME."
        ),
        "body": [
            paragraph(
                "<p>Jusqu'ici, l'obligation d'accessibilité numérique visait surtout les sites publics. "
                "L'European Accessibility Act l'étend au secteur privé pour une série de produits et de "
                "services : boutiques en ligne, applications bancaires, billetterie, liseuses.</p>"
            ),
            heading("Les contrôles commencent"),
            paragraph(
                "<p>En Belgique, le SPF Économie est chargé de la surveillance du marché. Les premiers "
                "contrôles viseront les acteurs les plus visibles, sur la base de plaintes et "
                "d'échantillons.</p>"
            ),
            quote(
                "Un site accessible est d'abord un site mieux construit : ce que l'on fait pour les "
                "personnes handicapées profite à tous les clients.",
                "Une responsable de l'expérience utilisateur interrogée par la rédaction",
            ),
        ],
        "commentary": (
            "<p>Beaucoup de PME ignorent qu'elles sont concernées. La grappe Web peut partager un modèle de "
            "déclaration d'accessibilité.</p>"
        ),
        "source": ("Commission européenne", "https://commission.europa.eu/"),
        "when": (1, 2, 3),
        "topics": ["accessibilité", "commerce électronique", "réglementation"],
        "clusters": ["web"],
        "audience": "members",
    },
    {
        "slug": "publicite-en-ligne-sans-cookies-tiers",
        "title": "Publicité en ligne : la fin des cookies tiers se fait attendre",
        "summary": (
            "Les navigateurs retardent ou abandonnent la suppression des cookies tiers, mais les "
            "autorités de protection des données durcissent leurs contrôles sur le consentement. Les "
            "éditeurs de sites avancent dans le brouillard."
        ),
        "body": [
            paragraph(
                "<p>Annoncée depuis plusieurs années, la disparition des cookies tiers dans le navigateur "
                "le plus utilisé n'a pas eu lieu comme prévu. Les alternatives proposées, fondées sur des "
                "catégories d'intérêts calculées localement, peinent à convaincre annonceurs et "
                "régulateurs.</p>"
            ),
            heading("Le consentement reste la règle"),
            paragraph(
                "<p>Quelle que soit la technique, le RGPD et la directive ePrivacy imposent un consentement "
                "libre et éclairé. Les autorités européennes sanctionnent désormais les bandeaux qui rendent "
                "le refus plus difficile que l'acceptation.</p>"
            ),
        ],
        "commentary": (
            "<p>Pour un site B2B, la mesure d'audience sans cookie (et sans consentement, si elle est "
            "bien configurée) suffit souvent. Moins de traceurs, moins de risques.</p>"
        ),
        "source": ("CNIL", "https://www.cnil.fr/"),
        "when": (7, 1, 2),
        "topics": ["RGPD", "publicité", "web"],
        "clusters": ["web"],
    },
    {
        "slug": "http-3-progresse",
        "title": "HTTP/3 dépasse le quart du trafic web mondial",
        "summary": (
            "Le protocole HTTP/3, fondé sur QUIC, poursuit sa progression portée par les grands réseaux de "
            "diffusion de contenu. Les gains sont nets sur les réseaux mobiles, plus discrets sur la fibre."
        ),
        "body": [
            paragraph(
                "<p>Les statistiques publiées par Cloudflare Radar montrent une adoption régulière "
                "d'HTTP/3, désormais activé par défaut dans tous les navigateurs majeurs. Le protocole "
                "remplace TCP par QUIC, qui évite le blocage de toute une connexion par un seul paquet "
                "perdu.</p>"
            ),
            heading("Faut-il l'activer ?"),
            paragraph(
                "<p>Pour un site servi par un CDN, c'est souvent une case à cocher. En hébergement propre, "
                "il faut un serveur web récent et ouvrir le port UDP 443, ce que certains pare-feu "
                "d'entreprise bloquent encore : le navigateur revient alors à HTTP/2.</p>"
            ),
        ],
        "commentary": "<p>Un gain gratuit pour vos utilisateurs mobiles ; vérifiez simplement vos pare-feu.</p>",
        "source": ("Cloudflare Radar", "https://radar.cloudflare.com/"),
        "when": (8, 3, 4),
        "topics": ["performance", "réseaux"],
        "clusters": ["web", "data-centers"],
    },
    {
        "slug": "barometre-maturite-numerique-entreprises-wallonnes",
        "title": "Baromètre Digital Wallonia : la maturité numérique des entreprises wallonnes progresse",
        "summary": (
            "Le nouveau baromètre de Digital Wallonia montre des entreprises mieux équipées, mais encore "
            "prudentes sur la donnée et l'intelligence artificielle. L'écart entre PME et grandes "
            "entreprises se réduit lentement."
        ),
        "body": [
            paragraph(
                "<p>Publié tous les deux ans, le baromètre mesure l'équipement, les usages et la stratégie "
                "numérique des entreprises wallonnes. L'édition de cette année confirme la généralisation "
                "du cloud et des outils collaboratifs, héritage des années de télétravail.</p>"
            ),
            heading("Les chiffres clés"),
            table(
                [
                    ["Indicateur", "Édition précédente", "Cette édition"],
                    ["Entreprises utilisant des services cloud", "58 %", "67 %"],
                    ["Entreprises ayant une stratégie numérique formalisée", "31 %", "38 %"],
                    ["Entreprises utilisant l'IA", "9 %", "17 %"],
                    ["Entreprises vendant en ligne", "22 %", "24 %"],
                ],
                "Part des entreprises wallonnes de 10 personnes et plus (données de démonstration)",
            ),
            heading("La donnée, parent pauvre"),
            paragraph(
                "<p>Peu d'entreprises exploitent réellement leurs données : la plupart les stockent sans les "
                "valoriser. Le baromètre pointe le manque de compétences plutôt que le coût des outils.</p>"
            ),
        ],
        "commentary": (
            "<p>La progression de l'IA est spectaculaire en pourcentage mais part de très bas. Le vrai "
            "sujet reste la stratégie : moins de quatre entreprises sur dix en ont une.</p>"
        ),
        "source": ("Digital Wallonia", "https://www.digitalwallonia.be/"),
        "when": (1, 3, 1),
        "topics": ["transformation numérique", "PME", "IA"],
        "clusters": ["web"],
        "audience": "public",
        "featured": True,
    },
    {
        "slug": "facturation-electronique-marches-publics",
        "title": "Marchés publics : la facture électronique devient la norme entre entreprises",
        "summary": (
            "Après les pouvoirs publics, ce sont les échanges entre entreprises qui passent à la facture "
            "électronique structurée. Les fournisseurs ICT du secteur public ont une longueur d'avance, à "
            "condition d'avoir généralisé Peppol."
        ),
        "body": [
            paragraph(
                "<p>Les entreprises qui répondent à des marchés publics envoient déjà leurs factures via le "
                "réseau Peppol. L'obligation s'étend aux transactions entre entreprises assujetties à la "
                "TVA : le PDF envoyé par courriel ne sera plus une facture valable.</p>"
            ),
            heading("Les points d'attention"),
            paragraph(
                "<ul><li>choisir un point d'accès Peppol ou vérifier que son logiciel comptable en "
                "intègre un ;</li><li>nettoyer les données de base (numéros d'entreprise, références de "
                "commande) ;</li><li>prévoir l'archivage légal des factures structurées.</li></ul>"
            ),
        ],
        "commentary": (
            "<p>Ceux qui facturent déjà des pouvoirs publics n'auront presque rien à changer. Les autres "
            "ont intérêt à s'y mettre avant la cohue des derniers mois.</p>"
        ),
        "source": ("SPF BOSA", "https://bosa.belgium.be/"),
        "when": (7, 3, 3),
        "topics": ["marchés publics", "facturation électronique"],
        "clusters": ["web"],
    },
    # --- Internet des objets ----------------------------------------------------------------------
    {
        "slug": "lorawan-ou-nb-iot-reseaux-bas-debit",
        "title": "LoRaWAN, NB-IoT ou LTE-M : les villes wallonnes choisissent leurs réseaux bas débit",
        "summary": (
            "Compteurs, parkings, qualité de l'air : les projets de ville intelligente se multiplient en "
            "Wallonie. L'Agence du Numérique compare les réseaux bas débit disponibles et leurs coûts."
        ),
        "body": [
            paragraph(
                "<p>Les réseaux dits LPWAN transportent de petits messages sur de longues distances, avec "
                "une consommation d'énergie minime. Trois familles dominent : LoRaWAN, qui fonctionne sur des "
                "fréquences libres, et NB-IoT ou LTE-M, portés par les opérateurs mobiles.</p>"
            ),
            heading("Comparer les technologies"),
            table(
                [
                    ["", "LoRaWAN", "NB-IoT", "LTE-M"],
                    ["Spectre", "Libre (868 MHz)", "Licencié", "Licencié"],
                    ["Débit", "Très faible", "Faible", "Moyen"],
                    ["Mobilité", "Limitée", "Limitée", "Oui"],
                    ["Réseau privé possible", "Oui", "Non", "Non"],
                    ["Autonomie sur pile", "Jusqu'à 10 ans", "Jusqu'à 10 ans", "Quelques années"],
                ],
            ),
            heading("Les leçons des premiers projets"),
            paragraph(
                "<p>Les communes qui ont commencé tôt insistent sur la gouvernance des données plus que sur la "
                "technologie : à qui appartiennent les mesures, qui les publie en open data, qui maintient "
                "les capteurs après la fin du subside ?</p>"
            ),
        ],
        "commentary": (
            "<p>Le choix technique se fait souvent par défaut, celui de l'intégrateur. Les acheteurs "
            "publics gagneraient à exiger la portabilité des capteurs d'un réseau à l'autre.</p>"
        ),
        "source": ("Agence du Numérique", "https://www.adn.be/"),
        "when": (2, 3, 2),
        "topics": ["IoT", "réseaux bas débit", "ville intelligente"],
        "clusters": ["internet-des-objets"],
    },
    {
        "slug": "maintenance-predictive-du-pilote-au-deploiement",
        "title": "Maintenance prédictive : l'industrie passe du pilote au déploiement",
        "summary": (
            "Selon IDC, une majorité d'industriels européens ont dépassé le stade du projet pilote en "
            "maintenance prédictive. Les gains sont réels, mais dépendent surtout de la qualité des données "
            "historiques."
        ),
        "body": [
            paragraph(
                "<p>Capteurs de vibration, de température et de consommation électrique, modèles "
                "d'apprentissage automatique : la maintenance prédictive promet d'intervenir juste avant la "
                "panne. L'étude d'IDC montre que les projets qui réussissent partagent trois traits.</p>"
            ),
            heading("Ce qui fait la différence"),
            paragraph(
                "<ol><li>des historiques de pannes documentés, même imparfaits ;</li><li>une équipe "
                "mixte, maintenance et données, plutôt qu'un projet confié au seul service informatique ;"
                "</li><li>un périmètre de départ restreint à quelques machines critiques.</li></ol>"
            ),
            quote(
                "Le modèle le plus sophistiqué ne remplace pas le technicien qui sait comment sonne une "
                "machine qui va mal : il faut l'associer dès le départ.",
                "Un directeur d'usine cité par IDC",
            ),
        ],
        "commentary": (
            "<p>Conforme à ce que les membres de la grappe Internet des objets observent : les échecs "
            "viennent rarement de la technologie.</p>"
        ),
        "source": ("IDC", "https://www.idc.com/"),
        "when": (4, 0, 5),
        "topics": ["industrie 4.0", "IA", "IoT"],
        "clusters": ["internet-des-objets"],
    },
    {
        "slug": "ibpt-frequences-reseaux-5g-prives",
        "title": "5G industrielle : l'IBPT ouvre des fréquences aux réseaux privés",
        "summary": (
            "Le régulateur belge des télécommunications attribue des fréquences de la bande des 3,8 GHz "
            "aux entreprises qui veulent leur propre réseau 5G. Ports, usines et campus logistiques sont "
            "les premiers candidats."
        ),
        "body": [
            paragraph(
                "<p>Jusqu'ici, un réseau mobile privé passait presque toujours par un opérateur. La décision "
                "de l'IBPT permet à une entreprise d'obtenir une licence locale, pour un site déterminé, et "
                "de déployer son réseau avec l'intégrateur de son choix.</p>"
            ),
            heading("Pour quels usages ?"),
            paragraph(
                "<p>Les véhicules autoguidés, la vidéo de contrôle qualité et la maintenance assistée par "
                "réalité augmentée demandent une latence faible et une couverture fiable, là où le Wi-Fi "
                "montre ses limites dans les grands bâtiments métalliques.</p>"
            ),
        ],
        "commentary": (
            "<p>Une vraie opportunité pour les intégrateurs wallons. Le coût de la licence est modeste ; "
            "celui des compétences ne l'est pas.</p>"
        ),
        "source": ("IBPT", "https://www.ibpt.be/"),
        "when": (6, 0, 2),
        "topics": ["5G", "réseaux privés", "industrie 4.0"],
        "clusters": ["internet-des-objets"],
        "audience": "members",
    },
    {
        "slug": "matter-standard-commun-domotique",
        "title": "Matter : la domotique s'accorde enfin sur un standard commun",
        "summary": (
            "Le standard Matter, soutenu par les grands acteurs de la maison connectée, gagne du terrain. "
            "Pour les fabricants européens, c'est l'occasion de sortir de la dépendance aux écosystèmes "
            "propriétaires."
        ),
        "body": [
            paragraph(
                "<p>Porté par la Connectivity Standards Alliance, Matter définit une couche applicative "
                "commune au-dessus d'IP, de Wi-Fi et de Thread. Un appareil certifié fonctionne avec les "
                "principaux assistants et applications, sans passerelle propriétaire.</p>"
            ),
            heading("Ce qui reste à faire"),
            paragraph(
                "<p>Toutes les catégories d'appareils ne sont pas encore couvertes, et les fonctions "
                "avancées restent souvent réservées à l'application du fabricant. La certification a un "
                "coût que les petites séries amortissent mal.</p>"
            ),
        ],
        "commentary": "<p>Un standard à exiger pour tout équipement de bâtiment acheté dans les prochaines années.</p>",
        "source": ("Connectivity Standards Alliance", "https://csa-iot.org/"),
        "when": (9, 2, 6),
        "topics": ["IoT", "interopérabilité", "domotique"],
        "clusters": ["internet-des-objets"],
    },
    {
        "slug": "agoria-penurie-profils-iot",
        "title": "Agoria : l'industrie technologique manque de profils pour l'IoT et les données",
        "summary": (
            "La fédération de l'industrie technologique estime que les postes vacants dans le numérique "
            "continuent d'augmenter. Les profils à la frontière entre électronique, logiciel et données "
            "sont les plus difficiles à trouver."
        ),
        "body": [
            paragraph(
                "<p>L'étude d'Agoria sur le marché de l'emploi confirme une tension durable : les entreprises "
                "ne trouvent pas les ingénieurs systèmes embarqués, les architectes de données et les "
                "spécialistes de la cybersécurité industrielle dont elles ont besoin.</p>"
            ),
            heading("Les pistes avancées"),
            paragraph(
                "<ul><li>la reconversion de techniciens expérimentés vers les métiers de la donnée ;</li>"
                "<li>l'alternance et les stages longs dans les hautes écoles ;</li><li>l'ouverture aux "
                "profils étrangers, avec des procédures de permis de travail simplifiées.</li></ul>"
            ),
            quote(
                "Nous formons d'excellents ingénieurs, mais pas assez, et nous les perdons trop vite au "
                "profit de nos voisins.",
                "Agoria",
            ),
        ],
        "commentary": (
            "<p>Le club peut jouer un rôle : plusieurs membres proposent des stages croisés entre "
            "entreprises. Parlez-en à la grappe.</p>"
        ),
        "source": ("Agoria", "https://www.agoria.be/"),
        "when": (3, 3, 2),
        "topics": ["emploi", "compétences", "IoT"],
        "clusters": ["internet-des-objets"],
    },
    # --- Data centers -----------------------------------------------------------------------------
    {
        "slug": "uptime-institute-pannes-graves",
        "title": "Uptime Institute : les pannes graves reculent, mais coûtent plus cher",
        "summary": (
            "L'enquête annuelle de l'Uptime Institute constate une baisse de la fréquence des pannes "
            "graves dans les centres de données. Leur coût moyen continue pourtant d'augmenter, et les "
            "erreurs humaines restent en cause dans une majorité de cas."
        ),
        "body": [
            paragraph(
                "<p>Les exploitants de centres de données ont appris de la dernière décennie : redondance "
                "électrique, procédures écrites, exercices. Mais la concentration des charges dans de grands "
                "sites et la dépendance aux services en nuage rendent chaque panne plus coûteuse.</p>"
            ),
            heading("Les causes principales"),
            table(
                [
                    ["Cause", "Part des pannes significatives"],
                    ["Alimentation électrique", "Près de la moitié"],
                    ["Refroidissement", "Environ un cinquième"],
                    ["Réseau et logiciels", "Environ un cinquième"],
                    ["Autres (incendie, tiers)", "Le reste"],
                ],
                "Ordres de grandeur, d'après l'enquête",
            ),
            heading("L'humain au centre"),
            paragraph(
                "<p>Dans la plupart des incidents, une procédure n'a pas été suivie ou n'existait pas. "
                "L'Uptime Institute recommande d'investir dans la formation et les exercices autant que "
                "dans les équipements.</p>"
            ),
            quote(
                "La plupart des pannes que nous étudions étaient évitables avec de meilleures procédures "
                "et une meilleure gestion.",
                "Uptime Institute",
            ),
        ],
        "commentary": (
            "<p>À lire avant la visite de data center organisée par la grappe : nous poserons la question "
            "des exercices de bascule à notre hôte. Le résumé de la rédaction est joint.</p>"
        ),
        "source": ("Uptime Institute", "https://uptimeinstitute.com/"),
        "when": (1, 4, 4),
        "topics": ["data centers", "résilience"],
        "clusters": ["data-centers"],
        "featured": True,
        "attachment": (
            "Veille - Uptime Institute, résumé de l'enquête sur les pannes",
            "resume-enquete-pannes-uptime.pdf",
            [
                "Enquête sur les pannes des centres de données - résumé de la rédaction",
                "Moins de pannes graves, mais plus coûteuses.",
                "Première cause : l'alimentation électrique. Facteur aggravant : les procédures.",
            ],
        ),
    },
    {
        "slug": "efficacite-energetique-data-centers-declaration-pue",
        "title": "Efficacité énergétique : les data centers déclarent leur PUE à l'Europe",
        "summary": (
            "La directive européenne sur l'efficacité énergétique impose aux centres de données d'une "
            "certaine taille de déclarer chaque année leur consommation et leurs indicateurs de performance. "
            "Une base de données européenne rassemble les déclarations."
        ),
        "body": [
            paragraph(
                "<p>À partir de 500 kW de puissance informatique installée, un centre de données doit "
                "publier ses indicateurs : consommation d'énergie, part d'énergie renouvelable, "
                "consommation d'eau, réutilisation de la chaleur. La Commission prépare un système de "
                "notation commun.</p>"
            ),
            heading("Rappel : le calcul du PUE"),
            code(
                "python",
                "def pue(total_facility_kwh, it_equipment_kwh):\n"
                '    """Power Usage Effectiveness: 1.0 would mean no energy spent outside the IT load."""\n'
                "    return total_facility_kwh / it_equipment_kwh\n\n"
                "pue(1_450_000, 1_000_000)  # 1.45",
            ),
            paragraph(
                "<p>Le PUE ne dit rien de l'efficacité des serveurs eux-mêmes : un centre peut afficher un "
                "excellent PUE en hébergeant des machines sous-utilisées. D'où l'intérêt des nouveaux "
                "indicateurs sur la réutilisation de la chaleur et l'origine de l'énergie.</p>"
            ),
        ],
        "commentary": (
            "<p>Les membres qui hébergent chez un tiers doivent demander ces chiffres à leur prestataire : "
            "ils sont désormais publics.</p>"
        ),
        "source": ("Commission européenne", "https://commission.europa.eu/"),
        "when": (2, 4, 3),
        "topics": ["énergie", "data centers", "réglementation"],
        "clusters": ["data-centers"],
    },
    {
        "slug": "cloud-souverain-offres-de-confiance",
        "title": "Cloud souverain : Gartner voit l'Europe chercher ses offres « de confiance »",
        "summary": (
            "Gartner prévoit une forte croissance des dépenses en cloud dit souverain en Europe. Les "
            "entreprises veulent des garanties juridiques sur l'accès aux données, pas seulement une "
            "localisation des serveurs."
        ),
        "body": [
            paragraph(
                "<p>Les lois extraterritoriales et les tensions géopolitiques ont fait de la souveraineté un "
                "critère d'achat. Les grands fournisseurs américains répondent par des offres opérées en "
                "Europe par des entités locales ; les fournisseurs européens misent sur leur origine.</p>"
            ),
            heading("Trois niveaux de souveraineté"),
            paragraph(
                "<ol><li>la localisation des données dans l'Union ;</li><li>l'exploitation par du "
                "personnel et une entité européens ;</li><li>l'immunité aux lois extraterritoriales, "
                "qui suppose un fournisseur sans maison mère hors de l'Union.</li></ol>"
            ),
            heading("Le coût de la confiance"),
            paragraph(
                "<p>Les offres les plus protectrices sont plus chères et souvent moins riches en services. "
                "Gartner recommande de réserver le niveau le plus élevé aux données qui le justifient.</p>"
            ),
        ],
        "commentary": (
            "<p>Une classification des données est le préalable à toute discussion sérieuse. La grille "
            "d'évaluation des prestataires du groupe Gouvernance IT en tient compte.</p>"
        ),
        "source": ("Gartner", "https://www.gartner.com/"),
        "when": (5, 1, 5),
        "topics": ["cloud", "souveraineté"],
        "clusters": ["data-centers", "web"],
    },
    {
        "slug": "refroidissement-liquide-ia-generative",
        "title": "Refroidissement liquide : l'IA générative redessine les salles informatiques",
        "summary": (
            "Les serveurs d'entraînement et d'inférence d'IA dépassent largement ce que l'air peut "
            "refroidir. IDC observe une accélération des projets de refroidissement liquide, y compris "
            "dans des salles existantes."
        ),
        "body": [
            paragraph(
                "<p>Une baie équipée de processeurs graphiques récents peut dissiper plusieurs dizaines de "
                "kilowatts, contre moins de dix pour une baie classique. Le refroidissement direct sur la "
                "puce ou par immersion devient incontournable.</p>"
            ),
            heading("Les conséquences pour les exploitants"),
            paragraph(
                "<ul><li>des planchers renforcés et des circuits d'eau jusqu'aux baies ;</li><li>des "
                "contrats d'hébergement facturés au kilowatt plutôt qu'à l'emplacement ;</li><li>une "
                "chaleur à plus haute température, plus facile à réutiliser.</li></ul>"
            ),
        ],
        "commentary": (
            "<p>Avant d'acheter des serveurs d'IA, vérifiez que votre hébergeur peut les accueillir : "
            "plusieurs membres ont eu la mauvaise surprise.</p>"
        ),
        "source": ("IDC", "https://www.idc.com/"),
        "when": (7, 4, 6),
        "topics": ["IA", "énergie", "refroidissement"],
        "clusters": ["data-centers"],
    },
    {
        "slug": "chaleur-fatale-data-center-reseau-de-chaleur",
        "title": "Chaleur fatale : un data center chauffera des logements à Liège",
        "summary": (
            "Un projet pilote raccorde un centre de données liégeois au réseau de chaleur d'un nouveau "
            "quartier. Une première en Wallonie, soutenue par la Région."
        ),
        "body": [
            paragraph(
                "<p>La chaleur évacuée par les serveurs est le plus souvent perdue. Le projet annoncé par le "
                "SPW Énergie la récupère grâce à des pompes à chaleur, pour alimenter plusieurs centaines de "
                "logements et une école.</p>"
            ),
            heading("Un modèle économique à construire"),
            paragraph(
                "<p>La rentabilité dépend de la distance au réseau de chaleur et de la température de la "
                "chaleur récupérée. Les porteurs du projet espèrent démontrer un modèle reproductible pour "
                "les zones d'activité économique.</p>"
            ),
            quote(
                "Un centre de données bien placé est une chaudière qui ne coûte rien à allumer.",
                "Le porteur du projet",
            ),
        ],
        "commentary": "<p>Un sujet pour la prochaine visite de la grappe Data centers.</p>",
        "source": ("SPW Énergie", "https://energie.wallonie.be/"),
        "when": (0, 0, 1),
        "topics": ["énergie", "chaleur fatale", "data centers"],
        "clusters": ["data-centers"],
        "audience": "members",
    },
    {
        "slug": "gartner-depenses-it-mondiales",
        "title": "Gartner relève ses prévisions de dépenses IT, tirées par l'IA et les data centers",
        "summary": (
            "Les dépenses informatiques mondiales devraient croître nettement l'an prochain selon Gartner. "
            "Les serveurs optimisés pour l'IA tirent la croissance, au détriment d'autres postes "
            "budgétaires."
        ),
        "body": [
            paragraph(
                "<p>Gartner révise ses prévisions à la hausse pour la deuxième fois cette année. Les "
                "investissements des grands fournisseurs de cloud dans les infrastructures d'IA expliquent "
                "l'essentiel de la hausse ; les budgets des entreprises progressent plus modestement.</p>"
            ),
            heading("Des budgets sous tension"),
            paragraph(
                "<p>Beaucoup de DSI financent leurs projets d'IA en rognant ailleurs : renouvellement du "
                "parc, projets d'infrastructure, prestations. Gartner met en garde contre une dette technique "
                "qui se creuse pendant ce temps.</p>"
            ),
        ],
        "commentary": (
            "<p>Le chiffre mondial dit peu de chose de nos budgets ; la tendance à sacrifier le "
            "renouvellement du parc, en revanche, se vérifie chez plusieurs membres.</p>"
        ),
        "source": ("Gartner", "https://www.gartner.com/"),
        "when": (3, 4, 3),
        "topics": ["budgets IT", "IA"],
        "clusters": ["data-centers"],
    },
    # --- Transmédia -------------------------------------------------------------------------------
    {
        "slug": "appel-a-projets-recits-transmedias",
        "title": "Un appel à projets pour les récits transmédias en Wallonie",
        "summary": (
            "Wallimage lance un appel destiné aux producteurs qui développent un univers narratif sur "
            "plusieurs supports : série, jeu, podcast, expérience immersive. Les dossiers sont attendus "
            "dans deux mois."
        ),
        "body": [
            paragraph(
                "<p>L'appel vise les projets conçus dès le départ pour plusieurs supports, et non "
                "l'adaptation d'une œuvre existante. Les producteurs doivent démontrer la cohérence de "
                "l'univers et la complémentarité des supports.</p>"
            ),
            heading("Conditions principales"),
            paragraph(
                "<ul><li>une société de production établie en Wallonie ;</li><li>au moins deux supports "
                "de diffusion distincts, dont un interactif ;</li><li>un cofinancement privé ou "
                "international d'au moins un tiers du budget.</li></ul>"
            ),
        ],
        "commentary": (
            "<p>Les studios de jeu membres du club ont une carte à jouer comme partenaires : les "
            "producteurs audiovisuels cherchent des compétences interactives.</p>"
        ),
        "source": ("Wallimage", "https://www.wallimage.be/"),
        "when": (2, 0, 1),
        "topics": ["financement", "audiovisuel", "appel à projets"],
        "clusters": ["transmedia"],
    },
    {
        "slug": "plateformes-de-streaming-contribution-creation-locale",
        "title": "Streaming : les plateformes contribuent davantage à la création locale",
        "summary": (
            "La transposition de la directive Services de médias audiovisuels oblige les plateformes de "
            "vidéo à la demande à investir dans la production belge francophone. Le CSA publie un premier "
            "bilan des montants engagés."
        ),
        "body": [
            paragraph(
                "<p>Les plateformes actives en Fédération Wallonie-Bruxelles doivent soit contribuer à un "
                "fonds, soit investir directement dans des productions locales. Le premier bilan du CSA "
                "montre que la plupart ont choisi l'investissement direct.</p>"
            ),
            heading("Qui en profite ?"),
            paragraph(
                "<p>Les séries de fiction captent l'essentiel des montants. Les producteurs de documentaires "
                "et de formats interactifs plaident pour une meilleure répartition.</p>"
            ),
        ],
        "commentary": (
            "<p>Les formats interactifs restent les parents pauvres ; la grappe Transmédia prépare une "
            "contribution à la prochaine évaluation du dispositif.</p>"
        ),
        "source": ("CSA", "https://www.csa.be/"),
        "when": (4, 3, 4),
        "topics": ["audiovisuel", "réglementation"],
        "clusters": ["transmedia"],
    },
    {
        "slug": "ai-act-transparence-donnees-entrainement",
        "title": "AI Act : les modèles d'IA générative doivent documenter leurs données d'entraînement",
        "summary": (
            "Les fournisseurs de modèles d'IA à usage général doivent publier un résumé des contenus "
            "utilisés pour l'entraînement. Les ayants droit y voient un premier outil pour faire valoir "
            "leur droit d'opposition."
        ),
        "body": [
            paragraph(
                "<p>Le règlement européen sur l'intelligence artificielle impose aux fournisseurs de modèles "
                "à usage général une documentation technique et le respect du droit d'auteur. Le modèle de "
                "résumé publié par l'Office européen de l'IA précise le niveau de détail attendu.</p>"
            ),
            heading("Ce que cela change pour les créateurs"),
            paragraph(
                "<p>Les éditeurs, producteurs et auteurs peuvent réserver leurs droits, par exemple au moyen "
                "de métadonnées lisibles par machine. Le résumé leur permettra, en principe, de vérifier si "
                "leurs œuvres ont été utilisées.</p>"
            ),
            quote(
                "La transparence n'est pas une fin en soi, mais sans elle aucun droit ne peut être exercé.",
                "Une représentante des sociétés d'auteurs",
            ),
            heading("Et pour les entreprises utilisatrices ?"),
            paragraph(
                "<p>Les entreprises qui intègrent un modèle dans leurs produits ne sont pas fournisseurs du "
                "modèle, mais elles ont intérêt à exiger cette documentation dans leurs contrats.</p>"
            ),
        ],
        "commentary": (
            "<p>Un progrès réel, mais le niveau de détail reste modeste. Ajoutez une clause de documentation "
            "des données dans vos contrats d'IA.</p>"
        ),
        "source": ("Commission européenne", "https://commission.europa.eu/"),
        "when": (1, 2, 2),
        "topics": ["IA", "AI Act", "droits d'auteur"],
        "clusters": ["transmedia", "web"],
    },
    {
        "slug": "podcasts-audiences-fragmentees",
        "title": "Podcasts et audio numérique : des audiences qui se fragmentent",
        "summary": (
            "L'écoute de podcasts progresse en Belgique francophone, mais elle se disperse entre plateformes "
            "et formats. Les diffuseurs misent sur la vidéo et les extraits courts pour recruter de nouveaux "
            "auditeurs."
        ),
        "body": [
            paragraph(
                "<p>Les dernières mesures d'audience du CIM confirment l'installation du podcast dans les "
                "habitudes, surtout chez les moins de 35 ans. Les plateformes vidéo deviennent un point "
                "d'entrée majeur, au point que de nombreux podcasts sont désormais filmés.</p>"
            ),
            heading("Un marché publicitaire encore modeste"),
            paragraph(
                "<p>La fragmentation complique la mesure et donc la vente d'espaces publicitaires. Les "
                "producteurs indépendants vivent surtout de commandes de marques et d'institutions.</p>"
            ),
        ],
        "commentary": (
            "<p>Le podcast de marque reste un bon outil B2B, à condition d'accepter une audience de niche.</p>"
        ),
        "source": ("CIM", "https://www.cim.be/"),
        "when": (8, 1, 5),
        "topics": ["audio", "médias"],
        "clusters": ["transmedia"],
        "audience": "members",
    },
    {
        "slug": "musees-parcours-immersifs-realite-etendue",
        "title": "Réalité étendue : les musées misent sur les parcours immersifs",
        "summary": (
            "Plusieurs musées belges ont ouvert des parcours en réalité virtuelle ou augmentée. Les "
            "premiers retours montrent un public rajeuni, mais des coûts d'exploitation souvent sous-estimés."
        ),
        "body": [
            paragraph(
                "<p>Casques, tablettes, salles de projection à 360 degrés : les institutions culturelles "
                "expérimentent. Les projets les plus réussis racontent une histoire plutôt que de montrer "
                "une prouesse technique.</p>"
            ),
            heading("Les coûts cachés"),
            paragraph(
                "<p>Désinfection et recharge des casques, personnel d'accueil, mises à jour des contenus : "
                "l'exploitation coûte souvent plus que la production, un point que les appels d'offres "
                "oublient.</p>"
            ),
        ],
        "commentary": (
            "<p>Un terrain de rencontre naturel entre nos grappes Transmédia et Jeux sérieux, qui "
            "pourraient organiser une visite commune.</p>"
        ),
        "source": ("Digital Wallonia", "https://www.digitalwallonia.be/"),
        "when": (9, 4, 7),
        "topics": ["réalité virtuelle", "culture"],
        "clusters": ["transmedia", "jeux-serieux"],
    },
    # --- Jeux sérieux -----------------------------------------------------------------------------
    {
        "slug": "simulation-formation-securite-industrielle",
        "title": "Jeux sérieux : la formation à la sécurité industrielle passe à la simulation",
        "summary": (
            "Des industriels belges forment leurs opérateurs aux situations dangereuses dans des "
            "simulateurs inspirés du jeu vidéo. Agoria présente des résultats encourageants sur la "
            "mémorisation des procédures."
        ),
        "body": [
            paragraph(
                "<p>Une fuite de gaz, un départ de feu, une machine qui s'emballe : ces situations ne se "
                "répètent pas en vrai. Les simulateurs permettent de les vivre, d'échouer et de recommencer, "
                "sans risque.</p>"
            ),
            heading("Des effets mesurés"),
            paragraph(
                "<p>Les entreprises interrogées observent une meilleure mémorisation des procédures "
                "d'urgence plusieurs mois après la formation, par rapport aux sessions classiques en salle. "
                "Le coût de développement reste élevé mais se partage entre sites.</p>"
            ),
            quote(
                "Les opérateurs ont demandé à refaire l'exercice. Je n'avais jamais entendu ça après une "
                "formation sécurité.",
                "Un responsable prévention cité par Agoria",
            ),
        ],
        "commentary": (
            "<p>Les studios de la grappe Jeux sérieux cherchent des industriels pour mutualiser un "
            "simulateur : avis aux membres de la grappe Internet des objets.</p>"
        ),
        "source": ("Agoria", "https://www.agoria.be/"),
        "when": (3, 2, 4),
        "topics": ["formation", "simulation", "jeux sérieux"],
        "clusters": ["jeux-serieux", "internet-des-objets"],
    },
    {
        "slug": "jeu-video-wallon-a-l-export",
        "title": "Le jeu vidéo wallon se structure et vise l'export",
        "summary": (
            "Les studios wallons de jeu vidéo s'organisent pour peser davantage sur les salons "
            "internationaux. L'AWEX soutient une présence commune et des missions vers l'Amérique du Nord."
        ),
        "body": [
            paragraph(
                "<p>Une quarantaine de studios, pour la plupart de petite taille, composent le secteur. "
                "Leur visibilité à l'étranger passe par des pavillons communs sur les grands salons "
                "professionnels, que l'AWEX cofinance.</p>"
            ),
            heading("Au-delà du divertissement"),
            paragraph(
                "<p>Nombre de ces studios tirent une part importante de leur chiffre d'affaires de commandes "
                "d'entreprises et d'institutions : formation, communication, médiation culturelle. Cette "
                "diversification les a aidés à traverser les années difficiles du marché.</p>"
            ),
        ],
        "commentary": (
            "<p>Les missions économiques du club peuvent accueillir des studios : nous en avons parlé à l'AWEX.</p>"
        ),
        "source": ("AWEX", "https://www.awex.be/"),
        "when": (5, 4, 3),
        "topics": ["jeux vidéo", "export"],
        "clusters": ["jeux-serieux"],
    },
    {
        "slug": "ludifier-la-sensibilisation-au-hameconnage",
        "title": "Ludifier la sensibilisation à l'hameçonnage : le retour d'expérience d'une administration",
        "summary": (
            "Une administration régionale a remplacé ses campagnes de faux courriels par un jeu d'enquête "
            "en équipe. Le taux de signalement des vrais courriels suspects a nettement augmenté."
        ),
        "body": [
            paragraph(
                "<p>Les simulations d'hameçonnage classiques ont un effet pervers : le personnel piégé se "
                "sent humilié et n'ose plus signaler ses erreurs. L'administration a préféré un jeu où les "
                "équipes enquêtent sur une attaque fictive.</p>"
            ),
            heading("Le dispositif"),
            paragraph(
                "<ul><li>des équipes de cinq personnes, de services différents ;</li><li>une heure de jeu, "
                "sur le temps de travail ;</li><li>un débriefing avec l'équipe de sécurité, qui explique "
                "ce qui se passe après un signalement.</li></ul>"
            ),
            quote(
                "Nous ne voulons pas des agents qui ne cliquent jamais, mais des agents qui préviennent "
                "vite quand ils ont cliqué.",
                "La responsable de la sécurité de l'administration",
            ),
        ],
        "commentary": (
            "<p>Un bel exemple de rencontre entre nos grappes Sécurité et Jeux sérieux. Les campagnes "
            "Safeonweb fournissent du matériel réutilisable.</p>"
        ),
        "source": ("Safeonweb", "https://safeonweb.be/"),
        "when": (0, 1, 2),
        "topics": ["cybersécurité", "sensibilisation", "jeux sérieux"],
        "clusters": ["jeux-serieux", "securite"],
    },
    {
        "slug": "jeux-serieux-en-sante-evaluation-clinique",
        "title": "Jeux sérieux en santé : l'évaluation clinique devient la norme",
        "summary": (
            "Les projets de jeux thérapeutiques financés par Horizon Europe doivent désormais prévoir une "
            "évaluation clinique rigoureuse. Une exigence qui professionnalise le secteur, mais allonge les "
            "délais."
        ),
        "body": [
            paragraph(
                "<p>Rééducation, gestion de la douleur, troubles de l'attention : les jeux à visée "
                "thérapeutique se multiplient. Les programmes européens financent désormais surtout ceux "
                "qui prouvent leur efficacité par des essais comparatifs.</p>"
            ),
            heading("Le cadre du dispositif médical"),
            paragraph(
                "<p>Un jeu qui revendique un effet thérapeutique peut relever du règlement sur les "
                "dispositifs médicaux. Marquage CE, gestion des risques, surveillance après mise sur le "
                "marché : les studios doivent s'entourer de partenaires cliniques et réglementaires.</p>"
            ),
        ],
        "commentary": (
            "<p>Le chemin est long, mais les financements existent. Les consortiums avec un hôpital "
            "universitaire ont le plus de chances.</p>"
        ),
        "source": ("Commission européenne", "https://commission.europa.eu/"),
        "when": (6, 4, 6),
        "topics": ["santé", "financement européen", "jeux sérieux"],
        "clusters": ["jeux-serieux"],
    },
]

# Feeds the editors follow, shipped as files so that `manage.py poll_sources` works offline.
WATCH_SOURCES = [
    ("Agence du Numérique — actualités (démo)", "agence-numerique.xml", "transformation numérique, PME"),
    ("CERT — avis de sécurité (démo)", "cert-securite.xml", "cybersécurité, vulnérabilités"),
]

# ---------------------------------------------------------------------------------------------
# Knowledge base
# ---------------------------------------------------------------------------------------------

KNOWLEDGE_INTRODUCTION = (
    "<p>Les guides du club : ce que nos formations, nos groupes de travail et nos experts ont appris, "
    "mis par écrit pour durer. Chaque guide indique sa date de dernière relecture ; signalez-nous ce qui "
    "a changé depuis.</p>"
)

# slug, title, introduction
CATEGORIES = [
    (
        "marches-publics",
        "Marchés publics",
        "<p>Répondre aux appels d'offres publics, les rédiger, les gagner : les guides du groupe "
        "<b>Marchés publics</b> et de nos sessions de formation.</p>",
    ),
    (
        "gouvernance-et-strategie-it",
        "Gouvernance et stratégie IT",
        "<p>La place de l'informatique dans les décisions de l'organisation : tableaux de bord, portefeuille "
        "de projets, relations avec les prestataires.</p>",
    ),
    (
        "securite-et-conformite",
        "Sécurité et conformité",
        "<p>Des repères pour les dirigeants et les responsables de la sécurité : NIS2, RGPD, gestion de "
        "crise et hygiène informatique.</p>",
    ),
]

# reviewed: days since the last review (over a year: the editors' review report lists it).
KNOWLEDGE_ARTICLES = [
    # --- Marchés publics --------------------------------------------------------------------------
    {
        "category": "marches-publics",
        "slug": "tirer-parti-des-marches-publics",
        "title": "Tirer parti des marchés publics",
        "summary": (
            "Les pouvoirs publics sont parmi les premiers acheteurs de services informatiques. Ce guide, "
            "tiré de la session de formation du club, explique comment repérer les marchés, choisir ceux "
            "qui valent la peine et construire une offre qui gagne."
        ),
        "body": [
            paragraph(
                "<p>Beaucoup de PME du numérique renoncent aux marchés publics, qu'elles jugent trop "
                "lourds ou réservés aux grands groupes. C'est une erreur : une part importante des marchés "
                "est de taille modeste, et les acheteurs publics cherchent à élargir la concurrence.</p>"
            ),
            heading("Repérer les marchés"),
            paragraph(
                "<p>Les avis de marché belges sont publiés sur la plateforme e-Procurement de l'État "
                "fédéral ; les marchés européens au Journal officiel de l'Union (TED). Une veille par "
                "mots-clés et codes CPV, complétée par un contact régulier avec les acheteurs de votre "
                "région, suffit à voir passer l'essentiel.</p>"
            ),
            heading("Les procédures et leurs seuils"),
            table(
                [
                    ["Procédure", "Quand ?", "Ce que cela implique pour vous"],
                    ["Faible montant", "Petits achats", "Une simple facture acceptée ; se faire connaître"],
                    [
                        "Procédure négociée sans publication",
                        "Sous le seuil national",
                        "Être invité : l'acheteur consulte au moins trois entreprises",
                    ],
                    ["Procédure ouverte", "Tous montants", "Offre complète en une fois, pas de négociation"],
                    [
                        "Procédure concurrentielle avec négociation",
                        "Besoins complexes",
                        "Sélection sur dossier, puis négociation de l'offre",
                    ],
                ],
                "Les seuils sont revus régulièrement : vérifiez les montants en vigueur",
            ),
            heading("Décider d'y aller ou non"),
            paragraph(
                "<p>Avant de répondre, posez-vous quatre questions : le besoin correspond-il à notre "
                "savoir-faire ? Remplissons-nous les critères de sélection (chiffre d'affaires, références) ? "
                "Le délai est-il tenable ? Le prix que nous pouvons proposer est-il réaliste face aux "
                "critères d'attribution ?</p>"
            ),
            quote(
                "Le meilleur marché public est celui auquel on a renoncé à temps : une offre bâclée coûte "
                "plus cher qu'aucune offre.",
                "Claire Dubois, formation du club",
            ),
            heading("Construire l'offre"),
            paragraph(
                "<p>Répondez point par point au cahier des charges, dans son ordre et avec ses mots. "
                "Les évaluateurs notent avec une grille : facilitez-leur la tâche. Si vous ne remplissez pas "
                "seuls les critères de sélection, l'association momentanée ou le recours à la capacité "
                "d'un partenaire sont prévus par la loi.</p>"
            ),
        ],
        "authors": ["claire"],
        "topics": ["marchés publics", "PME"],
        "clusters": [],
        "reviewed": 40,
        "audience": "public",
        "related": ["rediger-un-cahier-des-charges-informatique", "criteres-d-attribution", "accords-cadres"],
    },
    {
        "category": "marches-publics",
        "slug": "rediger-un-cahier-des-charges-informatique",
        "title": "Rédiger un cahier des charges informatique",
        "summary": (
            "Un cahier des charges bien écrit attire de meilleures offres et évite les litiges. Les conseils "
            "du groupe Marchés publics pour décrire un besoin informatique sans imposer une solution, avec "
            "le modèle du club en annexe."
        ),
        "body": [
            paragraph(
                "<p>Le cahier des charges est le seul document qui engage à la fois l'acheteur et le "
                "fournisseur. Trop vague, il produit des offres incomparables ; trop précis, il décrit le "
                "produit d'un seul fournisseur et s'expose à un recours.</p>"
            ),
            heading("Décrire le besoin, pas la solution"),
            paragraph(
                "<p>Exprimez des exigences fonctionnelles et des niveaux de service plutôt que des marques "
                "ou des références de produits. Quand une référence est indispensable, ajoutez la mention "
                "« ou équivalent » et dites ce qui rend une solution équivalente.</p>"
            ),
            heading("Les clauses à ne pas oublier"),
            paragraph(
                "<ul><li>la réversibilité : restitution des données, format, délai et assistance ;</li>"
                "<li>la localisation et la protection des données personnelles (sous-traitance au sens du "
                "RGPD) ;</li><li>les niveaux de service et leurs pénalités ;</li><li>la propriété "
                "intellectuelle des développements spécifiques ;</li><li>l'accessibilité des interfaces.</li>"
                "</ul>"
            ),
            heading("Relire avec un fournisseur… avant la publication"),
            paragraph(
                "<p>La consultation préalable du marché est permise, à condition de la documenter et de "
                "partager avec tous les candidats l'information donnée à un seul. Elle évite bien des "
                "exigences irréalistes.</p>"
            ),
        ],
        "authors": ["claire", "lead"],
        "topics": ["marchés publics", "cahier des charges"],
        "clusters": [],
        "reviewed": 95,
        "related": ["tirer-parti-des-marches-publics", "reversibilite-preparer-la-sortie"],
        "attachment": (
            "Base de connaissances - modèle de cahier des charges informatique",
            "modele-cahier-des-charges.pdf",
            [
                "Modèle de cahier des charges informatique - groupe Marchés publics",
                "1. Contexte et objectifs  2. Exigences fonctionnelles  3. Niveaux de service",
                "4. Réversibilité  5. Protection des données  6. Critères d'attribution",
            ],
        ),
    },
    {
        "category": "marches-publics",
        "slug": "criteres-d-attribution",
        "title": "Les critères d'attribution : prix, qualité et réversibilité",
        "summary": (
            "Comment les acheteurs publics départagent-ils les offres ? Pondération, méthodes de notation, "
            "pièges du prix anormalement bas : ce qu'un soumissionnaire doit comprendre pour maximiser sa note."
        ),
        "body": [
            paragraph(
                "<p>Le prix n'est presque jamais le seul critère d'un marché informatique. La qualité "
                "technique, la méthodologie, l'équipe proposée et, de plus en plus, la réversibilité et "
                "l'impact environnemental sont pondérés dans le cahier des charges.</p>"
            ),
            heading("Lire la pondération"),
            paragraph(
                "<p>La pondération dit ce qui compte pour l'acheteur. Un critère prix à 30 % signifie "
                "qu'une offre plus chère mais nettement meilleure peut l'emporter : investissez alors dans "
                "la qualité de la réponse technique.</p>"
            ),
            heading("Les méthodes de notation du prix"),
            table(
                [
                    ["Méthode", "Formule", "Effet"],
                    ["Proportionnelle", "Prix le plus bas / prix de l'offre", "Écarts de prix atténués"],
                    ["Linéaire", "Points perdus par tranche d'écart", "Écarts de prix amplifiés"],
                ],
            ),
            heading("Le prix anormalement bas"),
            paragraph(
                "<p>Un prix nettement inférieur aux autres offres oblige l'acheteur à demander des "
                "justifications. Préparez-les : une offre écartée pour prix anormal ne se rattrape pas.</p>"
            ),
        ],
        "authors": ["claire"],
        "topics": ["marchés publics", "critères d'attribution"],
        "clusters": [],
        "reviewed": 470,
        "related": [],
    },
    {
        "category": "marches-publics",
        "slug": "accords-cadres",
        "title": "Accords-cadres et centrales d'achat : mode d'emploi pour les PME",
        "summary": (
            "Une grande part des achats informatiques publics passe par des accords-cadres et des "
            "centrales d'achat. Comment y entrer, comment y rester, et comment travailler avec les "
            "titulaires quand on n'en est pas."
        ),
        "body": [
            paragraph(
                "<p>Un accord-cadre fixe pour plusieurs années les conditions auxquelles des pouvoirs publics "
                "pourront commander. Les centrales d'achat, fédérales ou régionales, les concluent au "
                "bénéfice de nombreux adhérents : communes, écoles, hôpitaux.</p>"
            ),
            heading("Pourquoi c'est important"),
            paragraph(
                "<p>Une fois l'accord-cadre attribué, les commandes vont aux titulaires sans nouvelle mise "
                "en concurrence. Manquer l'appel d'offres, c'est souvent être absent du marché pendant "
                "quatre ans.</p>"
            ),
            heading("Les stratégies possibles"),
            paragraph(
                "<ol><li>répondre en association momentanée avec des partenaires complémentaires ;</li>"
                "<li>devenir sous-traitant d'un titulaire, en négociant des conditions écrites ;</li>"
                "<li>viser les lots, quand l'accord-cadre est divisé, plutôt que le marché entier.</li></ol>"
            ),
            heading("Suivre l'exécution"),
            paragraph(
                "<p>Un accord-cadre ne garantit aucun volume. Les titulaires qui réussissent font connaître "
                "activement leur offre aux adhérents de la centrale.</p>"
            ),
        ],
        "authors": ["claire", "thierry"],
        "topics": ["marchés publics", "PME"],
        "clusters": [],
        "reviewed": 120,
        "related": [],
    },
    # --- Gouvernance et stratégie IT --------------------------------------------------------------
    {
        "category": "gouvernance-et-strategie-it",
        "slug": "tableau-de-bord-du-dsi",
        "title": "Le tableau de bord du DSI pour le conseil d'administration",
        "summary": (
            "Que montrer à un conseil d'administration qui a dix minutes pour l'informatique ? Les "
            "indicateurs retenus par le groupe Gouvernance IT, et la manière de les présenter."
        ),
        "body": [
            paragraph(
                "<p>Les administrateurs ne veulent pas un inventaire technique : ils veulent savoir si "
                "l'informatique soutient la stratégie, si les grands projets tiennent leurs promesses et si "
                "les risques sont maîtrisés.</p>"
            ),
            heading("Les indicateurs retenus"),
            table(
                [
                    ["Domaine", "Indicateur", "Fréquence"],
                    ["Stratégie", "Part du budget consacrée aux projets de transformation", "Annuelle"],
                    ["Projets", "Avancement et écart budgétaire des cinq plus grands projets", "Trimestrielle"],
                    ["Service", "Disponibilité des applications critiques", "Trimestrielle"],
                    ["Risques", "Niveau de maturité cybersécurité, incidents significatifs", "Trimestrielle"],
                    ["Ressources", "Dépendance envers les principaux fournisseurs", "Annuelle"],
                ],
            ),
            heading("Présenter sans noyer"),
            paragraph(
                "<p>Une page, des tendances plutôt que des valeurs isolées, et un code couleur expliqué. "
                "Gardez le détail en annexe pour les administrateurs qui le demandent.</p>"
            ),
            heading("Faire vivre le tableau de bord"),
            paragraph(
                "<p>Les indicateurs doivent changer quand la stratégie change. Revoyez-les chaque année "
                "avec le président du comité d'audit.</p>"
            ),
        ],
        "authors": ["lead", "thierry"],
        "topics": ["gouvernance", "tableau de bord"],
        "clusters": [],
        "reviewed": 30,
        "related": ["evaluer-un-prestataire-cloud", "piloter-un-portefeuille-de-projets"],
    },
    {
        "category": "gouvernance-et-strategie-it",
        "slug": "evaluer-un-prestataire-cloud",
        "title": "Évaluer un prestataire cloud : la grille du club",
        "summary": (
            "La grille d'évaluation adoptée par le groupe Gouvernance IT : localisation des données, "
            "réversibilité, niveaux de service, coûts complets. Comment l'utiliser et l'adapter."
        ),
        "body": [
            paragraph(
                "<p>Comparer des offres cloud est difficile : les modèles de prix diffèrent, les contrats "
                "sont longs et les engagements de service rédigés par les fournisseurs. La grille du club "
                "ramène la comparaison à une vingtaine de questions.</p>"
            ),
            heading("Les quatre blocs de la grille"),
            paragraph(
                "<ol><li><b>Données</b> : où sont-elles, qui peut y accéder, sous quel droit ?</li>"
                "<li><b>Réversibilité</b> : comment les récupérer, dans quel format, à quel coût ?</li>"
                "<li><b>Service</b> : disponibilité garantie, support, pénalités effectives ;</li>"
                "<li><b>Coût complet</b> : licences, trafic sortant, stockage, services annexes.</li></ol>"
            ),
            heading("Pondérer selon le contexte"),
            paragraph(
                "<p>Une application de messagerie et un dossier patient n'appellent pas les mêmes "
                "exigences. Commencez par classer les données concernées, puis pondérez les blocs.</p>"
            ),
            heading("Le coût de sortie, révélateur"),
            paragraph(
                "<p>Demandez toujours une estimation chiffrée de la sortie : export des données, trafic "
                "sortant, assistance à la migration. Les écarts entre fournisseurs sont souvent plus grands "
                "que sur le prix de l'abonnement.</p>"
            ),
            quote(
                "La question la plus révélatrice : combien coûte la sortie ? Un fournisseur qui ne sait pas "
                "répondre vous a déjà répondu.",
                "Luc Gérard, DSI",
            ),
        ],
        "authors": ["lead", "premium"],
        "topics": ["cloud", "gouvernance", "achats"],
        "clusters": ["data-centers"],
        "reviewed": 60,
        "related": ["reversibilite-preparer-la-sortie", "rediger-un-cahier-des-charges-informatique"],
    },
    {
        "category": "gouvernance-et-strategie-it",
        "slug": "piloter-un-portefeuille-de-projets",
        "title": "Piloter un portefeuille de projets IT",
        "summary": (
            "Trop de projets lancés, trop peu achevés : la gestion de portefeuille aide à choisir, à "
            "arrêter et à arbitrer. Une méthode simple, éprouvée par plusieurs membres du club."
        ),
        "body": [
            paragraph(
                "<p>La plupart des services informatiques mènent plus de projets qu'ils ne peuvent en "
                "conduire correctement. Le résultat est connu : tout avance lentement, rien n'aboutit à "
                "temps.</p>"
            ),
            heading("Inventorier"),
            paragraph(
                "<p>Listez tous les projets en cours, y compris ceux qui « ne sont pas vraiment des projets ». "
                "Pour chacun : le commanditaire, le bénéfice attendu, la charge restante.</p>"
            ),
            heading("Arbitrer"),
            paragraph(
                "<p>Un comité réunissant la direction générale et les métiers classe les projets selon leur "
                "valeur et leur risque. La règle d'or : un projet n'entre que si un autre sort ou se "
                "termine.</p>"
            ),
            heading("Arrêter"),
            paragraph(
                "<p>Arrêter un projet n'est pas un échec, c'est une décision. Documentez-la et récupérez ce "
                "qui peut l'être.</p>"
            ),
        ],
        "authors": ["thierry"],
        "topics": ["gouvernance", "gestion de projets"],
        "clusters": [],
        "reviewed": 430,
        "related": [],
    },
    {
        "category": "gouvernance-et-strategie-it",
        "slug": "reversibilite-preparer-la-sortie",
        "title": "Réversibilité : préparer la sortie dès la signature du contrat",
        "summary": (
            "Changer de prestataire est toujours plus difficile que prévu. Les clauses, les tests et les "
            "habitudes qui rendent une sortie possible, rassemblés par les grappes Web et Data centers."
        ),
        "body": [
            paragraph(
                "<p>La réversibilité se négocie avant la signature, quand le client a encore du poids. "
                "Après, le prestataire n'a plus intérêt à faciliter le départ de son client.</p>"
            ),
            heading("Dans le contrat"),
            paragraph(
                "<ul><li>un plan de réversibilité annexé, avec un calendrier ;</li><li>des formats "
                "d'export ouverts et documentés ;</li><li>une assistance à la migration à prix fixé "
                "d'avance ;</li><li>une période de coexistence pendant laquelle l'ancien service reste "
                "disponible.</li></ul>"
            ),
            heading("Dans la pratique"),
            paragraph(
                "<p>Testez l'export des données chaque année : un export qui n'a jamais été essayé ne "
                "fonctionne pas. Un membre de la grappe Web utilise ce script pour vérifier qu'un export "
                "est complet :</p>"
            ),
            code(
                "sql",
                "-- Compare the row counts of the export with the production database\n"
                "SELECT 'clients' AS table_name, COUNT(*) FROM clients\n"
                "UNION ALL\n"
                "SELECT 'factures', COUNT(*) FROM factures\n"
                "UNION ALL\n"
                "SELECT 'contrats', COUNT(*) FROM contrats;",
            ),
            heading("Le jour du départ"),
            paragraph(
                "<p>Demandez une attestation de suppression des données à la fin de la période de "
                "coexistence, sans oublier les sauvegardes.</p>"
            ),
        ],
        "authors": ["lead", "claire"],
        "topics": ["cloud", "contrats", "réversibilité"],
        "clusters": ["data-centers", "web"],
        "reviewed": 150,
        "related": [],
    },
    # --- Sécurité et conformité -------------------------------------------------------------------
    {
        "category": "securite-et-conformite",
        "slug": "nis2-en-dix-questions",
        "title": "NIS2 en dix questions pour les dirigeants",
        "summary": (
            "Suis-je concerné ? Que dois-je faire, et pour quand ? Qui contrôle ? Les réponses courtes "
            "de la grappe Sécurité aux questions que les dirigeants posent le plus souvent sur NIS2."
        ),
        "body": [
            paragraph(
                "<p>La directive NIS2, transposée en droit belge, concerne bien plus d'organisations que la "
                "précédente. Ce guide répond aux questions des dirigeants ; il ne remplace pas l'avis d'un "
                "juriste pour les cas limites.</p>"
            ),
            heading("Suis-je concerné ?"),
            paragraph(
                "<p>Si votre organisation relève d'un des secteurs visés et compte au moins 50 personnes "
                "ou réalise plus de 10 millions d'euros de chiffre d'affaires, probablement oui. Certaines "
                "entités le sont quelle que soit leur taille (fournisseurs DNS, administrations "
                "désignées).</p>"
            ),
            heading("Que dois-je faire ?"),
            paragraph(
                "<ol><li>vous enregistrer auprès du Centre pour la Cybersécurité Belgique ;</li><li>mettre "
                "en place des mesures de gestion des risques proportionnées ;</li><li>notifier les incidents "
                "significatifs dans les délais ;</li><li>former les membres de la direction.</li></ol>"
            ),
            heading("Qui contrôle, et comment ?"),
            paragraph(
                "<p>Le CCB est l'autorité nationale. Les entités essentielles font l'objet d'audits "
                "réguliers ; les entités importantes sont contrôlées a posteriori, en cas d'incident ou de "
                "plainte.</p>"
            ),
            quote(
                "Commencez par ce que vous auriez dû faire de toute façon : inventaire, sauvegardes, "
                "authentification forte. La conformité suivra.",
                "Nadia Haddad, RSSI",
            ),
        ],
        "authors": ["nadia"],
        "topics": ["NIS2", "cybersécurité", "gouvernance"],
        "clusters": ["securite"],
        "reviewed": 20,
        "audience": "public",
        "related": ["gerer-une-cyberattaque", "registre-des-traitements-rgpd"],
    },
    {
        "category": "securite-et-conformite",
        "slug": "gerer-une-cyberattaque",
        "title": "Gérer une cyberattaque : les 72 premières heures",
        "summary": (
            "Un rançongiciel a frappé : qui appeler, que couper, que dire ? La chronologie des premières "
            "heures d'une crise, tirée des exercices de la grappe Sécurité et des incidents vécus par des "
            "membres."
        ),
        "body": [
            paragraph(
                "<p>Une cyberattaque est d'abord une crise de l'organisation, pas seulement un incident "
                "technique. Les organisations qui s'en sortent le mieux ont décidé à l'avance qui fait quoi.</p>"
            ),
            heading("Heure 0 à 4 : contenir"),
            paragraph(
                "<p>Isolez les systèmes touchés du réseau sans les éteindre (les traces en mémoire sont "
                "précieuses). Réunissez la cellule de crise, ouvrez un journal des décisions horodaté.</p>"
            ),
            heading("Heure 4 à 24 : comprendre et alerter"),
            paragraph(
                "<p>Faites appel à votre prestataire de réponse à incident. Si vous êtes soumis à NIS2, "
                "l'alerte précoce est due dans les 24 heures. Prévenez l'assureur, et la police si une "
                "rançon est demandée.</p>"
            ),
            heading("Heure 24 à 72 : communiquer et restaurer"),
            paragraph(
                "<p>Informez le personnel, puis les clients et partenaires, avec des messages validés. "
                "Restaurez à partir de sauvegardes vérifiées, en commençant par les services vitaux.</p>"
            ),
            quote(
                "Nous avions un plan. Ce qui nous a sauvés, c'est de l'avoir répété deux fois dans l'année.",
                "Un membre de la grappe Sécurité",
            ),
        ],
        "authors": ["nadia", "editor"],
        "topics": ["cybersécurité", "gestion de crise", "rançongiciel"],
        "clusters": ["securite"],
        "reviewed": 75,
        "related": ["certificats-tls"],
    },
    {
        "category": "securite-et-conformite",
        "slug": "certificats-tls",
        "title": "Surveiller l'expiration de ses certificats TLS",
        "summary": (
            "Un certificat expiré rend un site ou une API inaccessible du jour au lendemain. Inventorier, "
            "automatiser le renouvellement et surveiller : une routine simple, avec un script à adapter."
        ),
        "body": [
            paragraph(
                "<p>Les pannes causées par un certificat expiré sont parmi les plus évitables, et parmi les "
                "plus fréquentes. La durée de vie des certificats raccourcit : ce qui se faisait à la main "
                "une fois par an doit désormais être automatisé.</p>"
            ),
            heading("Inventorier"),
            paragraph(
                "<p>Listez les noms de domaine et les services exposés, y compris les équipements réseau et "
                "les API internes. Les journaux de transparence des certificats aident à retrouver les "
                "oubliés.</p>"
            ),
            heading("Automatiser le renouvellement"),
            paragraph(
                "<p>Le protocole ACME, utilisé par Let's Encrypt et de nombreuses autorités commerciales, "
                "permet un renouvellement sans intervention humaine.</p>"
            ),
            heading("Surveiller"),
            paragraph("<p>Ce script signale les certificats qui expirent dans moins de 21 jours :</p>"),
            code(
                "bash",
                "#!/bin/sh\n"
                "# Warn about certificates that expire within 21 days.\n"
                "for host in www.exemple.be api.exemple.be extranet.exemple.be; do\n"
                '  if ! echo | openssl s_client -connect "$host:443" -servername "$host" 2>/dev/null \\\n'
                "      | openssl x509 -noout -checkend $((21 * 86400)) >/dev/null; then\n"
                '    echo "À renouveler : $host"\n'
                "  fi\n"
                "done",
            ),
        ],
        "authors": ["nadia", "editor"],
        "topics": ["cybersécurité", "certificats", "exploitation"],
        "clusters": ["securite", "web"],
        "reviewed": 540,
        "related": [],
    },
    {
        "category": "securite-et-conformite",
        "slug": "registre-des-traitements-rgpd",
        "title": "RGPD : tenir son registre des traitements à jour",
        "summary": (
            "Le registre des activités de traitement est la pierre angulaire de la conformité au RGPD. "
            "Ce qu'il doit contenir, qui le tient, et comment éviter qu'il devienne un document mort."
        ),
        "body": [
            paragraph(
                "<p>Le registre décrit chaque traitement de données personnelles : sa finalité, les "
                "données concernées, les destinataires, la durée de conservation et les mesures de sécurité. "
                "L'Autorité de protection des données peut le demander à tout moment.</p>"
            ),
            heading("Ce que contient une fiche"),
            table(
                [
                    ["Rubrique", "Exemple : gestion des membres du club"],
                    ["Finalité", "Gestion des adhésions et des cotisations"],
                    ["Données", "Identité, coordonnées professionnelles, organisation"],
                    ["Destinataires", "Secrétariat, trésorier"],
                    ["Durée", "Durée de l'adhésion, puis 7 ans pour les pièces comptables"],
                ],
            ),
            heading("Qui le tient ?"),
            paragraph(
                "<p>Le délégué à la protection des données le coordonne, mais chaque service décrit ses "
                "propres traitements. Un registre écrit par une seule personne est rarement exact.</p>"
            ),
            heading("Le garder vivant"),
            paragraph(
                "<p>Liez la mise à jour du registre aux projets : pas de mise en production d'une "
                "application traitant des données personnelles sans fiche à jour.</p>"
            ),
        ],
        "authors": ["editor", "claire"],
        "topics": ["RGPD", "conformité"],
        "clusters": [],
        "reviewed": 200,
        "related": [],
    },
]


# ---------------------------------------------------------------------------------------------
# Loader
# ---------------------------------------------------------------------------------------------


def load(context):
    home = HomePage.objects.first()
    if home is None:
        context.kept("pas de page d'accueil : veille et base de connaissances non créées")
        return
    clusters = {group.slug: group for group in WorkingGroupPage.objects.filter(kind=WorkingGroupPage.Kind.CLUSTER)}
    _load_watch(context, home, clusters)
    _load_sources(context)
    _load_knowledge(context, home, clusters)


def ensure_section(context, home, model, slug, **fields):
    """The section's index page (one per site): kept as it is if an editor moved or renamed it."""
    existing = model.objects.first()
    if existing is not None:
        context.kept(f"{model._meta.verbose_name} « {existing.title} »")
        return existing
    # Creating it sets up its rights, document collection and review workflow (knowledge/signals.py).
    return ensure_page(context, home, model, slug, **fields)


def section_collection(name, index, setup):
    """The section's document collection, made by the section's setup when the index page was created."""
    return Collection.objects.filter(name=name, depth=2).first() or setup(index)


def ensure_document(context, collection, title, filename, lines):
    Document = get_document_model()
    document = Document.objects.filter(title=title, collection=collection).first()
    if document is not None:
        context.kept(f"document « {title} »")
        return document
    pdf = minimal_pdf(lines)
    document = Document.objects.create(
        title=title, collection=collection, file=ContentFile(pdf, name=filename), file_size=len(pdf)
    )
    context.created(f"document « {title} » dans la collection « {collection.name} »")
    return document


def existing_child(context, parent, slug):
    page = parent.get_children().filter(slug=slug).specific().first()
    if page is not None:
        context.kept(f"{page._meta.verbose_name} « {page.title} »")
    return page


def publish_dated(context, parent, page, *, topics, first_published_at, last_published_at=None):
    """Add and publish a new page, then date its publication back: demo articles are history."""
    page.topics.add(*topics)
    parent.add_child(instance=page)
    page.save_revision().publish()
    backdate(page, first_published_at, last_published_at)
    context.created(f"{page._meta.verbose_name} « {page.title} »")
    return page


def backdate(page, first_published_at, last_published_at=None):
    last_published_at = last_published_at or first_published_at
    type(page).objects.filter(pk=page.pk).update(
        first_published_at=first_published_at,
        last_published_at=last_published_at,
        latest_revision_created_at=last_published_at,
    )
    Revision.objects.filter(pk=page.latest_revision_id).update(created_at=last_published_at)
    page.first_published_at, page.last_published_at = first_published_at, last_published_at


def watch_dates(when, position, now):
    """(publication time, source date) of an article published `weeks` back on `weekday` (0: Monday)."""
    weeks, weekday, lag = when
    today = timezone.localdate(now)
    day = today - datetime.timedelta(days=today.weekday(), weeks=weeks) + datetime.timedelta(days=weekday)
    day = min(day, today)
    published = timezone.make_aware(datetime.datetime.combine(day, datetime.time(8 + position % 9, position * 7 % 60)))
    if published > now:
        published = now - datetime.timedelta(minutes=10 + position)
    return published, day - datetime.timedelta(days=lag)


def _load_watch(context, home, clusters):
    index = ensure_section(
        context,
        home,
        TechWatchIndexPage,
        "veille",
        title="Veille technologique",
        show_in_menus=True,
        introduction=WATCH_INTRODUCTION,
        search_description="La veille technologique du club : les publications qui comptent, résumées et commentées.",
    )
    collection = section_collection(services.WATCH_COLLECTION_NAME, index, services.setup_watch)
    now = timezone.now()
    for position, spec in enumerate(WATCH_ARTICLES):
        if existing_child(context, index, spec["slug"]) is not None:
            continue
        published, source_date = watch_dates(spec["when"], position, now)
        attachments = []
        if spec.get("attachment"):
            document = ensure_document(context, collection, *spec["attachment"])
            attachments = [{"type": "document", "value": document.pk}]
        source_name, source_url = spec["source"]
        page = TechWatchArticlePage(
            slug=spec["slug"],
            title=spec["title"],
            summary=spec["summary"],
            body=spec["body"],
            commentary=spec["commentary"],
            source_name=source_name,
            source_url=source_url,
            source_date=source_date,
            clusters=[clusters[slug] for slug in spec["clusters"] if slug in clusters],
            audience=spec.get("audience", "premium"),
            featured=spec.get("featured", False),
            attachments=attachments,
        )
        publish_dated(context, index, page, topics=spec["topics"], first_published_at=published)


def _load_sources(context):
    # Not polled here: `manage.py poll_sources` (or the scheduler) fills the editors' inbox from them.
    for name, filename, topics in WATCH_SOURCES:
        feed_url = f"{context.base_url}{FEEDS_PATH}{filename}"
        existing = (
            WatchSource.objects.filter(name=name).first() or WatchSource.objects.filter(feed_url=feed_url).first()
        )
        if existing is not None:
            context.kept(f"source de veille « {existing.name} »")
            continue
        WatchSource.objects.create(name=name, feed_url=feed_url, default_topics=topics)
        context.created(f"source de veille « {name} » ({feed_url})")


def _load_knowledge(context, home, clusters):
    index = ensure_section(
        context,
        home,
        KnowledgeIndexPage,
        "connaissances",
        title="Base de connaissances",
        show_in_menus=True,
        introduction=KNOWLEDGE_INTRODUCTION,
        search_description="Les guides du club : marchés publics, gouvernance IT, sécurité et conformité.",
    )
    collection = section_collection(services.KNOWLEDGE_COLLECTION_NAME, index, services.setup_knowledge_base)
    categories = {}
    for slug, title, introduction in CATEGORIES:
        categories[slug] = ensure_page(
            context, index, KnowledgeCategoryPage, slug, title=title, introduction=introduction
        )

    people = get_user_model().objects.in_bulk(
        {username for spec in KNOWLEDGE_ARTICLES for username in spec["authors"]}, field_name="username"
    )
    now = timezone.now()
    articles, created = {}, []
    for position, spec in enumerate(KNOWLEDGE_ARTICLES):
        category = categories[spec["category"]]
        page = existing_child(context, category, spec["slug"])
        if page is None:
            attachments = []
            if spec.get("attachment"):
                document = ensure_document(context, collection, *spec["attachment"])
                attachments = [{"type": "document", "value": document.pk}]
            reviewed = now - datetime.timedelta(days=spec["reviewed"], hours=position)
            page = publish_dated(
                context,
                category,
                KnowledgeArticlePage(
                    slug=spec["slug"],
                    title=spec["title"],
                    summary=spec["summary"],
                    body=spec["body"],
                    last_reviewed=timezone.localdate(reviewed),
                    authors=[people[username] for username in spec["authors"] if username in people],
                    clusters=[clusters[slug] for slug in spec["clusters"] if slug in clusters],
                    audience=spec.get("audience", "members"),
                    attachments=attachments,
                ),
                topics=spec["topics"],
                # First written some months before its last review, for most guides.
                first_published_at=reviewed - datetime.timedelta(days=60 * (position % 4)),
                last_published_at=reviewed,
            )
            created.append((page, spec))
        articles[spec["slug"]] = page

    # The editors' choice of related guides, once all the guides exist.
    for page, spec in created:
        related = [articles[slug] for slug in spec["related"] if slug in articles]
        if not related:
            continue
        page = KnowledgeArticlePage.objects.get(pk=page.pk)
        dates = (page.first_published_at, page.last_published_at)
        page.related_links = [RelatedKnowledgeArticle(related=other) for other in related]
        page.save_revision().publish()
        backdate(page, *dates)
        context.created(f"{len(related)} guide(s) lié(s) à « {page.title} »")
