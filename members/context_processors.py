from django.utils.functional import SimpleLazyObject

from .access import Viewer, may_see_directory


def viewer(request):
    """`viewer` in every template: what the person may see, for menus and notices; `may_see_directory`
    puts the members' directory in the main navigation of those the policy lets read it."""
    return {
        "viewer": SimpleLazyObject(lambda: Viewer.for_request(request)),
        "may_see_directory": SimpleLazyObject(lambda: may_see_directory(Viewer.for_request(request))),
    }
