"""This app's part of the demo (`seed_demo`): a texting campaign with a batch handed to benevole, and replies to texts."""

from contacts.demo import DemoSeed


def seed(demo: DemoSeed) -> None:
    """Seed a texting campaign with a batch handed to benevole, and replies to texts (moved here from seed_demo next)."""
