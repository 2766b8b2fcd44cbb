"""A volunteer's missions, gathered from every app that hands out work (texting batches,
turfs to canvass). Each app registers a function of the user returning MissionCard items;
the home page lists them, most urgent first."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class MissionCard:
    title: str
    url: str
    summary: str
    action: str = ""  # the button's words
    urgent: bool = False  # someone is waiting for an answer
    post: bool = False  # the button changes something (takes a batch): a form, not a link


MissionSource = Callable[[object], Iterable[MissionCard]]
_sources: list[MissionSource] = []


def register(source: MissionSource) -> None:
    if source not in _sources:
        _sources.append(source)


def missions_for(user) -> list[MissionCard]:
    cards = [card for source in _sources for card in source(user)]
    return sorted(cards, key=lambda card: not card.urgent)
