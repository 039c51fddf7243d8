"""Threads and replies as search documents, for their space's readers only.

A conversation has no teaser that could be shown to people who may only know it exists: its document is
known AND read by the space's READ audience (`Space.read`, with its group), so a private group's thread
is found by nobody outside the group, not even as a count in the facets. The teaser holds only the
space's title, never a member's words.

- A thread's document ("discussion:<id>"): its title, and the opening post's text unless deleted or
  hidden. Dated by its last activity.
- A reply's document ("discussion_reply:<id>", posts numbered 2 and more): "Re: <title>" and its text,
  found at the post's permalink. Deleted or hidden replies have no document.

Spaces of groups whose page is not live are not open: their threads and replies have no document.
When a group's audiences change, `space_audience_changed` rewrites the audiences of every document of
its space in one UPDATE; a group page taken offline takes them away, published again brings them back
(and a new title to their teaser); after a thread moves to another space, `reindex_thread` rebuilds them; a
thread saved with a new title (`update_fields=["title"]`) has its replies' documents rebuilt.
"""

from django.conf import settings
from django.db.models import Prefetch, Q
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from wagtail.signals import page_published, page_unpublished

from search import index
from search.models import SearchDocument
from search.registry import DocumentData, Indexer, register
from working_groups.models import WorkingGroupPage

from . import markup
from .models import Post, Thread

SECTION = "discussions"
SECTION_LABEL = _("Discussions")


def _open(space):
    return space.group_id is None or space.group.live


def _url(name, pk):
    with translation.override(settings.LANGUAGE_CODE):  # the address without a language prefix
        return reverse(f"discussions:{name}", args=[pk])


def _facets(space):
    # Whoever reads the space may know its group (a group page is known at least as widely as read).
    if space.group_id is None:
        return []
    return [("group", str(space.group_id), space.group.title)]


def _document(indexer, obj, space, **fields):
    return DocumentData(
        key=indexer.key(obj),
        kind=indexer.kind,
        object_id=obj.pk,
        section=SECTION,
        know=space.read,
        read=space.read,
        group_id=space.audience_group_id,
        teaser=space.title,
        facets=_facets(space),
        **fields,
    )


@register
class ThreadIndexer(Indexer):
    model = Thread
    kind = "discussion"
    label = _("Discussion")
    section = SECTION
    section_label = SECTION_LABEL

    def queryset(self):
        # Each thread's opening post comes from one prefetch, not one query per thread.
        opening = Prefetch("posts", queryset=Post.objects.filter(number=1), to_attr="opening_posts")
        return Thread.objects.select_related("space", "space__group").prefetch_related(opening)

    def opening_post(self, thread):
        prefetched = getattr(thread, "opening_posts", None)
        if prefetched is not None:
            return prefetched[0] if prefetched else None
        return thread.posts.filter(number=1).first()

    def build(self, thread):
        space = thread.space
        if not _open(space):
            return None
        opening = self.opening_post(thread)
        body = markup.plain_text(opening.html) if opening is not None and opening.is_shown else ""
        return _document(
            self,
            thread,
            space,
            url=_url("thread", thread.pk),
            title=thread.title,
            body=body,
            date=thread.last_activity_at,
        )


@register
class PostIndexer(Indexer):
    model = Post
    kind = "discussion_reply"
    label = _("Reply in a discussion")
    section = SECTION
    section_label = SECTION_LABEL

    def queryset(self):
        return (
            Post.objects.filter(number__gt=1, deleted_at__isnull=True, hidden_at__isnull=True)
            .select_related("thread", "thread__space", "thread__space__group")
        )

    def build(self, post):
        if post.is_opening or not post.is_shown:
            return None
        thread = post.thread
        space = thread.space
        if not _open(space):
            return None
        return _document(
            self,
            post,
            space,
            url=_url("post", post.pk),
            title=f"Re: {thread.title}",
            body=markup.plain_text(post.html),
            date=post.created_at,
        )


def _documents_of(space):
    """The search documents of the space's threads and replies, found by subqueries (no list of ids)."""
    threads = Thread.objects.filter(space=space).values("pk")
    posts = Post.objects.filter(thread__space=space, number__gt=1).values("pk")
    return SearchDocument.objects.filter(
        Q(kind=ThreadIndexer.kind, object_id__in=threads) | Q(kind=PostIndexer.kind, object_id__in=posts)
    )


def space_audience_changed(space):
    """The space's group changed audiences: every document of its threads and replies follows at once, in
    one UPDATE, and the external engine is told."""
    if not _in_step(space):
        return
    documents = _documents_of(space)
    keys = list(documents.values_list("key", flat=True))
    documents.update(know=space.read, read=space.read, group_id=space.audience_group_id, teaser=space.title)
    index.tell_engine(keys, [])


def _in_step(space):
    """Whether the space's documents exist as they should; if not, they are removed (a group page taken
    offline) or built anew (a group page put back online), and False is returned."""
    documents = _documents_of(space)
    if not _open(space):
        index.remove_keys(list(documents.values_list("key", flat=True)))
        return False
    if documents.filter(kind=ThreadIndexer.kind).count() < Thread.objects.filter(space=space).count():
        for thread in Thread.objects.filter(space=space):
            reindex_thread(thread)
        return False
    return True


def group_published_or_unpublished(sender, instance, **kwargs):
    """A group page published (perhaps renamed: the teaser is the space's title) or taken offline."""
    from .models import Space

    space = Space.objects.select_related("group").filter(group_id=instance.pk).first()
    if space is None or not _in_step(space):
        return
    stale = _documents_of(space).exclude(teaser=space.title)
    keys = list(stale.values_list("key", flat=True))
    if keys:
        stale.update(teaser=space.title)
        index.tell_engine(keys, [])


page_published.connect(group_published_or_unpublished, sender=WorkingGroupPage, dispatch_uid="discussions_published")
page_unpublished.connect(
    group_published_or_unpublished, sender=WorkingGroupPage, dispatch_uid="discussions_unpublished"
)


@receiver(post_save, sender=Thread)
def thread_renamed(sender, instance, created=False, raw=False, update_fields=None, **kwargs):
    """A new title: the replies' documents ("Re: <title>") follow (the services rebuild the thread's)."""
    if raw or created or update_fields is None or "title" not in update_fields:
        return
    for post in Post.objects.filter(thread=instance, number__gt=1).select_related(
        "thread", "thread__space", "thread__space__group"
    ):
        index.update(post)


def reindex_thread(thread):
    """Rebuild the documents of a thread and of every reply (after a move to another space)."""
    thread = Thread.objects.select_related("space", "space__group").get(pk=thread.pk)
    index.update(thread)
    for post in Post.objects.filter(thread=thread, number__gt=1).select_related(
        "thread", "thread__space", "thread__space__group"
    ):
        index.update(post)
