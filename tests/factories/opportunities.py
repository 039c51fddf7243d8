import datetime

import factory
import wagtail_factories
from django.utils import timezone

from opportunities.models import OpportunityIndexPage, OpportunityPage

# Tests assert that these strings are absent wherever a viewer may not read an opportunity in full.
BODY_MARKER = "DETAILS-RESERVES-PREMIUM"
BUDGET_MARKER = "BUDGET-RESERVE-PREMIUM"
CONTACT_MARKER = "contact-reserve@example.org"
SUMMARY_MARKER = "ACCROCHE-POUR-TOUS"


class OpportunityIndexPageFactory(wagtail_factories.PageFactory):
    title = "Opportunités d'affaires"
    slug = "opportunites"

    class Meta:
        model = OpportunityIndexPage


class OpportunityPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Opportunité {n}")
    kind = "call"
    summary = f"Ce que tout membre peut lire. {SUMMARY_MARKER}"
    body = f"<p>Le détail réservé. {BODY_MARKER}</p>"
    issuer = "Pôle MecaTech"
    issuer_kind = "cluster"
    budget = f"1 M€ {BUDGET_MARKER}"
    contact_name = "Cellule projets"
    contact_email = CONTACT_MARKER
    link = "https://example.org/appel"
    deadline = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))

    class Meta:
        model = OpportunityPage


def make_opportunity(index, *, sectors=(), clusters=(), **fields):
    """A published opportunity under `index`, with its sectors and clusters."""
    opportunity = OpportunityPageFactory.build(**fields)
    index.add_child(instance=opportunity)
    if sectors:
        opportunity.sectors.add(*sectors)
    if clusters:
        opportunity.clusters.set(clusters)
    opportunity.save_revision().publish()
    opportunity.refresh_from_db()
    return opportunity


def days_from_today(days):
    return timezone.localdate() + datetime.timedelta(days=days)
