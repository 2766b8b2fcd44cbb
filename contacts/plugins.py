"""What an action app gives the contacts core, in one class per app.

Each app's AppConfig names its plugin (`plugin = "actions.petitions.plugin.PetitionsPlugin"`)
and `installed()` finds them all, in the order of INSTALLED_APPS: the contacts app's own
first, then each action app. The contacts core asks them for a contact's timeline, a
volunteer's missions and assigned contacts, segment filters, funnel sources and activity
figures, and, for every model with a foreign key to a contact, what a merge and an erasure
do to its rows (tests/contacts/test_plugins.py fails on a model nobody answers for).

This module is the contacts core: the value types the apps build live here, and it imports
nothing from the funnel, segments, dedupe, privacy or imports packages at run time.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.db.models import Model, QuerySet
from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from campaign.models import User
    from campaign.ownership import TerritoryOwned
    from contacts.demo import DemoSeed
    from contacts.models import Contact


@dataclass(frozen=True)
class TimelineEntry:
    """One line of a contact's timeline."""

    at: datetime
    kind: str  # a short key for the icon and CSS class: "consent", "created", "petition"…
    title: str
    detail: str = ""
    actor: str = ""
    # It shows a political opinion (GDPR art. 9: an answer to a petition's question, a
    # support level…): the contact page that shows it records who read it.
    opinion: bool = False


@dataclass(frozen=True)
class MissionCard:
    """One piece of work on a volunteer's home page."""

    title: str
    url: str
    summary: str
    action: str = ""  # the button's words
    urgent: bool = False  # someone is waiting for an answer
    post: bool = False  # the button changes something (takes a batch): a form, not a link


@dataclass(frozen=True)
class ActionOffer:
    """How the segment builder offers an action filter: a label, and the choices of its one
    parameter, stored under `param` (the filter is off when nothing is chosen)."""

    label: "StrOrPromise"  # lazy: translated when shown
    param: str
    choices: Callable[[], Sequence[tuple[str, "StrOrPromise"]]]


@dataclass(frozen=True)
class ActionFilter:
    """A segment filter on what people did: `apply(contacts, params)` narrows a query of
    contacts by the parameters stored under `name` in the segment's filters."""

    name: str
    apply: Callable[[QuerySet, dict], QuerySet]
    offer: ActionOffer | None = None  # None: usable in a segment's filters, not offered


@dataclass(frozen=True)
class RebuildSource:
    """Where a funnel stage comes from in the tables, for rebuilding the events from actions:
    a query giving, for each person, the time of their first such action (`person`: the
    contact id, `at`). Recording as it happens and rebuilding must agree."""

    key: str
    stage: int
    why: "StrOrPromise"  # lazy: translated when shown
    query: Callable[[], QuerySet]


@dataclass(frozen=True)
class ActivityMetric:
    """A figure counted per day on the dashboard: the rows of `rows()` by the day of their
    `moment` field, with the sum of `amount` (an expression) when it is money."""

    key: str
    label: "StrOrPromise"  # lazy: translated when shown
    rows: Callable[[], QuerySet]
    moment: str
    order: int = 50
    amount: Callable[[], object] | None = None

    @property
    def money(self) -> bool:
        return self.amount is not None


# What a merge does to a model's rows of the dropped contact ------------------------------


@dataclass(frozen=True)
class Repoint:
    """The rows follow the person: every foreign key to the dropped contact is set to the
    kept one. The default."""


@dataclass(frozen=True)
class DeletedWithContact:
    """The rows of the dropped contact are deleted with it, for the reason given."""

    reason: str


# A function moving the rows itself, called with (kept_id, dropped_id) in the merge's
# transaction, for rows that cannot simply follow (one signature per petition and person).
MergeRows = Callable[[int, int], None]


# What an erasure does to a model's rows of the erased contacts ----------------------------


@dataclass(frozen=True)
class Keep:
    """The rows stay as they are when the person is erased, for the (legal) reason given."""

    reason: str


# A function erasing what identifies the people in the rows, called with the contact ids in
# the erasure's transaction (the rows usually stay, so that counts stay right).
EraseRows = Callable[[list[int]], None]


@dataclass(frozen=True)
class ContactRows:
    """A model with a foreign key to a contact, and what a merge and an erasure do to it."""

    model: type[Model]
    erase: EraseRows | Keep
    merge: MergeRows | Repoint | DeletedWithContact = Repoint()

    def merged(self, kept_id: int, dropped_id: int) -> None:
        if isinstance(self.merge, Repoint):
            for field in contact_fields(self.model):
                self.model._default_manager.filter(**{field: dropped_id}).update(**{field: kept_id})
        elif not isinstance(self.merge, DeletedWithContact):
            self.merge(kept_id, dropped_id)

    def erased(self, contact_ids: list[int]) -> None:
        if not isinstance(self.erase, Keep):
            self.erase(contact_ids)


def contact_fields(model: type[Model]) -> list[str]:
    """The names of `model`'s foreign keys (and one-to-one fields) to contacts.Contact."""
    contact = apps.get_model("contacts", "Contact")
    return [
        field.name
        for field in model._meta.get_fields()
        if field.concrete
        and field.is_relation
        and (field.many_to_one or field.one_to_one)
        and field.related_model is contact
    ]


class ActionPlugin:
    """Everything an app gives the contacts core. An app overrides what it has; the defaults
    give nothing."""

    def timeline(self, contact: "Contact", limit: int) -> Iterable[TimelineEntry]:
        """The app's newest `limit` entries about `contact` (any order)."""
        return ()

    def missions(self, user: "User") -> Iterable[MissionCard]:
        """The work the app hands `user` (texting batches, turfs)."""
        return ()

    def assigned(self, user: "User") -> QuerySet | None:
        """A query of the ids of the contacts the app assigns to `user` (a volunteer sees
        only those); None: the app assigns nobody."""
        return None

    def action_filters(self) -> Sequence[ActionFilter]:
        return ()

    def rebuild_sources(self) -> Sequence[RebuildSource]:
        return ()

    def activity_metrics(self) -> Sequence[ActivityMetric]:
        return ()

    def contact_rows(self) -> Sequence[ContactRows]:
        """Each of the app's models with a foreign key to a contact, with what a merge and an
        erasure do to its rows, in the order they are handled."""
        return ()

    def owned_models(self) -> Sequence[type["TerritoryOwned"]]:
        """The app's models that a territory owns (campaign.ownership's write rule)."""
        return ()

    def seed_demo(self, demo: "DemoSeed") -> None:
        """Add the app's part to the demo data (`manage.py seed_demo`)."""


@cache
def installed() -> tuple[ActionPlugin, ...]:
    """The plugin of every installed app that names one, in the order of INSTALLED_APPS."""
    found: list[ActionPlugin] = []
    for config in apps.get_app_configs():
        path: Any = getattr(config, "plugin", None)
        if path:
            found.append(import_string(path)())
    return tuple(found)


def contact_rows() -> list[ContactRows]:
    """What every installed plugin declares about the models with a foreign key to a contact."""
    return [rows for plugin in installed() for rows in plugin.contact_rows()]
