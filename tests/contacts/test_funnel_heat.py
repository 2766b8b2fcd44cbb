"""The funnel's cohort cells stay readable: on every shade of the heat map, the text's contrast
is at least WCAG AA's 4.5:1 (axe-core found white on the middle shades at 2.3:1)."""

import re

import pytest

from contacts.templatetags.funnel import heat, heat_ink

INK = (0x1D, 0x24, 0x33)  # --ink of app.css, which "inherit" gives
CARD = (255, 255, 255)  # the table's background, under the shade


def luminance(rgb: tuple[float, float, float]) -> float:
    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = map(channel, rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def shade(css: str) -> tuple[float, float, float]:
    """An rgba() over the white card, as the browser paints it."""
    r, g, b, a = map(float, re.fullmatch(r"rgba\((.+), (.+), (.+), (.+)\)", css).groups())
    return tuple(255 * (1 - a) + c * a for c in (r, g, b))


@pytest.mark.parametrize("share", [i / 20 for i in range(21)])
def test_a_cohort_cell_is_readable_at_every_share(share):
    ink = INK if heat_ink(share) == "inherit" else CARD
    lighter, darker = sorted([luminance(shade(heat(share))), luminance(ink)], reverse=True)

    assert (lighter + 0.05) / (darker + 0.05) >= 4.5
