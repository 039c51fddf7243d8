"""The page tree, tested the way bakerydemo does: which page goes under which, and that the club's staff
can build every section of a fresh install in the admin, with the forms an editor fills in."""

import datetime

from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from events.models import EventIndexPage, EventPage
from home.models import HomePage, StandardPage
from knowledge.models import (
    KnowledgeArticlePage,
    KnowledgeCategoryPage,
    KnowledgeIndexPage,
    TechWatchArticlePage,
    TechWatchIndexPage,
)
from knowledge.services import WORKFLOW_NAME
from opportunities.models import OpportunityIndexPage, OpportunityPage
from tests.factories.events import EventIndexPageFactory
from tests.factories.home import make_site
from tests.factories.knowledge import (
    KnowledgeCategoryPageFactory,
    KnowledgeIndexPageFactory,
    TechWatchIndexPageFactory,
)
from tests.factories.members import make_staff
from tests.factories.opportunities import OpportunityIndexPageFactory
from tests.factories.working_groups import WorkingGroupIndexPageFactory, WorkingGroupPageFactory
from working_groups.models import MeetingNotePage, WorkingGroupIndexPage, WorkingGroupPage

# Every page type of the project, and where each may go.
PARENTS = {
    HomePage: {Page},
    StandardPage: {HomePage, StandardPage},
    WorkingGroupIndexPage: {HomePage},
    WorkingGroupPage: {WorkingGroupIndexPage},
    MeetingNotePage: {WorkingGroupPage},
    TechWatchIndexPage: {HomePage},
    TechWatchArticlePage: {TechWatchIndexPage},
    OpportunityIndexPage: {HomePage},
    OpportunityPage: {OpportunityIndexPage},
    KnowledgeIndexPage: {HomePage},
    KnowledgeCategoryPage: {KnowledgeIndexPage},
    KnowledgeArticlePage: {KnowledgeCategoryPage},
    EventIndexPage: {HomePage},
    EventPage: {EventIndexPage},
}
CHILDREN = {
    HomePage: {
        OpportunityIndexPage,
        StandardPage,
        WorkingGroupIndexPage,
        TechWatchIndexPage,
        KnowledgeIndexPage,
        EventIndexPage,
    },
    StandardPage: {StandardPage},
    WorkingGroupIndexPage: {WorkingGroupPage},
    WorkingGroupPage: {MeetingNotePage},
    MeetingNotePage: set(),
    TechWatchIndexPage: {TechWatchArticlePage},
    TechWatchArticlePage: set(),
    OpportunityIndexPage: {OpportunityPage},
    OpportunityPage: set(),
    KnowledgeIndexPage: {KnowledgeCategoryPage},
    KnowledgeCategoryPage: {KnowledgeArticlePage},
    KnowledgeArticlePage: set(),
    EventIndexPage: {EventPage},
    EventPage: set(),
}
PAGE_TYPES = list(PARENTS)


def page_form(title, **fields):
    """What the admin posts for a page: its title and slug (the admin's script fills the slug), and the
    fields of its type; `comments` is every page form's (empty) inline formset."""
    return nested_form_data({"title": title, "slug": fields.pop("slug"), "comments": inline_formset([]), **fields})


class PageTreeTests(WagtailPageTestCase):
    def test_every_page_type_is_listed(self):
        from wagtail.models import get_page_models

        assert set(get_page_models()) - {Page} == set(PAGE_TYPES)

    def test_allowed_subpage_types(self):
        for parent, children in CHILDREN.items():
            with self.subTest(parent=parent.__name__):
                self.assertAllowedSubpageTypes(parent, children)

    def test_allowed_parent_page_types(self):
        for child, parents in PARENTS.items():
            with self.subTest(child=child.__name__):
                self.assertAllowedParentPageTypes(child, parents)

    def test_each_page_type_is_created_where_it_belongs_and_nowhere_else(self):
        for child, parents in PARENTS.items():
            for parent in PAGE_TYPES:
                with self.subTest(child=child.__name__, parent=parent.__name__):
                    if parent in parents:
                        self.assertCanCreateAt(parent, child)
                    else:
                        self.assertCanNotCreateAt(parent, child)

    def test_the_home_page_sits_under_the_root_only(self):
        self.assertCanCreateAt(Page, HomePage)
        for parent in PAGE_TYPES:
            with self.subTest(parent=parent.__name__):
                self.assertCanNotCreateAt(parent, HomePage)


