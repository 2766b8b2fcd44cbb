"""Imported gifts' provider names in lower case, the one spelling the import now keys them
by (providers.provider_code): a file imported as "HelloAsso" before counts once when it
comes back as "helloasso". A gift whose lower-case twin is already there (the same file
imported under both spellings) keeps its spelling: both stay, for the treasurer to see."""

from django.db import migrations
from django.db.models import Exists, OuterRef
from django.db.models.functions import Lower


def lower_provider_names(Donation) -> None:
    """Each provider spelled with capitals, renamed in lower case where no twin clashes."""
    spellings = (
        Donation.objects.exclude(provider=Lower("provider"))
        .order_by()
        .values_list("provider", flat=True)
        .distinct()
    )
    for spelling in list(spellings):
        code = spelling.strip().lower()
        twin = Donation.objects.filter(
            provider=code, provider_txn_id=OuterRef("provider_txn_id")
        ).exclude(provider_txn_id="")
        Donation.objects.filter(provider=spelling).exclude(Exists(twin)).update(provider=code)


def forwards(apps, schema_editor):
    lower_provider_names(apps.get_model("donations", "Donation"))


class Migration(migrations.Migration):
    dependencies = [("donations", "0010_law_per_person")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
