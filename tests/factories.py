"""Factories for the things tests need many of: a test states only what it is about.

`PetitionFactory()` is a published petition; `PetitionFactory(double_opt_in=True)` the same
asking for the email link. Defaults are what most tests wrote by hand before.
"""

import factory
from factory.django import DjangoModelFactory

from actions.donations.models import Drive, Entity
from actions.petitions.models import Petition
from contacts.models import Tag


class PetitionFactory(DjangoModelFactory):
    """A published petition, "Une eau publique"."""

    class Meta:
        model = Petition
        skip_postgeneration_save = True  # tags go through the relation: nothing to save again

    slug = "eau-publique"
    title = "Une eau publique"
    text = "…"
    status = Petition.Status.PUBLISHED

    @factory.post_generation
    def tags(self, create: bool, names: list[str] | None, **kwargs) -> None:
        """`tags=["bus"]`: the tags its signers get (created if new)."""
        for name in names or []:
            self.tags.add(Tag.objects.get_or_create(name=name)[0])


class EntityFactory(DjangoModelFactory):
    """The candidate's financial entity, which receives the gifts."""

    class Meta:
        model = Entity

    name = "Garnier 2026"
    kind = Entity.Kind.CANDIDATE

    class Params:
        # A candidate's accounts for an election, under its spending limit.
        capped = factory.Trait(
            name="Campagne", election="Municipales", spending_limit_cents=6_000_000
        )


class DriveFactory(DjangoModelFactory):
    """A published fundraising page, for the candidate's entity."""

    class Meta:
        model = Drive

    entity = factory.SubFactory(EntityFactory)
    slug = "municipales"
    title = "Financez la campagne"
    story = "…"
    goal_cents = 1_000_000
    status = Drive.Status.PUBLISHED
