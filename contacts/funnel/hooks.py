"""What contacts themselves bring to the funnel: the first stages, volunteer accounts, and
the count of new people per day."""

from django.db.models import F
from django.utils.translation import gettext_lazy as _

from .activity import ActivityMetric, register_metric
from .sources import RebuildSource, consents_granted, contacts_acquired, register_rebuild_source
from .stages import Stage


def volunteer_accounts():
    from campaign.models import User

    return User.objects.filter(contact__isnull=False).annotate(
        person=F("contact_id"), at=F("date_joined")
    )


def entries():
    from .models import FunnelEntry

    return FunnelEntry.objects.all()


def register() -> None:
    register_rebuild_source(
        RebuildSource("contacts", Stage.ACQUIRED, _("First contact"), contacts_acquired)
    )
    register_rebuild_source(
        RebuildSource("consents", Stage.REACHABLE, _("Consent given"), consents_granted)
    )
    register_rebuild_source(
        RebuildSource(
            "volunteer_accounts", Stage.VOLUNTEER, _("Volunteer account"), volunteer_accounts
        )
    )
    register_metric(
        ActivityMetric(
            "new_contacts", _("New contacts"), rows=entries, moment="acquired_at", order=10
        )
    )
