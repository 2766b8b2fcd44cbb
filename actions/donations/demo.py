"""This app's part of the demo (`seed_demo`): a fundraising drive and its gifts over the months."""

from contacts.demo import DemoSeed


def seed(demo: DemoSeed) -> None:
    """Seed a fundraising drive and its gifts over the months (moved here from seed_demo next)."""
