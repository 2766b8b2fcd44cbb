"""Shared personas: an admin, an organizer of Lyon, an organizer of Paris, a volunteer."""

import pytest

from campaign.models import Territory, User
from contacts import services
from contacts.models import Source


@pytest.fixture
def lyon_1er(db) -> Territory:
    return Territory.objects.create(kind=Territory.Kind.COMMUNE, code="69381", name="Lyon 1er")


@pytest.fixture
def paris_11e(db) -> Territory:
    return Territory.objects.create(kind=Territory.Kind.COMMUNE, code="75111", name="Paris 11e")


@pytest.fixture
def admin_user(db) -> User:
    return User.objects.create_user(
        username="alice", password="correct horse battery", role=User.Role.ADMIN, is_staff=True
    )


@pytest.fixture
def organizer_lyon(lyon_1er) -> User:
    user = User.objects.create_user(
        username="karim", password="correct horse battery", role=User.Role.ORGANIZER
    )
    user.territories.set([lyon_1er])
    return user


@pytest.fixture
def organizer_paris(paris_11e) -> User:
    user = User.objects.create_user(
        username="sophie", password="correct horse battery", role=User.Role.ORGANIZER
    )
    user.territories.set([paris_11e])
    return user


@pytest.fixture
def volunteer(db) -> User:
    return User.objects.create_user(
        username="lucas", password="correct horse battery", role=User.Role.VOLUNTEER
    )


@pytest.fixture
def lyon_contact(db):
    return services.contact_create(
        actor=None,
        source=Source.MANUAL,
        first_name="Léa",
        last_name="Garnier",
        postal_code="69001",
        commune="Lyon 1er arrondissement",
        insee_code="69381",
        bureau_code="69381-0101",
        emails=[services.EmailInput(address="lea.garnier@example.fr")],
        phones=[services.PhoneInput(number="06 12 34 56 78")],
    )


@pytest.fixture
def paris_contact(db):
    return services.contact_create(
        actor=None,
        source=Source.MANUAL,
        first_name="Hugo",
        last_name="Lefèvre",
        postal_code="75011",
        commune="Paris 11e arrondissement",
        insee_code="75111",
        emails=[services.EmailInput(address="hugo.lefevre@example.fr")],
        phones=[services.PhoneInput(number="+33 7 98 76 54 32")],
    )


@pytest.fixture
def client_as(client):
    """Log a persona in: `client_as(organizer_lyon).get(...)`."""

    def login(user: User):
        client.force_login(user)
        return client

    return login


@pytest.fixture(autouse=True)
def _plain_static_files(settings):
    """Production hashes static file names at collectstatic time, which tests do not run."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
