"""This app's part of the demo (`seed_demo`): the published petitions and their signatures."""

from contacts.demo import DemoSeed


def seed(demo: DemoSeed) -> None:
    """Seed the published petitions and their signatures (moved here from seed_demo next)."""
