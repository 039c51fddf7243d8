from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from members.dashboard import DASHBOARD_PANELS_HOOK, Panel
from members.models import Audience

# The audit log's words for what members do with opportunities (shown in each page's history).
OPPORTUNITY_ACTIONS = [
    ("cercle.opportunity.interest", _("Interest recorded")),
    ("cercle.opportunity.interest_update", _("Interest message updated")),
    ("cercle.opportunity.interest_withdraw", _("Interest withdrawn")),
]


@hooks.register("register_log_actions")
def register_opportunity_actions(actions):
    for action, label in OPPORTUNITY_ACTIONS:
        actions.register_action(action, label, label)


@hooks.register(DASHBOARD_PANELS_HOOK)
def opportunities_panel():
    from .dashboard import opportunities_panel

    # A basic member's teasers are the same for their whole kind; a premium member's interests are their own.
    return Panel(
        "opportunities",
        "opportunities/panels/opportunities.html",
        opportunities_panel,
        order=30,
        per_kind=lambda viewer: Audience.PREMIUM not in viewer.audiences,
    )
