"""The access policy as conditions on search documents, for the SQL engines (and their tests).

Built from `members.access.audience_q`, so a document is a candidate exactly when the policy would
let the viewer know of (or read) the thing it describes: a few conditions on audience columns, never
one per page. Editors and leads reach what they edit through the stored tree and collection paths.
"""

from django.db.models import Q

from members.access import audience_q


def _reach(viewer):
    q = Q(pk__in=[])
    for path in viewer.edited_paths:
        q |= Q(page_path__startswith=path)
    for path in viewer.edited_collection_paths:
        q |= Q(collection_path__startswith=path)
    return q


def know_q(viewer):
    """Documents whose title and teaser this viewer may match and see."""
    if viewer.is_staff:
        return Q()
    return audience_q(viewer, field="know") | _reach(viewer)


def read_q(viewer):
    """Documents whose body this viewer may match (and whose body may give a snippet)."""
    if viewer.is_staff:
        return Q()
    return audience_q(viewer, field="read") | _reach(viewer)


def terms(viewer):
    """The same conditions as plain values, for an engine of its own (Elasticsearch): a few `terms`.

    {"audiences": [...], "groups": [...], "page_paths": [...], "collection_paths": [...], "all": bool}
    """
    from members.models import Audience

    return {
        "all": viewer.is_staff,
        "audiences": sorted(a for a in viewer.audiences if a != Audience.GROUP),
        "groups": sorted(viewer.group_ids),
        "page_paths": list(viewer.edited_paths),
        "collection_paths": list(viewer.edited_collection_paths),
    }
