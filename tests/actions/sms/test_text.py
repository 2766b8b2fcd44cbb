"""How long a text is, what it costs, and what a reply means."""

import pytest

from actions.sms.text import classify, measure, render


def test_plain_french_fits_gsm7_and_160_characters_make_one_segment():
    length = measure("Bonjour Léa, réunion à 18h à la Croix-Rousse !" + "x" * 114)
    assert (length.encoding, length.characters, length.segments) == ("GSM-7", 160, 1)
    assert measure("x" * 161).segments == 2 and measure("x" * 307).segments == 3


def test_one_character_outside_gsm7_switches_the_whole_text_to_ucs2():
    length = measure("Fête de quartier")  # ê is not in GSM-7
    assert (length.encoding, length.per_segment, length.offenders) == ("UCS-2", 70, "ê")
    assert measure("ç" + "x" * 70).segments == 2


def test_the_gsm7_extension_characters_count_twice():
    assert measure("€" * 80).characters == 160 and measure("€" * 81).segments == 2


def test_merge_fields_in_french_and_english_and_the_opt_out_line():
    values = {"first_name": "Léa", "last_name": "Garnier", "commune": "Lyon"}
    assert render("Bonjour {prenom} {nom} de {commune}", values) == "Bonjour Léa Garnier de Lyon"
    assert render("Hi {first_name} from {town}", values, opt_out_line="STOP au 36180") == (
        "Hi Léa from Lyon\nSTOP au 36180"
    )
    assert render("Bonjour {prenom} !", {}) == "Bonjour !"  # unknown name: no gap


@pytest.mark.parametrize(
    "body",
    [
        "STOP",
        "stop",
        " Stop. ",
        "ARRET",
        "arrêt",
        "Arrêt !",
        "STOP SMS",
        "stop sms",
        "STOPALL",
        "DESABONNER",
        "désabonner",
        "UNSUBSCRIBE",
        "cancel",
        "END",
        "quit",
        "REVOKE",
        "OPTOUT",
        "opt-out",
    ],
)
def test_every_opt_out_keyword_in_any_case_with_stray_spaces_and_punctuation(body):
    assert classify(body) == "opt_out"


@pytest.mark.parametrize("body", ["START", "start", "Unstop"])
def test_start_and_unstop_opt_back_in(body):
    assert classify(body) == "opt_in"


@pytest.mark.parametrize("body", ["Merci de ne plus m'écrire, STOP", "stop please, wrong number"])
def test_a_stop_inside_a_sentence_goes_to_a_human(body):
    assert classify(body) == "review"


def test_an_ordinary_reply_is_a_reply():
    assert classify("Oui je serai là samedi") == "reply"