class FreshInstallTests(WagtailPageTestCase):
    """A fresh install has only the home page; the club's staff add every section in the admin."""

    @classmethod
    def setUpTestData(cls):
        cls.home = make_site()
        cls.staff = make_staff()

    def setUp(self):
        self.client.force_login(self.staff)

    def test_staff_add_a_standard_page_under_the_home_page(self):
        body = streamfield(
            [
                ("heading", {"text": "Notre mission", "level": "h2"}),
                ("paragraph", rich_text("<p>Le club réunit les responsables informatiques.</p>")),
            ]
        )
        data = page_form("Le club", slug="le-club", introduction="Qui nous sommes.", body=body, audience="public")
        self.assertCanCreate(self.home, StandardPage, data)

    def test_staff_add_the_working_groups_index_under_the_home_page(self):
        data = page_form("Groupes de travail", slug="groupes", introduction=rich_text("<p>Les groupes du club.</p>"))
        self.assertCanCreate(self.home, WorkingGroupIndexPage, data)

    def test_staff_add_the_technology_watch_under_the_home_page_and_it_gets_its_review(self):
        data = page_form(
            "Veille technologique", slug="veille", introduction=rich_text("<p>Ce que lisent nos éditeurs.</p>")
        )
        self.assertCanCreate(self.home, TechWatchIndexPage, data)
        watch = TechWatchIndexPage.objects.get()
        assert watch.get_parent().specific == self.home
        assert watch.get_workflow().name == WORKFLOW_NAME

    def test_staff_add_the_knowledge_base_under_the_home_page(self):
        data = page_form(
            "Base de connaissances", slug="connaissances", introduction=rich_text("<p>Les guides du club.</p>")
        )
        self.assertCanCreate(self.home, KnowledgeIndexPage, data)

    def test_staff_add_the_business_opportunities_under_the_home_page_with_their_premium_collection(self):
        from wagtail.models import Collection

        from members.access import collection_audience
        from opportunities.services import COLLECTION_NAME

        data = page_form(
            "Opportunités d'affaires", slug="opportunites", introduction=rich_text("<p>Les appels à projets.</p>")
        )
        self.assertCanCreate(self.home, OpportunityIndexPage, data)
        collection = Collection.objects.get(name=COLLECTION_NAME)
        assert collection_audience(collection.pk) == ("premium", None)

    def test_staff_add_an_opportunity(self):
        index = OpportunityIndexPageFactory(parent=self.home)
        data = page_form(
            "Appel à projets MecaTech",
            slug="appel-mecatech",
            kind="call",
            deadline=datetime.date(2027, 3, 15).isoformat(),
            summary="Ce que tout membre peut lire.",
            issuer="Pôle MecaTech",
            issuer_kind="cluster",
            issuer_organisation="",
            body=rich_text("<p>Le détail de l'appel.</p>"),
            budget="1,5 M€",
            link="https://example.org/appel",
            contact_name="Cellule projets",
            contact_email="projets@example.org",
            sectors="Industrie 4.0, Internet des objets",
            attachments=streamfield([]),
        )
        self.assertCanCreate(index, OpportunityPage, data)

    def test_staff_add_a_working_group_under_the_index(self):
        index = WorkingGroupIndexPageFactory(parent=self.home)
        data = page_form(
            "Gouvernance IT",
            slug="gouvernance-it",
            kind="thematic",
            theme="Gouvernance",
            purpose=rich_text("<p>Le cadre de gouvernance des DSI.</p>"),
            visibility="members",
            join_policy="open",
        )
        self.assertCanCreate(index, WorkingGroupPage, data)

    def test_staff_add_a_meeting_note_under_a_group(self):
        group = WorkingGroupPageFactory(parent=WorkingGroupIndexPageFactory(parent=self.home))
        data = page_form(
            "Réunion de mars",
            slug="reunion-de-mars",
            meeting_date="2026-03-12",
            place="Namur",
            video_link="",
            agenda=rich_text("<p>Tour de table.</p>"),
            outcomes=streamfield([("decision", {"text": "Le groupe adopte la grille."})]),
            attachments=streamfield([]),
        )
        self.assertCanCreate(group, MeetingNotePage, data)

    def test_staff_add_an_article_to_the_watch(self):
        watch = TechWatchIndexPageFactory(parent=self.home)
        data = page_form(
            "L'IA générative dans les marchés publics",
            slug="ia-generative-marches-publics",
            summary="Ce que tout membre peut lire.",
            body=streamfield([("paragraph", rich_text("<p>L'analyse complète.</p>"))]),
            commentary=rich_text("<p>Notre avis.</p>"),
            source_name="Gartner",
            source_date=datetime.date(2026, 11, 2).isoformat(),
            source_url="https://example.org/source",
            topics="IA, marchés publics",
            attachments=streamfield([]),
            audience="premium",
        )
        self.assertCanCreate(watch, TechWatchArticlePage, data)

    def test_staff_add_a_category_to_the_knowledge_base(self):
        index = KnowledgeIndexPageFactory(parent=self.home)
        data = page_form("Marchés publics", slug="marches-publics", introduction=rich_text("<p>Les guides.</p>"))
        self.assertCanCreate(index, KnowledgeCategoryPage, data)

    def test_staff_add_a_guide_to_a_category(self):
        category = KnowledgeCategoryPageFactory(parent=KnowledgeIndexPageFactory(parent=self.home))
        data = page_form(
            "Rédiger un cahier des charges",
            slug="rediger-un-cahier-des-charges",
            summary="Les étapes d'un cahier des charges.",
            body=streamfield(
                [
                    ("heading", {"text": "Contexte", "level": "h2"}),
                    ("paragraph", rich_text("<p>Le guide complet.</p>")),
                ]
            ),
            last_reviewed=datetime.date(2026, 10, 1).isoformat(),
            topics="marchés publics",
            attachments=streamfield([]),
            related_links=inline_formset([]),
            audience="members",
        )
        self.assertCanCreate(category, KnowledgeArticlePage, data)

    def test_staff_add_the_agenda_under_the_home_page(self):
        data = page_form("Agenda", slug="agenda", introduction=rich_text("<p>Les activités du club.</p>"))
        self.assertCanCreate(self.home, EventIndexPage, data)

    def test_staff_add_an_event_to_the_agenda(self):
        agenda = EventIndexPageFactory(parent=self.home)
        data = page_form(
            "Mission économique au Japon",
            slug="mission-japon",
            kind="trade_mission",
            summary="Une semaine à Tokyo avec l'AWEX.",
            start_date="2027-04-12",
            start_time="09:00",
            end_date="2027-04-16",
            end_time="18:00",
            time_zone="Asia/Tokyo",
            venue="Ambassade de Belgique",
            address="Tokyo",
            map_url="",
            online_url="",
            body=rich_text("<p>Le programme de la mission.</p>"),
            speakers=inline_formset([{"name": "Claire Dumont", "role": "AWEX", "member": ""}]),
            programme=streamfield(
                [
                    (
                        "session",
                        {"start_time": "09:30", "end_time": "", "title": "Accueil", "speaker": "", "description": ""},
                    )
                ]
            ),
            partner="AWEX",
            contact_email="missions@example.org",
            audience="members",
            group="",
            capacity="20",
            registration_open="on",
            registration_deadline="",
            price_basic="",
            price_premium="",
        )
        self.assertCanCreate(agenda, EventPage, data)
        event = EventPage.objects.get()
        assert event.starts_at == datetime.datetime(2027, 4, 12, 0, 0, tzinfo=datetime.UTC)  # 9:00 in Tokyo
