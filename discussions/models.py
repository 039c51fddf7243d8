"""Discussions: spaces (one per working group or cluster, and club-wide ones), threads, posts, and what
members keep about them (follows, read marks, mentions, notifications, reports).

Posts are plain Django rows, not pages: a thread of 500 replies is read a page of replies at a time.
Who may read or write a space is the access policy's answer (members.access.decide_conversation,
may_take_part, may_moderate) on the audiences a space copies from its group's page (`sync_audience`)."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.documents import get_document_model_string

from members.models import Audience


class SpaceQuerySet(models.QuerySet):
    def open(self):
        """Spaces in use: the club-wide ones, and those of groups whose page is live."""
        return self.filter(models.Q(group__isnull=True) | models.Q(group__live=True))

    def readable_by(self, viewer):
        from members.access import conversation_q

        return self.open().filter(conversation_q(viewer))


class Space(models.Model):
    """Where members talk: a working group's or cluster's space, or a club-wide one ("Questions aux pairs")."""

    class Posting(models.TextChoices):
        READERS = "readers", _("Everyone who may read the space")
        GROUP = "group", _("The group's members only (others read)")

    group = models.OneToOneField(
        "working_groups.WorkingGroupPage",
        verbose_name=_("working group"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="discussion_space",
    )
    title = models.CharField(_("title"), max_length=255)  # a group page's title may be as long
    slug = models.SlugField(_("address"), max_length=80, unique=True, allow_unicode=False)
    description = models.TextField(_("description"), blank=True, max_length=1000)
    posting = models.CharField(_("who writes"), max_length=10, choices=Posting.choices, default=Posting.READERS)
    position = models.PositiveSmallIntegerField(_("position"), default=100)
    # Where a club-wide space keeps the files joined to its posts (discussions.attachments); a group's
    # space uses its group's collection.
    collection = models.ForeignKey(
        "wagtailcore.Collection", null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="+"
    )
    # The audiences of the group's page (its PageAudience), copied so that lists filter spaces, threads and
    # posts in SQL the way search documents are filtered; club-wide spaces are for members.
    know = models.CharField(max_length=10, choices=Audience.choices, default=Audience.MEMBERS, editable=False)
    read = models.CharField(max_length=10, choices=Audience.choices, default=Audience.MEMBERS, editable=False)
    audience_group_id = models.IntegerField(null=True, blank=True, editable=False)
    # Kept up to date by the services, so that lists do not count rows per space.
    thread_count = models.PositiveIntegerField(default=0, editable=False)
    post_count = models.PositiveIntegerField(default=0, editable=False)
    last_activity_at = models.DateTimeField(null=True, blank=True, editable=False, db_index=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = SpaceQuerySet.as_manager()

    class Meta:
        ordering = ["position", "title"]
        verbose_name = _("discussion space")
        verbose_name_plural = _("discussion spaces")
        indexes = [models.Index(fields=["read", "audience_group_id"], name="space_audience")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("discussions:space", args=[self.slug])

    @property
    def is_club_wide(self):
        return self.group_id is None

    @property
    def posters_group_id(self):
        """The group whose members alone may write here, or None when every reader may."""
        return self.group_id if self.posting == self.Posting.GROUP and self.group_id else None

    @property
    def audience(self):
        return self.know, self.read, self.audience_group_id

    def sync_audience(self, save=True):
        """Copy the group page's audiences (the policy's PageAudience row); True when they changed."""
        if self.group_id is None:
            wanted = (Audience.MEMBERS, Audience.MEMBERS, None)
        else:
            from members.access import page_audience

            row = page_audience(self.group)
            wanted = (row.know, row.read, row.group_id)
        changed = self.audience != wanted
        self.know, self.read, self.audience_group_id = wanted
        if changed and save and self.pk:
            Space.objects.filter(pk=self.pk).update(know=self.know, read=self.read, audience_group_id=wanted[2])
        return changed


class ThreadQuerySet(models.QuerySet):
    def readable_by(self, viewer):
        from members.access import conversation_q

        return self.filter(conversation_q(viewer, prefix="space__")).filter(
            models.Q(space__group__isnull=True) | models.Q(space__group__live=True)
        )


class Thread(models.Model):
    """A conversation: its opening post is its first `Post` (number 1); a question may have a solution."""

    space = models.ForeignKey(Space, verbose_name=_("space"), on_delete=models.CASCADE, related_name="threads")
    title = models.CharField(_("title"), max_length=200)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_question = models.BooleanField(_("a question"), default=False)
    solution = models.ForeignKey(
        "Post", verbose_name=_("solution"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    pinned = models.BooleanField(_("pinned"), default=False)
    locked = models.BooleanField(_("locked"), default=False)
    created_at = models.DateTimeField(_("started"), default=timezone.now)
    # Denormalised by the services: a space's list sorts and shows them without touching the posts.
    last_activity_at = models.DateTimeField(_("last activity"), default=timezone.now)
    last_author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    post_count = models.PositiveIntegerField(default=0)  # every post, the opening one included

    objects = ThreadQuerySet.as_manager()

    class Meta:
        ordering = ["-pinned", "-last_activity_at"]
        verbose_name = _("thread")
        verbose_name_plural = _("threads")
        indexes = [
            models.Index(fields=["space", "-pinned", "-last_activity_at"], name="thread_space_list"),
            models.Index(fields=["-last_activity_at"], name="thread_activity"),
            models.Index(fields=["is_question", "solution", "-created_at"], name="thread_questions"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("discussions:thread", args=[self.pk])

    @property
    def reply_count(self):
        return max(self.post_count - 1, 0)

    @property
    def is_solved(self):
        return self.solution_id is not None


class PostQuerySet(models.QuerySet):
    def readable_by(self, viewer):
        from members.access import conversation_q

        return self.filter(conversation_q(viewer, prefix="thread__space__")).filter(
            models.Q(thread__space__group__isnull=True) | models.Q(thread__space__group__live=True)
        )

    def shown(self):
        """Posts whose words are shown: neither deleted by their author nor hidden by a moderator."""
        return self.filter(deleted_at__isnull=True, hidden_at__isnull=True)


class Post(models.Model):
    """One message of a thread. `source` is what the author typed (a small Markdown subset); `html` is its
    rendering, sanitised on the server (discussions.markup) and the only thing templates mark safe."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    number = models.PositiveIntegerField(_("number"))  # 1 is the opening post; pages and anchors use it
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    source = models.TextField(_("text"))
    html = models.TextField(editable=False)
    quoted = models.ForeignKey(
        "self", verbose_name=_("quotes"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    attachments = models.ManyToManyField(
        get_document_model_string(), verbose_name=_("attachments"), blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("written"), default=timezone.now)
    edited_at = models.DateTimeField(_("modified"), null=True, blank=True)
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)
    hidden_at = models.DateTimeField(_("hidden"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hidden_reason = models.CharField(_("reason for hiding"), max_length=500, blank=True)
    # The form's one-time key: the same submission sent twice (a double click, a resent form) is one post.
    submission_key = models.CharField(max_length=40, blank=True, default="", editable=False)

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["thread", "number"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        constraints = [
            models.UniqueConstraint(fields=["thread", "number"], name="one_number_per_post"),
            models.UniqueConstraint(
                fields=["author", "submission_key"],
                condition=~models.Q(submission_key=""),
                name="one_post_per_submission",
            ),
        ]
        indexes = [models.Index(fields=["author", "-created_at"], name="post_author_recent")]

    def __str__(self):
        return f"{self.thread} #{self.number}"

    def get_absolute_url(self):
        return reverse("discussions:post", args=[self.pk])

    @property
    def is_opening(self):
        return self.number == 1

    @property
    def is_deleted(self):
        return self.deleted_at is not None

    @property
    def is_hidden(self):
        return self.hidden_at is not None

    @property
    def is_shown(self):
        return not (self.is_deleted or self.is_hidden)


class PostRevision(models.Model):
    """An earlier text of an edited post: the history behind "modifié"."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    source = models.TextField()
    html = models.TextField()
    written_at = models.DateTimeField()  # when this text was written (the post's or the previous edit's date)
    replaced_at = models.DateTimeField(default=timezone.now)
    replaced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["post", "-replaced_at"]


    def __str__(self):
        return f"{self.post} ({self.written_at:%Y-%m-%d %H:%M})"

class Mention(models.Model):
    """A member `@`-named in a post who may read it (only those are recorded, and only they are told)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="mentions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "user"], name="one_mention_per_post")]


    def __str__(self):
        return f"{self.post} → {self.user_id}"

class MemberHandle(models.Model):
    """The name a member is `@`-mentioned by ("julien.lambert"): logins are e-mail addresses, which a post
    must never show. Derived from the person's name, unique, kept in step by discussions.signals."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="discussion_handle")
    handle = models.CharField(max_length=60, unique=True)

    def __str__(self):
        return f"@{self.handle}"


class Follow(models.Model):
    """A member follows a thread (automatically when they write in it) or a whole space."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="discussion_follows")
    thread = models.ForeignKey(Thread, null=True, blank=True, on_delete=models.CASCADE, related_name="follows")
    space = models.ForeignKey(Space, null=True, blank=True, on_delete=models.CASCADE, related_name="follows")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "thread"], name="follow_thread_once"),
            models.UniqueConstraint(fields=["user", "space"], name="follow_space_once"),
            models.CheckConstraint(
                condition=models.Q(thread__isnull=False, space__isnull=True)
                | models.Q(thread__isnull=True, space__isnull=False),
                name="follow_thread_or_space",
            ),
        ]


    def __str__(self):
        return f"{self.user_id} → {self.thread or self.space}"

class ThreadRead(models.Model):
    """How far a member has read a thread: unread markers and counts compare it to the thread's activity."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="reads")
    read_at = models.DateTimeField(default=timezone.now)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "thread"], name="one_read_mark_per_thread")]


    def __str__(self):
        return f"{self.user_id} · {self.thread_id} · {self.last_number}"

class Reader(models.Model):
    """A member's visits to the discussions: since when they take part (older threads are not "unread"),
    and the dashboard's previous visit ("nouveau depuis votre dernière visite")."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="discussion_reader")
    started_at = models.DateTimeField(default=timezone.now)
    seen_at = models.DateTimeField(default=timezone.now)
    previous_seen_at = models.DateTimeField(null=True, blank=True)


    def __str__(self):
        return f"{self.user_id} · {self.seen_at:%Y-%m-%d %H:%M}"

class Notification(models.Model):
    """Something a member is told about a post: sent at once, or kept for the daily summary."""

    class Reason(models.TextChoices):
        MENTION = "mention", _("You were mentioned")
        REPLY = "reply", _("A reply in a thread you follow")
        THREAD = "thread", _("A new thread in a space you follow")
        SOLVED = "solved", _("Your answer solved a question")
        HIDDEN = "hidden", _("A moderator hid your message")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="notifications")
    reason = models.CharField(max_length=10, choices=Reason.choices)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "post"], name="one_notification_per_post")]
        indexes = [models.Index(fields=["sent_at", "user"], name="notification_pending")]


    def __str__(self):
        return f"{self.user_id} · {self.post_id} · {self.reason}"

class Report(models.Model):
    """A member's report of a post to the space's moderators (its group's leads and the staff)."""

    class Reason(models.TextChoices):
        ABUSE = "abuse", _("Offensive or abusive")
        SPAM = "spam", _("Advertising or spam")
        CONFIDENTIAL = "confidential", _("Confidential information")
        ERROR = "error", _("Wrong or misleading")
        OTHER = "other", _("Something else")

    class State(models.TextChoices):
        OPEN = "open", _("To examine")
        HANDLED = "handled", _("Handled")

    post = models.ForeignKey(Post, verbose_name=_("message"), on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reported by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    message = models.TextField(_("message"), blank=True, max_length=2000)
    created_at = models.DateTimeField(_("reported"), default=timezone.now)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        indexes = [models.Index(fields=["state", "-created_at"], name="report_queue")]

    def __str__(self):
        return f"{self.post} · {self.get_reason_display()}"
