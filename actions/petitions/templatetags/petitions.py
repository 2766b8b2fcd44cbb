import html

import markdown as md
import nh3
from django import template
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

register = template.Library()

ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "a", "h2", "h3", "blockquote"}


@register.filter
def markdown_safe(text: str) -> str:
    """Organizers write Markdown; what reaches the page is sanitized HTML (no script, no style).
    For an element's content only: its text keeps the quotes people typed, so it must never
    reach an attribute (use plain_text there)."""
    html_text = md.markdown(text or "", extensions=["sane_lists"])
    clean = nh3.clean(
        html_text,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(clean)  # noqa: S308 - sanitized by nh3 just above


@register.filter
def plain_text(text: str, words: int = 30) -> str:
    """The words a Markdown text shows, without markup, for a <meta> description or a title:
    a plain, unsafe string, so autoescape escapes its quotes wherever it lands (striptags on
    markdown_safe's output kept them, and a text could add attributes to a <meta>)."""
    markup = md.markdown(text or "", extensions=["sane_lists"])
    shown = html.unescape(nh3.clean(markup, tags=set()))  # tags gone, scripts' content too
    return Truncator(" ".join(shown.split())).words(int(words))


@register.filter
def web_url(url: str) -> str:
    """A link people may follow: an http(s) address or a path on this site, else nothing.
    Forms only accept web addresses, but a javascript: value written another way (the shell,
    the admin of an older version, an import) must not become a link that runs a script."""
    url = (url or "").strip()
    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    if scheme in ("http", "https") or (url.startswith("/") and not url.startswith("//")):
        return url
    return ""


@register.filter
def percent_of(count: int, goal: int) -> int:
    return min(100, round(100 * count / goal)) if goal else 0
