from wagtail import hooks

from members.dashboard import DASHBOARD_PANELS_HOOK, Panel


@hooks.register(DASHBOARD_PANELS_HOOK)
def latest_content_panel():
    from .dashboard import latest_content

    return Panel("latest_content", "home/panels/latest_content.html", latest_content, order=900, per_kind=True)
