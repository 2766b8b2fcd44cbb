"""This app's part of the demo (`seed_demo`): a door-to-door campaign, its turf and the doors benevole knocked on."""

from contacts.demo import DemoSeed


def seed(demo: DemoSeed) -> None:
    """Seed a door-to-door campaign, its turf and the doors benevole knocked on (moved here from seed_demo next)."""
