from django.db.models.signals import post_migrate, post_save
from django.dispatch import receiver

from . import services
from .models import KnowledgeIndexPage, TechWatchIndexPage


@receiver(post_save, sender=TechWatchIndexPage)
def watch_created(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        services.setup_watch(instance)


@receiver(post_save, sender=KnowledgeIndexPage)
def knowledge_base_created(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        services.setup_knowledge_base(instance)


@receiver(post_migrate)
def grant_after_migrate(sender, app_config=None, using="default", **kwargs):
    # After the last app has migrated: the permissions and the roles' groups exist by then.
    if app_config is None or app_config.label != "knowledge":
        return
    services.grant_model_permissions()
    for index in TechWatchIndexPage.objects.all():
        services.setup_watch(index)
    for index in KnowledgeIndexPage.objects.all():
        services.setup_knowledge_base(index)
