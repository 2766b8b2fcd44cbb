"""Contacts: the people a campaign talks to, with their channels, consents and history.

The models live in modules by sub-domain; every one is imported here, so that Django finds
them in the app's models module and `from contacts.models import Contact` works everywhere.
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

from .people import (
    Channel,
    Consent,
    ConsentEvent,
    ConsentStatus,
    Contact,
    ContactActivity,
    ContactEmail,
    ContactMerge,
    ContactPhone,
    DuplicateCandidate,
    ExportLog,
    ImportJob,
    OpinionView,
    RetentionRule,
    Segment,
    SegmentMember,
    Source,
    Suppression,
    Tag,
)

__all__ = [
    "ActivityDay",
    "Channel",
    "Consent",
    "ConsentEvent",
    "ConsentStatus",
    "Contact",
    "ContactActivity",
    "ContactEmail",
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
