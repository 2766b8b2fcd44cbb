"""Where each stage comes from in the tables, for rebuilding the events from actions.

Each app's plugin gives a RebuildSource per kind of action: a query giving, for each person, the
time of their first such action (`person`: the contact id, `at`). Recording as it happens and
rebuilding must agree, so each app keeps both side by side.
"""

from django.db.models import F, Min, QuerySet

from campaign.models import User
from contacts.models import ConsentEvent, ConsentStatus, Contact
from contacts.plugins import RebuildSource, installed


def rebuild_sources() -> list[RebuildSource]:
    """Every installed plugin's sources, by stage."""
    found = [source for plugin in installed() for source in plugin.rebuild_sources()]
    return sorted(found, key=lambda s: (s.stage, s.key))


def contacts_acquired() -> QuerySet:
    return Contact.objects.annotate(person=F("pk"), at=F("source_at"))


def consents_granted() -> QuerySet:

    return (
        ConsentEvent.objects.filter(status=ConsentStatus.GRANTED)
        .values(person=F("contact_id"))
        .annotate(at=Min("occurred_at"))
    )


def volunteer_accounts() -> QuerySet:
    return User.objects.filter(contact__isnull=False).annotate(
        person=F("contact_id"), at=F("date_joined")
    )
