"""Ordered child rows edited as a list (canned answers, script questions…): the rows made to
match the list a formset gives, in its order, without removing a row already in use."""

from collections.abc import Callable, Sequence

from django.db.models import Model
from django.utils.translation import gettext as _

from campaign.exceptions import ApplicationError


def ordered_rows_sync(
    *,
    model: type[Model],
    parent: dict,
    items: Sequence[dict],
    fields: tuple[str, ...],
    answered: Callable[[Model], bool] = lambda row: False,
    check: Callable[[Model], None] = lambda row: None,
) -> None:
    """`items` are dicts ({"id"?, *fields, "delete"?}); `parent` names the rows' parent
    (e.g. {"campaign": campaign}). A row `answered` says is in use cannot be deleted;
    `check` may refuse a row before it is saved. Rows get `position` from the list."""
    existing = {row.pk: row for row in model.objects.filter(**parent)}
    for position, item in enumerate(items):
        row = existing.get(item.get("id"))
        if item.get("delete"):
            if row is None:
                continue
            if answered(row):
                raise ApplicationError(
                    _("“%(question)s” already has answers: it cannot be removed.")
                    % {"question": row}
                )
            row.delete()
            continue
        row = row or model(**parent)
        for name in fields:
            setattr(row, name, item.get(name, ""))
        check(row)
        row.position = position
        row.save()
