"""Charts drawn on the server as SVG: no script, readable at a glance, printable. The numbers
are always in a table beside them."""

from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from campaign.money import money_format

from .selectors import ActivityRow, StageRow

BAR_HEIGHT = 26
GAP = 8
LABEL_WIDTH = 100
WIDTH = 400


def funnel_chart(stages: list[StageRow]) -> SafeString:
    """One bar a stage, as long as its number of people against the first stage's."""
    top = max((row.count for row in stages), default=0) or 1
    room = WIDTH - LABEL_WIDTH - 70
    height = len(stages) * (BAR_HEIGHT + GAP)
    bars = []
    for i, row in enumerate(stages):
        y = i * (BAR_HEIGHT + GAP)
        width = max(2, round(room * row.count / top)) if row.count else 0
        bars.append(
            (
                y + BAR_HEIGHT * 0.68,
                row.label,
                LABEL_WIDTH,
                y,
                width,
                BAR_HEIGHT,
                i + 1,
                LABEL_WIDTH + width + 6,
                y + BAR_HEIGHT * 0.68,
                number_format(row.count, force_grouping=True),
            )
        )
    body = format_html_join(
        "",
        '<text x="0" y="{}" class="chart-label">{}</text>'
        '<rect x="{}" y="{}" width="{}" height="{}" class="chart-bar stage-{}" rx="3"></rect>'
        '<text x="{}" y="{}" class="chart-value">{}</text>',
        bars,
    )
    return format_html(
        '<svg class="chart funnel-chart" viewBox="0 0 {} {}" role="img" aria-label="{}">{}</svg>',
        WIDTH,
        height,
        _("People at each stage of the funnel"),
        body,
    )


def activity_chart(row: ActivityRow, width: int = 300, height: int = 64) -> SafeString:
    """Columns over time for one figure (count, or euros for gifts)."""
    values = [(cents / 100 if row.money else count) for _s, count, cents in row.buckets]
    top = max(values, default=0) or 1
    n = max(len(values), 1)
    step = width / n
    bar = max(step * 0.8, 1)
    columns = []
    for i, ((start, count, cents), value) in enumerate(zip(row.buckets, values, strict=True)):
        h = round((height - 2) * value / top, 1) if value else 0
        shown = money_format(cents) if row.money else count
        columns.append(
            (
                round(i * step, 1),
                round(height - h, 1),
                round(bar, 1),
                h,
                f"{start.isoformat()}: {shown}",
            )
        )
    body = format_html_join(
        "",
        '<rect x="{}" y="{}" width="{}" height="{}" class="chart-column"><title>{}</title></rect>',
        columns,
    )
    return format_html(
        '<svg class="chart activity-chart" viewBox="0 0 {} {}" preserveAspectRatio="none" '
        'role="img" aria-label="{}">{}</svg>',
        width,
        height,
        row.label,
        body,
    )
