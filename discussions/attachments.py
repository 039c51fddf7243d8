"""Files joined to a post: checked first (how many, how big, which kind), then stored as Wagtail documents
in the space's collection, so that they are downloaded through Django with the collection's audience
(members.models.CollectionAudience): a group's files are its group's, the club-wide space's are members'.

Nothing is stored until every file of the submission passed the checks; a refusal is a DiscussionError
whose status (400, 413) the form answers with, keeping the text typed."""

import os

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from wagtail.documents import get_document_model
from wagtail.models import Collection

from members.access import Audience
from members.models import CollectionAudience

from .services import DiscussionError


def allowed_extensions():
    return [extension.lower() for extension in settings.WAGTAILDOCS_EXTENSIONS]


def check_uploads(files):
    """Refuse a submission whose files the club does not keep; returns the files, in order."""
    files = [f for f in files if f is not None and getattr(f, "name", "")]
    limit = settings.CERCLE_DISCUSSION_MAX_ATTACHMENTS
    if len(files) > limit:
        raise DiscussionError(
            _("Attach at most %(limit)s files to one message.") % {"limit": limit}, 400
        )
    max_mb = settings.CERCLE_DISCUSSION_MAX_ATTACHMENT_MB
    extensions = allowed_extensions()
    for upload in files:
        extension = os.path.splitext(upload.name)[1].lstrip(".").lower()
        if extension not in extensions:
            raise DiscussionError(
                _("%(name)s cannot be attached: the club keeps only these kinds of files: %(kinds)s.")
                % {"name": upload.name, "kinds": ", ".join(extensions)},
                400,
            )
        if upload.size > max_mb * 1024 * 1024:
            raise DiscussionError(
                _("%(name)s is too big: a file holds at most %(limit)s MB.") % {"name": upload.name, "limit": max_mb},
                413,
            )
        if upload.size == 0:
            raise DiscussionError(_("%(name)s is empty.") % {"name": upload.name}, 400)
    return files


def space_collection(space):
    """The collection where the space's files live, made on first need."""
    if space.group_id is not None:
        from working_groups.services import ensure_collection

        return ensure_collection(space.group)
    if space.collection_id is None:  # perhaps only in this copy of the space: ask the database
        space.collection_id = type(space).objects.filter(pk=space.pk).values_list("collection", flat=True).first()
    if space.collection_id is None:
        # Named in the club's language whatever the language of the page that first needs it; found
        # again by the space's own reference, never by its name (which staff may change).
        with translation.override(settings.LANGUAGE_CODE):
            name = (_("Discussions: %(title)s") % {"title": space.title})[:255]
        with transaction.atomic():
            collection = Collection.get_first_root_node().add_child(name=name)
            claimed = type(space).objects.filter(pk=space.pk, collection__isnull=True).update(collection=collection)
            if not claimed:  # another request made it meanwhile: keep theirs
                collection.delete()
        space.refresh_from_db(fields=["collection"])
    CollectionAudience.objects.update_or_create(
        collection_id=space.collection_id, defaults={"audience": Audience.MEMBERS, "group_id": None}
    )
    return Collection.objects.get(pk=space.collection_id)


def save_uploads(space, files, user):
    """Check the files, then store them as documents of the space's collection; returns the documents."""
    files = check_uploads(files)
    if not files:
        return []
    Document = get_document_model()
    documents = []
    with transaction.atomic():
        collection = space_collection(space)
        for upload in files:
            title = os.path.splitext(os.path.basename(upload.name))[0][:255] or upload.name[:255]
            document = Document(title=title, file=upload, collection=collection, uploaded_by_user=user)
            document.file_size = upload.size
            upload.seek(0)
            document._set_file_hash()
            upload.seek(0)
            document.save()
            documents.append(document)
    return documents
