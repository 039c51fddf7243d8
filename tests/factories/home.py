import factory
import wagtail_factories
from wagtail.models import Page, Site

from home.models import HomePage, StandardPage


class HomePageFactory(wagtail_factories.PageFactory):
    title = "Accueil"
    slug = "accueil"
    hero_title = "Le club des dirigeants de l'informatique"
    hero_text = "Un cercle indépendant, sur invitation."
    mission = "<p>Promouvoir le secteur ICT.</p>"

    class Meta:
        model = HomePage


class StandardPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Page {n}")
    introduction = "Une page du club."

    class Meta:
        model = StandardPage


def make_site():
    """The club's home page as the default site's root, as load_demo leaves it."""
    root = Page.get_first_root_node()
    home = HomePageFactory(parent=root)
    site = Site.objects.get(is_default_site=True)
    site.root_page = home
    site.save()
    for welcome in root.get_children().exact_type(Page):
        welcome.delete()
    return home
