"""What `seed_demo` hands each action app so it can seed its own part of the demo.

The command seeds the contacts core (users, territories, contacts, consents, tags, segments),
then each installed plugin's `seed_demo(demo)` in the apps' order; the funnel is rebuilt last,
from everything they made. One random generator runs through all of it, so a seed gives the
same demo every time.
"""

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.management.base import OutputWrapper
from django.core.management.color import Style

from campaign.models import Territory, User


@dataclass
class DemoSeed:
    rng: random.Random  # seeded by --seed: the same seed makes the same demo
    now: datetime  # when the demo is made: what the people did happened before it
    contacts: int  # how many contacts this run created
    territories: dict[str, list[Territory]]  # by INSEE code: the commune, then its postal code
    users: dict[str, User]  # the personas by username: admin, lyon, paris, benevole
    stdout: OutputWrapper
    style: Style

    @property
    def admin(self) -> User:
        return self.users["admin"]

    @property
    def volunteer(self) -> User:
        return self.users["benevole"]

    def later(self, at: datetime, most_days: int) -> datetime:
        """A moment 1 to `most_days` days after `at` (a few hours into it), never after now."""
        moment = at + timedelta(days=self.rng.randint(1, most_days), hours=self.rng.randint(0, 10))
        return min(moment, self.now)
