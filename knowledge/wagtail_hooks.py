from wagtail import hooks

from . import admin_sources, reports  # noqa: F401  (they register their own admin hooks)


@hooks.register("register_admin_viewset")
def register_watch_admin():
    from .admin import WatchViewSetGroup

    return WatchViewSetGroup()
