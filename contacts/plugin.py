"""What the contacts app itself gives its core, declared as the action apps do: the origin,
consents, staff activity and stages on the timeline, the first funnel stages and the count
of new people, and what a merge and an erasure do to its own rows.

It sits above the contacts sub-packages (dedupe, privacy, funnel), whose functions it names;
the core only reaches it through contacts.plugins.installed().
"""

from collections.abc import Iterable, Sequence

from django.utils.translation import gettext_lazy as _

from campaign.models import User
from campaign.ownership import TerritoryOwned

from .dedupe.services import (
    accounts_merge,
    consents_merge,
    emails_merge,
    phones_merge,
    stages_follow,
    tags_merge,
)
from .funnel.activity import funnel_entries
from .funnel.sources import consents_granted, contacts_acquired, volunteer_accounts
from .funnel.stages import Stage
from .models import (
    Consent,
    ConsentEvent,
    Contact,
    ContactActivity,
    ContactEmail,
    ContactIdentifier,
    ContactMerge,
    ContactPhone,
    DuplicateCandidate,
    FunnelEntry,
    Segment,
    SegmentMember,
    StageEvent,
)
from .plugins import (
    ActionPlugin,
    ActivityMetric,
    ContactRows,
    DeletedWithContact,
    Keep,
    RebuildSource,
    Repoint,
    TimelineEntry,
)
from .privacy.services import (
    consents_erase,
    emails_erase,
    identifiers_erase,
    merges_erase,
    notes_erase,
    phones_erase,
    tags_erase,
)
from .timeline import entries

COUNTS_ONLY = (
    "Funnel figures: a stage reached and when, by contact id; nothing in them identifies "
    "the person once the contact is erased, and the campaign's counts stay right."
)


class ContactsPlugin(ActionPlugin):
    def timeline(self, contact: Contact, limit: int) -> Iterable[TimelineEntry]:
        return entries(contact, limit)

    def rebuild_sources(self) -> Sequence[RebuildSource]:
        return [
            RebuildSource("contacts", Stage.ACQUIRED, _("First contact"), contacts_acquired),
            RebuildSource("consents", Stage.REACHABLE, _("Consent given"), consents_granted),
            RebuildSource(
                "volunteer_accounts", Stage.VOLUNTEER, _("Volunteer account"), volunteer_accounts
            ),
        ]

    def activity_metrics(self) -> Sequence[ActivityMetric]:
        return [
            ActivityMetric(
                "new_contacts",
                _("New contacts"),
                rows=funnel_entries,
                moment="acquired_at",
                order=10,
            )
        ]

    def contact_rows(self) -> Sequence[ContactRows]:
        return [
            ContactRows(ContactEmail, merge=emails_merge, erase=emails_erase),
            ContactRows(ContactPhone, merge=phones_merge, erase=phones_erase),
            # Unique: the dropped record's identifiers cannot be the kept one's; they follow.
            ContactRows(ContactIdentifier, merge=Repoint(), erase=identifiers_erase),
            ContactRows(Contact.tags.through, merge=tags_merge, erase=tags_erase),
            ContactRows(
                ConsentEvent,
                merge=Repoint(),
                erase=Keep(
                    "The proof of each consent given or withdrawn (GDPR art. 7(1)); the "
                    "erasure adds its own withdrawal on every channel."
                ),
            ),
            ContactRows(Consent, merge=consents_merge, erase=consents_erase),
            ContactRows(ContactActivity, merge=Repoint(), erase=notes_erase),
            ContactRows(
                User,
                merge=accounts_merge,
                erase=Keep(
                    "A volunteer's login account is closed on its own, by an administrator; "
                    "erasing the contact record does not close it."
                ),
            ),
            ContactRows(StageEvent, merge=stages_follow, erase=Keep(COUNTS_ONLY)),
            ContactRows(
                FunnelEntry,
                merge=DeletedWithContact(
                    "The kept person's entry is rebuilt when their stages are merged."
                ),
                erase=Keep(COUNTS_ONLY),
            ),
            ContactRows(
                DuplicateCandidate,
                merge=DeletedWithContact("The merge settles the pairs of the dropped contact."),
                erase=Keep("A pair names two contacts by their ids only."),
            ),
            ContactRows(
                SegmentMember,
                merge=DeletedWithContact("The dropped contact leaves the static lists it was in."),
                erase=Keep(
                    "A static list keeps the erased person's place, by id: its count stays."
                ),
            ),
            ContactRows(
                ContactMerge,
                merge=DeletedWithContact(
                    "The records of earlier merges into the dropped contact go with it."
                ),
                erase=merges_erase,
            ),
        ]

    def owned_models(self) -> Sequence[type[TerritoryOwned]]:
        return [Segment]
