"""The electoral list extract (Répertoire électoral unique) imports with its polling stations,
and never stores birthplace or nationality."""

import json

import pytest

from contacts.imports.mapping import guess_mapping, is_electoral_list
from contacts.models import Contact

pytestmark = pytest.mark.django_db

REU = (
    "Nom de naissance;Nom d'usage;Prénoms;Date de naissance;Lieu de naissance;Nationalité;"
    "Numéro de voie;Libellé de voie;Code postal;Commune;Code INSEE;Code du bureau de vote;"
    "Libellé du bureau de vote;Numéro d'ordre dans le bureau de vote\n"
    "MARTIN;DURAND;Marie Louise;12/04/1961;ALGER;FRANCAISE;12;RUE DE LA REPUBLIQUE;69001;"
    "LYON 1ER ARRONDISSEMENT;69381;0101;Hôtel de ville;154\n"
    "PETIT;;Jean;00/00/1953;PARIS 14E;FRANCAISE;3;PLACE SATHONAY;69001;"
    "LYON 1ER ARRONDISSEMENT;69381;0102;École Robert Doisneau;12\n"
)


def test_the_electoral_list_is_recognised_and_mapped():
    headers = REU.splitlines()[0].split(";")
    mapping = guess_mapping(headers)
    assert is_electoral_list(headers)
    assert mapping["Nom d'usage"] == "last_name"
    assert mapping["Nom de naissance"] == "birth_name"
    assert mapping["Code du bureau de vote"] == "bureau_code"
    assert mapping["Lieu de naissance"] == "ignore"
    assert mapping["Nationalité"] == "ignore"


def test_electoral_list_rows_keep_their_polling_station_and_usual_name(run_import):
    job = run_import(REU, encoding="cp1252", source_detail="REU Lyon 1er 2026")
    assert job.created_count == 2 and job.rejected_count == 0
    marie = Contact.objects.get(first_name="Marie Louise")
    assert marie.last_name == "DURAND"
    assert marie.street == "12 RUE DE LA REPUBLIQUE"
    assert (marie.insee_code, marie.bureau_code, marie.bureau_label) == (
        "69381",
        "69381-0101",
        "Hôtel de ville",
    )
    assert marie.birth_date.isoformat() == "1961-04-12"
    assert marie.custom_fields == {"numero_ordre_bureau": "154", "nom_de_naissance": "MARTIN"}


def test_an_unknown_day_and_month_keeps_the_birth_year(run_import):
    run_import(REU)
    jean = Contact.objects.get(first_name="Jean")
    assert jean.birth_date is None
    assert jean.custom_fields["annee_naissance"] == "1953"


def test_birthplace_and_nationality_are_never_stored_even_if_asked(run_import):
    headers = REU.splitlines()[0].split(";")
    asked = {
        **guess_mapping(headers),
        "Lieu de naissance": "custom:lieu",
        "Nationalité": "custom:nat",
    }
    run_import(REU, mapping=asked)
    stored = json.dumps(list(Contact.objects.values_list("custom_fields", flat=True)))
    assert "ALGER" not in stored and "FRANCAISE" not in stored
