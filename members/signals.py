"""Keep the stored page audiences and the role groups in step with what changes them."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from wagtail.log_actions import log
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import post_page_move

from . import access, services


@receiver(post_save)
def page_saved(sender, instance, raw=False, **kwargs):
    if raw or not isinstance(instance, Page) or instance.depth is None:
        return
    access.refresh_page_audience(instance)


@receiver(post_page_move)
def page_moved(sender, instance, **kwargs):
    access.refresh_page_audience(Page.objects.get(pk=instance.pk))


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def restriction_changed(sender, instance, **kwargs):
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is not None:
        access.refresh_page_audience(page)


@receiver(m2m_changed, sender=PageViewRestriction.groups.through)
def restriction_groups_changed(sender, instance, action, **kwargs):
    if action.startswith("post_") and isinstance(instance, PageViewRestriction):
        access.refresh_page_audience(Page.objects.get(pk=instance.page_id))


@receiver(m2m_changed, sender=get_user_model().groups.through)
def roles_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """Every role change, from a service, the admin's user editor or a script, leaves an audit entry."""
    if action not in ("post_add", "post_remove") or not pk_set:
        return
    names = sorted(Group.objects.filter(pk__in=pk_set).values_list("name", flat=True))
    users = [instance] if not reverse else list(get_user_model().objects.filter(pk__in=pk_set))
    if reverse:  # group.user_set.add(...): instance is the group
        names = [instance.name]
    key = "added" if action == "post_add" else "removed"
    for user in users:
        log(user, "cercle.roles.change", data={key: names})


@receiver(user_logged_in)
def sync_groups_on_login(sender, request, user, **kwargs):
    services.sync_user_groups(user)
