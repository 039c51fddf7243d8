"""The demo club's discussions (demo_data/discussions.yaml): questions to peers, some solved, some waiting,
threads in "Gouvernance IT", two clusters and the board's private space, and one mention of `basic`.

Runs after working_groups/demo.py (settings.CERCLE_APPS order), whose groups have their spaces by now.
Every post is written through discussions.services as its author (`Viewer`), so every rule of the space
applies: a thread whose author may not write there is refused, and said so. The posts are then dated back
over the last weeks, with their threads' and spaces' activity.

Nobody is e-mailed: the loader tells the recipients itself, while e-mails go to memory, and marks their
rows as handled; the tasks queued by the services then find everyone told. A second run adds only the
threads that are missing (by space and title).
"""

import datetime
import pathlib
import re

import yaml
from django.contrib.auth import get_user_model
from django.db.models import Max, Q
from django.test.utils import override_settings
from django.utils import timezone

from members.access import Viewer
from members.services import person_name

from . import markup, notifications, services
from .models import Follow, Mention, Notification, Post, PostRevision, Space, Thread

DATA = pathlib.Path(__file__).resolve().parent / "demo_data" / "discussions.yaml"
HANDLE = re.compile(r"@\{(\w+)\}")

QUIET = {
    "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    "CERCLE_DISCUSSION_POSTS_PER_WINDOW": 10**6,
    "CERCLE_DISCUSSION_THREADS_PER_WINDOW": 10**6,
    "CERCLE_DISCUSSION_MENTIONS_PER_WINDOW": 10**6,
}


def read_data():
    with open(DATA, encoding="utf-8") as data:
        return yaml.safe_load(data)


def find_space(key):
    """A space by its address, or by its group page's slug."""
    return Space.objects.select_related("group").filter(Q(slug=key) | Q(group__slug=key)).first()


def load(context):
    people = get_user_model().objects.in_bulk(field_name="username")
    written = []
    with override_settings(**QUIET):
        for spec in read_data()["threads"]:
            thread = ensure_thread(context, spec, people)
            if thread is not None:
                written.append(thread)
        tell_everyone(written)
        for space in Space.objects.filter(threads__in=written).distinct():
            latest = space.threads.aggregate(latest=Max("last_activity_at"))["latest"]
            Space.objects.filter(pk=space.pk).update(last_activity_at=latest)


def text_of(source, people):
    """The text with each @{username} as that account's @handle."""

    def handle(match):
        user = people.get(match.group(1))
        return "@" + services.handle_for(user) if user is not None else match.group(0)

    return HANDLE.sub(handle, unwrap(source.strip()))


# A line that starts a Markdown block (a list item, a quote, code) keeps its own line.
_BLOCK_START = re.compile(r"^(\s*([-*+] |\d+[.)] |>)|    )")


def unwrap(text):
    """The data file's lines are wrapped for reading; a member's line break is a break (markdown's
    `breaks`): join the lines of each paragraph, as a member types them."""
    out = []
    for line in text.splitlines():
        previous = out[-1] if out else ""
        joins = previous.strip() and line.strip() and not _BLOCK_START.match(line)
        if joins and not previous.startswith(("    ", ">")):  # code and quotes keep their lines
            out[-1] = out[-1].rstrip() + " " + line.strip()
        else:
            out.append(line)
    return "\n".join(out)


def ensure_thread(context, spec, people):
    space = find_space(spec["space"])
    if space is None:
        context.kept(f"pas d'espace « {spec['space']} » : sujet « {spec['title']} » non créé")
        return None
    if Thread.objects.filter(space=space, title=spec["title"]).exists():
        context.kept(f"sujet « {spec['title']} »")
        return None
    author = people.get(spec["author"])
    if author is None:
        context.kept(f"pas de compte « {spec['author']} » : sujet « {spec['title']} » non créé")
        return None
    try:
        opening = services.start_thread(
            Viewer(author),
            space,
            title=spec["title"],
            source=text_of(spec["text"], people),
            is_question=spec.get("question", False),
        )
    except services.DiscussionError as refusal:  # the data names someone who may not write here
        context.kept(f"sujet « {spec['title']} » refusé à {spec['author']} : {refusal}")
        return None
    thread = opening.thread
    started = timezone.now() - datetime.timedelta(days=spec["days_ago"])
    dates = {opening.pk: started}
    by_number = {1: opening}
    edits = []
    for reply_spec in spec.get("replies", []):
        user = people.get(reply_spec["author"])
        if user is None:
            continue
        quoted = by_number.get(reply_spec.get("quote"))
        source = text_of(reply_spec["text"], people)
        if quoted is not None:
            source = markup.quote(quoted.source, person_name(quoted.author)) + source
        try:
            post = services.reply(Viewer(user), thread, source=source, quoted=quoted)
        except services.DiscussionError as refusal:
            context.kept(f"réponse de {reply_spec['author']} à « {spec['title']} » refusée : {refusal}")
            continue
        by_number[post.number] = post
        dates[post.pk] = started + datetime.timedelta(hours=reply_spec["hours"])
        if reply_spec.get("edit"):
            edits.append((post, text_of(reply_spec["edit"], people), reply_spec.get("edit_hours", 1)))
        if reply_spec.get("solution"):
            thread.refresh_from_db()
            services.mark_solution(Viewer(author), post)
    date_back(thread, dates, edits)
    context.created(f"sujet « {thread.title} » dans « {space.title} » ({len(by_number)} message(s))")
    return thread


def tell_everyone(threads):
    """Everyone the posts concern is told now, once every follow exists, with e-mails going to memory
    (QUIET); the rows are dated as their posts and handled, so that no daily summary mails them either.
    The tasks the services queued for after the commit then find everyone told, and send nothing."""
    posts = Post.objects.filter(thread__in=threads).select_related("thread").order_by("thread", "number")
    for post in posts:
        notifications.post_written(post.pk)
        if post.thread.solution_id == post.pk:
            notifications.solution_marked(post.pk, post.thread.author_id)
        Notification.objects.filter(post=post).update(created_at=post.created_at, sent_at=post.created_at)


def date_back(thread, dates, edits):
    """Spread the thread over the days the data gives, then write the edits, dated after their posts."""
    for pk, at in dates.items():
        Post.objects.filter(pk=pk).update(created_at=at)
        Mention.objects.filter(post_id=pk).update(created_at=at)
        Notification.objects.filter(post_id=pk).update(created_at=at)
    Follow.objects.filter(thread=thread).update(created_at=min(dates.values()))
    for post, source, hours in edits:
        post.refresh_from_db()
        services.edit_post(Viewer(post.author), post, source=source)
        edited = post.created_at + datetime.timedelta(hours=hours)
        Post.objects.filter(pk=post.pk).update(edited_at=edited)
        PostRevision.objects.filter(post=post).update(written_at=post.created_at, replaced_at=edited)
    last = max(dates.values())
    last_post = Post.objects.filter(thread=thread).order_by("-created_at").first()
    Thread.objects.filter(pk=thread.pk).update(
        created_at=min(dates.values()), last_activity_at=last, last_author=last_post.author if last_post else None
    )
    thread.refresh_from_db()
    services.reindex(thread, Post.objects.filter(thread=thread).select_related("thread__space__group"))
