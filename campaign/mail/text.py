"""The text/plain part of a message, from its cleaned HTML body: paragraphs apart, list
items dashed, and each link written out after its words ("Sign (https://…)"), so a
reader without HTML loses nothing."""

import re
from html.parser import HTMLParser

BLOCKS = {"p", "h2", "h3", "blockquote", "ul", "ol", "hr"}


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.links: list[tuple[str, int]] = []  # href, where its words start in out
        self.lists: list[list[int]] = []  # per open list: [is_ordered, count]

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in BLOCKS or tag == "li":
            self.out.append("\n\n" if tag != "li" else "\n")
        if tag in ("ul", "ol"):
            self.lists.append([tag == "ol", 0])
        elif tag == "li":
            depth = max(len(self.lists) - 1, 0)
            if self.lists and self.lists[-1][0]:
                self.lists[-1][1] += 1
                self.out.append("  " * depth + f"{self.lists[-1][1]}. ")
            else:
                self.out.append("  " * depth + "- ")
        elif tag == "br":
            self.out.append("\n")
        elif tag == "hr":
            self.out.append("----")
        elif tag == "a":
            self.links.append((dict(attrs).get("href") or "", len(self.out)))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("ul", "ol") and self.lists:
            self.lists.pop()
        if tag == "a" and self.links:
            href, start = self.links.pop()
            words = "".join(self.out[start:]).strip()
            if href and href != words and href != f"mailto:{words}":
                self.out.append(f" ({href})" if words else href)
        if tag in BLOCKS:
            self.out.append("\n\n")

    def handle_data(self, data: str) -> None:
        data = re.sub(r"[ \t\r\n\f]+", " ", data)  # not \s: no-break spaces stay
        before = "".join(self.out[-1:])
        if not before or before.endswith(("\n", "- ", ". ")):
            data = data.lstrip()  # the source's line breaks between tags
        self.out.append(data)


def html_to_text(body_html: str) -> str:
    parser = _Text()
    parser.feed(body_html)
    parser.close()
    text = "".join(parser.out)
    lines = [line.rstrip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
