"""A volunteer's missions, gathered from every installed plugin that hands out work (texting
batches, turfs to canvass); the home page lists them, most urgent first."""

from campaign.models import User

from .plugins import MissionCard, installed


def missions_for(user: User) -> list[MissionCard]:
    cards = [card for plugin in installed() for card in plugin.missions(user)]
    return sorted(cards, key=lambda card: not card.urgent)
