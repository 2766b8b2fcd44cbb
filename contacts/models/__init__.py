"""Contacts: the people a campaign talks to, with their channels, consents and history.

The models live in modules by sub-domain (people, consent, privacy, imports, dedupe,
segments; the funnel's tables in contacts/funnel/), and every one is imported here, so that
Django finds them in the app's models module and `from contacts.models import Contact` works
everywhere.
"""

from contacts.funnel.models import (
    ActivityDay,
    FunnelCohort,
    FunnelDay,
    FunnelDirty,
    FunnelEntry,
    FunnelGap,
    FunnelState,
    StageEvent,
)

from .consent import Channel, Consent, ConsentEvent, ConsentStatus
from .dedupe import ContactMerge, DuplicateCandidate
from .imports import ImportJob
from .people import (
    Contact,
    ContactActivity,
    ContactEmail,
    ContactIdentifier,
    ContactPhone,
    Source,
    Tag,
)
from .privacy import ExportLog, OpinionView, RetentionRule, Suppression
from .segments import Segment, SegmentMember

__all__ = [
    "ActivityDay",
    "Channel",
    "Consent",
    "ConsentEvent",
    "ConsentStatus",
    "Contact",
    "ContactActivity",
    "ContactEmail",
    "ContactIdentifier",
    "ContactMerge",
    "ContactPhone",
    "DuplicateCandidate",
    "ExportLog",
    "FunnelCohort",
    "FunnelDay",
    "FunnelDirty",
    "FunnelEntry",
    "FunnelGap",
    "FunnelState",
    "ImportJob",
    "OpinionView",
    "RetentionRule",
    "Segment",
    "SegmentMember",
    "Source",
    "StageEvent",
    "Suppression",
    "Tag",
]
