"""Ordered child rows edited as a list (canned answers, script questions…): the rows made to
match the list a formset gives, in its order, without removing a row already in use."""

from collections.abc import Callable, Sequence
from typing import TypeVar

from django.db.models import Model
from django.utils.translation import gettext as _

from campaign.exceptions import ApplicationError

Row = TypeVar("Row", bound=Model)


def ordered_rows_sync(
    *,
    model: type[Row],
    parent: dict,
    items: Sequence[dict],
    fields: tuple[str, ...],
    answered: Callable[[Row], bool] = lambda row: False,
    check: Callable[[Row], None] = lambda row: None,
) -> None:
    """`items` are dicts ({"id"?, *fields, "delete"?}); `parent` names the rows' parent
    (e.g. {"campaign": campaign}). A row `answered` says is in use cannot be deleted;
    `check` may refuse a row before it is saved. Rows get `position` from the list."""
    existing = {row.pk: row for row in model._default_manager.filter(**parent)}
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
        # Set by name: the rows' models have a position field, which Model does not declare.
        values = {**{name: item.get(name, "") for name in fields}, "position": position}
        for name, value in values.items():
            setattr(row, name, value)
        check(row)
        row.save()
