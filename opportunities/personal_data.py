"""What the opportunities hold about a person: their interests (and the alerts sent to them, which say
nothing they wrote)."""

from .models import AlertSent, Interest


def export_interests(user):
    return [
        {
            "opportunity": interest.opportunity.title,
            "opportunity_id": interest.opportunity_id,
            "message": interest.message,
            "recorded_at": interest.created_at,
            "contact_told_at": interest.notified_at,
        }
        for interest in Interest.objects.filter(user=user).select_related("opportunity").order_by("created_at", "pk")
    ]


def export_alerts(user):
    return [
        {"opportunity": alert.opportunity.title, "opportunity_id": alert.opportunity_id, "sent_at": alert.sent_at}
        for alert in AlertSent.objects.filter(user=user).select_related("opportunity").order_by("sent_at", "pk")
    ]


def anonymise_interests(user):
    """The message is what the person wrote: it goes. The interest stays, so the issuer's counts hold."""
    Interest.objects.filter(user=user).exclude(message="").update(message="")
