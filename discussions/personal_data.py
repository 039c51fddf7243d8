"""The discussions' part of "Mes données" and of anonymisation (members/personal_data.py).

Export: the member's messages (with the thread and space they are in, their own text, whether edited or
deleted), what they follow, where they were mentioned (the message's address only: the words are
someone else's) and the reports they made.

Anonymisation keeps the member's messages, as Discourse and Ghost do: they are the club's conversation,
and replies, quotes and solutions refer to them; the account they hang on now names nobody ("Ancien
membre"). What named the person goes: their `@` handle becomes "ancien.membre<id>", the mentions of them
in every message (and its earlier versions) read "@ancien.membre<id>" without a link to the profile,
and their follows, read marks, visits, notifications and mention rows are deleted; their reports stay,
without the reporter. The search documents of the rewritten messages are rebuilt.
"""

import re

from django.db.models import Q
from django.db.models.signals import pre_save
from django.utils.translation import gettext_lazy as _

from members.personal_data import PersonalData, register_personal_data

# The handle a member had when their profile was being anonymised (members.privacy_services erases the
# name, and discussions.signals then gives the account a handle made of "Ancien membre", before the
# parts' anonymise() run): user id -> handle.
_handles_before = {}


def _url(obj):
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        return obj.get_absolute_url()


# --- Export ------------------------------------------------------------------------------------------


def export_posts(user):
    from .models import Post

    posts = (
        Post.objects.filter(author=user)
        .select_related("thread", "thread__space")
        .order_by("created_at", "pk")
    )
    return [
        {
            "thread": post.thread.title,
            "space": post.thread.space.title,
            "number": post.number,
            "opens_thread": post.is_opening,
            "written_at": post.created_at,
            "edited_at": post.edited_at,
            "deleted": post.is_deleted,
            "hidden_by_moderator": post.is_hidden,
            "text": post.source,
            "url": _url(post),
        }
        for post in posts
    ]


def export_follows(user):
    from .models import Follow

    follows = Follow.objects.filter(user=user).select_related("thread", "space").order_by("created_at", "pk")
    return [
        {
            "follows": "thread" if follow.thread_id else "space",
            "title": (follow.thread or follow.space).title,
            "followed_at": follow.created_at,
        }
        for follow in follows
    ]


def export_mentions(user):
    from .models import Mention

    mentions = Mention.objects.filter(user=user).select_related("post").order_by("created_at", "pk")
    return [{"message": _url(mention.post), "mentioned_at": mention.created_at} for mention in mentions]


def export_reports(user):
    from .models import Report

    reports = Report.objects.filter(reporter=user).select_related("post").order_by("created_at", "pk")
    return [
        {
            "message": _url(report.post),
            "reason": report.reason,
            "text": report.message,
            "reported_at": report.created_at,
            "state": report.state,
        }
        for report in reports
    ]


# --- Anonymisation -----------------------------------------------------------------------------------


def former_handle(user):
    return f"ancien.membre{user.pk}"


def _mention_link(user):
    """A link to the person's profile that `@`-mentions them, in any language's address."""
    return re.compile(
        rf'<a class="mention" href="(?:/[a-z]{{2}}(?:-[a-z]+)?)?/membres/{user.pk}/">@([^<]*)</a>', re.IGNORECASE
    )


def _handle_in_text(handle):
    """`@handle` as markup.MENTION reads it: not inside an address, and not the start of a longer handle."""
    return re.compile(r"(?<![\w@/.])@" + re.escape(handle) + r"(?![\w.-]*[a-z0-9])", re.IGNORECASE)


def _rewrite(text, handles, new, link=None):
    if link is not None:
        text = link.sub("@" + new, text)
    for handle in handles:
        text = _handle_in_text(handle).sub("@" + new, text)
    return text


