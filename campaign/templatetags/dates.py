"""{% load dates %}: a day as the reader's language writes it, short, with the year only when
it is not this year: "3 déc." and "14 sept. 2025" in French, "Dec 3" and "Sep 14, 2025" in
English. {{ when|day }}, and {{ when|day_time }} with the time ("3 déc. à 14:02").

The month abbreviations and the order of the parts are in our catalogue (French abbreviates
janvier "janv." and septembre "sept.", where Django's %b and N formats give "jan"/"Sep").
"""

from datetime import date, datetime

from django import template
from django.utils import formats, timezone
from django.utils.translation import pgettext, pgettext_lazy

register = template.Library()

MONTHS = {
    1: pgettext_lazy("short month", "Jan"),
    2: pgettext_lazy("short month", "Feb"),
    3: pgettext_lazy("short month", "Mar"),
    4: pgettext_lazy("short month", "Apr"),
    5: pgettext_lazy("short month", "May"),
    6: pgettext_lazy("short month", "Jun"),
    7: pgettext_lazy("short month", "Jul"),
    8: pgettext_lazy("short month", "Aug"),
    9: pgettext_lazy("short month", "Sep"),
    10: pgettext_lazy("short month", "Oct"),
    11: pgettext_lazy("short month", "Nov"),
    12: pgettext_lazy("short month", "Dec"),
}


@register.filter(expects_localtime=True)
def day(value: date | datetime | None) -> str:
    """The day of a date or a moment (in the local time zone), short: the year only when it
    is not this year. Nothing for nothing."""
    if not value:
        return ""
    parts = {"day": value.day, "month": MONTHS[value.month], "year": value.year}
    if value.year == timezone.localdate().year:
        return pgettext("short date", "%(month)s %(day)s") % parts
    return pgettext("short date with year", "%(month)s %(day)s, %(year)s") % parts


@register.filter(expects_localtime=True)
def day_time(value: datetime | None) -> str:
    """A moment: its day as `day` writes it, and its time in the reader's format."""
    if not value:
        return ""
    parts = {"day": day(value), "time": formats.time_format(value, "TIME_FORMAT")}
    return pgettext("day and time", "%(day)s, %(time)s") % parts
