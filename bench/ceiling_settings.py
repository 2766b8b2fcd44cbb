"""Benchmarks only: Terrain's settings, plus the ceiling view of bench/petition_load.py."""

from campaign.settings import *  # noqa: F403 - the same settings, one URLconf more

ROOT_URLCONF = "bench.ceiling_urls"