def anonymise(user):
    from search import index

    from .models import Follow, MemberHandle, Mention, Notification, Post, PostRevision, Reader, Report, ThreadRead

    new = former_handle(user)
    link = _mention_link(user)
    marker = f'/membres/{user.pk}/">@'

    # The handles that named them: the one they had (kept aside just before their name was erased), and
    # those of the links to their profile in messages written when they had another name.
    handles = set()
    if _handles_before.get(user.pk):
        handles.add(_handles_before.pop(user.pk))
    linked = Post.objects.filter(Q(html__contains=marker) | Q(mentions__user=user)).distinct()
    for html in linked.values_list("html", flat=True):
        handles.update(h.lower() for h in link.findall(html))
    handles.discard(new)
    handles = {h for h in handles if h and not h.startswith("ancien.membre")}

    text_q = Q(html__contains=marker)
    for handle in handles:
        text_q |= Q(source__icontains="@" + handle)
    rewritten = []
    for post in Post.objects.filter(text_q).select_related("thread", "thread__space", "thread__space__group"):
        source, html = _rewrite(post.source, handles, new), _rewrite(post.html, handles, new, link)
        if (source, html) != (post.source, post.html):
            post.source, post.html = source, html
            post.save(update_fields=["source", "html"])
            rewritten.append(post)
    for revision in PostRevision.objects.filter(text_q):
        source, html = _rewrite(revision.source, handles, new), _rewrite(revision.html, handles, new, link)
        if (source, html) != (revision.source, revision.html):
            PostRevision.objects.filter(pk=revision.pk).update(source=source, html=html)

    taken = MemberHandle.objects.filter(handle=new).exclude(user=user).exists()
    MemberHandle.objects.update_or_create(user=user, defaults={"handle": f"{new}.x" if taken else new})

    Mention.objects.filter(user=user).delete()
    Follow.objects.filter(user=user).delete()
    ThreadRead.objects.filter(user=user).delete()
    Reader.objects.filter(user=user).delete()
    Notification.objects.filter(user=user).delete()
    Report.objects.filter(reporter=user).update(reporter=None)

    for post in rewritten:
        index.update(post.thread if post.is_opening else post)


def _remember_handle(sender, instance, raw=False, **kwargs):
    """Just before an account or a profile is saved anonymised (its name erased, which changes the handle),
    keep the handle the person still has, for `anonymise` to find the mentions of them."""
    from members.models import Profile
    from members.privacy_services import ANONYMOUS_DOMAIN

    if raw or instance.pk is None:
        return
    if isinstance(instance, Profile):
        user_id, anonymised = instance.user_id, instance.anonymised_at is not None
    else:
        user_id, anonymised = instance.pk, (instance.email or "").endswith("@" + ANONYMOUS_DOMAIN)
    if not anonymised or user_id in _handles_before:
        return
    from .models import MemberHandle

    handle = MemberHandle.objects.filter(user_id=user_id).values_list("handle", flat=True).first()
    if handle and not handle.startswith("ancien.membre"):
        _handles_before[user_id] = handle


def register():
    from django.contrib.auth import get_user_model

    from members.models import Profile

    pre_save.connect(_remember_handle, sender=Profile, dispatch_uid="discussions_remember_handle")
    pre_save.connect(_remember_handle, sender=get_user_model(), dispatch_uid="discussions_remember_handle_user")
    register_personal_data(
        PersonalData(
            name="discussions",
            label=_("Discussion messages"),
            export=export_posts,
            anonymise=anonymise,
            columns=(
                "thread", "space", "number", "opens_thread", "written_at", "edited_at", "deleted",
                "hidden_by_moderator", "text", "url",
            ),
        )
    )
    register_personal_data(
        PersonalData(
            name="discussion_follows",
            label=_("Followed discussions"),
            export=export_follows,
            columns=("follows", "title", "followed_at"),
        )
    )
    register_personal_data(
        PersonalData(
            name="discussion_mentions",
            label=_("Mentions of you in discussions"),
            export=export_mentions,
            columns=("message", "mentioned_at"),
        )
    )
    register_personal_data(
        PersonalData(
            name="discussion_reports",
            label=_("Messages you reported"),
            export=export_reports,
            columns=("message", "reason", "text", "reported_at", "state"),
        )
    )
