"""E-mails of the opportunities, sent as tasks after the commit: never inside the member's request."""

from django.contrib.auth import get_user_model
from django_tasks import task

from . import services
from .models import Interest, OpportunityPage


@task()
def notify_interest(interest_id, kind="new"):
    """Tell the opportunity's contact (or staff) of a member's interest; gone meanwhile: nothing to say."""
    interest = Interest.objects.filter(pk=interest_id).select_related("user", "opportunity").first()
    if interest is None:
        return False
    return services.send_interest_notice(interest, kind)


@task()
def notify_withdrawal(opportunity_id, user_id):
    opportunity = OpportunityPage.objects.filter(pk=opportunity_id).first()
    user = get_user_model().objects.filter(pk=user_id).first()
    if opportunity is None or user is None:
        return False
    return services.send_withdrawal_notice(opportunity, user)


@task()
def send_opportunity_alerts(opportunity_id):
    """Alert the premium members who follow the opportunity's clusters (once each, ever)."""
    opportunity = OpportunityPage.objects.live().filter(pk=opportunity_id).first()
    if opportunity is None:
        return 0
    return services.send_alerts(opportunity)
