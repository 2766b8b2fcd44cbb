import pytest

from tests.factories import EntityFactory


@pytest.fixture
def entity(db):
    """The candidate's financial entity, "Garnier 2026"."""
    return EntityFactory()
