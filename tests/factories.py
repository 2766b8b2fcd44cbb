"""Factories for the things tests need many of: a test states only what it is about.

`PetitionFactory()` is a published petition; `PetitionFactory(double_opt_in=True)` the same
asking for the email link. Defaults are what most tests wrote by hand before.
"""

import factory
from factory.django import DjangoModelFactory

from actions.donations.models import Drive, Entity
from actions.emails import models as emails
from actions.petitions.models import Petition
from contacts import services as contact_services
from contacts.models import Contact, Segment, Tag


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


def person(email: str = "lea@example.fr", **fields) -> Contact:
    """A contact entered by hand with this email (first name Léa unless told)."""
    fields.setdefault("first_name", "Léa")
    return contact_services.contact_create(
        actor=None,
        source="manual",
        emails=[contact_services.EmailInput(address=email, is_primary=True)],
        **fields,
    )


class SenderFactory(DjangoModelFactory):
    """A verified sender, the campaign's own address."""

    class Meta:
        model = emails.Sender
        django_get_or_create = ["address"]

    name = "Garnier 2026"
    address = "equipe@garnier2026.fr"
    postal_address = "12 rue des Lilas, 69001 Lyon"
    is_verified = True


class EmailBlastFactory(DjangoModelFactory):
    """A draft blast to everyone, from the campaign's sender."""

    class Meta:
        model = emails.Blast

    name = "Lettre de décembre"
    segment = factory.LazyFunction(lambda: Segment.objects.create(name="Tout le monde"))
    sender = factory.SubFactory(SenderFactory)
    subject = "Samedi, on se retrouve"
    preheader = "Le rendez-vous du marché"
    body = "Bonjour {prenom},\n\nRendez-vous **samedi** au marché."


class EmailMessageFactory(DjangoModelFactory):
    """One person's message of a blast, not sent yet."""

    class Meta:
        model = emails.Message

    blast = factory.SubFactory(EmailBlastFactory)
    contact = factory.LazyFunction(person)
    to = factory.LazyAttribute(lambda message: message.contact.emails.first().address)
    message_id = factory.Sequence(lambda n: f"<blast.{n}@example.org>")
