"""Addresses made from titles: `/p/<slug>/`, `/don/<slug>/`."""

from django.db.models import Model, QuerySet
from django.utils.text import slugify


def free_slug(taken: QuerySet, title: str, *, fallback: str, instance: Model) -> str:
    """The title as a slug (70 characters at most), with -2, -3… when one of `taken`
    other than `instance` has it already; `fallback` when the title gives no letter."""
    base = slugify(title)[:70] or fallback
    slug, n = base, 1
    while taken.filter(slug=slug).exclude(pk=instance.pk).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug
