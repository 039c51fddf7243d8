from django.db.models.signals import post_save
from django.dispatch import receiver
from wagtail.signals import page_published

from . import services
from .models import OpportunityIndexPage, OpportunityPage


@receiver(post_save, sender=OpportunityIndexPage)
def index_created(sender, instance, created, raw=False, **kwargs):
    # The section comes with its premium document collection, ready for the editors' attachments.
    if created and not raw:
        services.ensure_collection()


@receiver(page_published, sender=OpportunityPage)
def opportunity_published(sender, instance, **kwargs):
    # Every publication asks: AlertSent keeps it to one e-mail per person, and a cluster added on a later
    # publication alerts its followers then.
    services.opportunity_published(instance)
