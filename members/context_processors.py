from django.utils.functional import SimpleLazyObject

from .access import Viewer


def viewer(request):
    """`viewer` in every template: what the person may see, for menus and notices."""
    return {"viewer": SimpleLazyObject(lambda: Viewer.for_request(request))}
