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
        "Stop!!",
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


@pytest.mark.parametrize(
    "body",
    [
        "stop svp",
        "STOP merci",
        "stop stop",
        "Merci, stop",
        "STOP SVP MERCI",
        "Stop SMS merci",
        "arrêt svp",
        "stopall svp",
        "merci de me désabonner",
        "ne plus recevoir, stop",
        "Désinscription svp",
        "me désinscrire",
        "unsubscribe please",
        "opt out thanks",
        "optout merci",
        "stop please, wrong number",
    ],
)
def test_a_few_words_starting_or_ending_with_a_clear_keyword_opt_out_at_once(body):
    assert classify(body) == "opt_out"


@pytest.mark.parametrize(
    "body",
    [
        "S\u200bTOP",  # zero-width space
        "\ufeffSTOP svp",  # byte order mark
        "ST\u2060OP",  # word joiner
        "STO\u200dP merci",  # zero-width joiner
        "stop\u00a0svp",  # no-break space
        "merci\u202fstop",  # narrow no-break space
        "STOP\u2007SMS",  # figure space
        "ＳＴＯＰ",  # fullwidth
        "\u0405\u0422\u041e\u0420",  # Cyrillic Ѕ Т О Р
        "\u0455t\u043e\u0440",  # Cyrillic ѕ о р, Latin t
        "S\u03a4\u039f\u03a1",  # Greek Τ Ο Ρ
        "st\u03bf\u03c1 svp",  # Greek ο ρ
        "\u0410RR\u0415\u0422",  # Cyrillic А Е Т
        "\u0391RR\u0395\u03a4 !",  # Greek Α Ε Τ
        "ST0P",
        "st0p merci",
        "0PT 0UT",
    ],
)
def test_invisible_characters_odd_spaces_and_look_alike_letters_still_say_stop(body):
    assert classify(body) == "opt_out"


@pytest.mark.parametrize("body", ["\u0405\u03a4\u0391RT", "UNST\u200bOP", "ST\u0410RT"])
def test_start_written_with_look_alike_letters_still_opts_back_in(body):
    assert classify(body) == "opt_in"


@pytest.mark.parametrize("body", ["start svp", "unstop merci"])
def test_start_counts_only_alone(body):
    assert classify(body) == "reply"


@pytest.mark.parametrize("body", ["cancel svp", "The end", "quit now", "revoke it"])
def test_ambiguous_english_keywords_count_only_alone(body):
    assert classify(body) == "reply"


@pytest.mark.parametrize(
    "body",
    [
        "pas stop",
        "don't stop",
        "Don\u2019t stop!",
        "do not stop",
        "ne stop pas",
        "non stop",
        "non-stop",
        "pas d'arrêt",
        "never unsubscribe",
    ],
)
def test_a_negation_among_the_few_words_goes_to_a_human(body):
    assert classify(body) == "review"


@pytest.mark.parametrize(
    "body",
    [
        "Merci de ne plus m'écrire, STOP",
        "stop please, this is the wrong number",
        "stop merci et bonne journée",
        "svp stop merci",
        "Je ne viendrai pas, st\u200bop les messages le dimanche",
    ],
)
def test_a_stop_inside_a_sentence_goes_to_a_human(body):
    assert classify(body) == "review"


def test_an_ordinary_reply_is_a_reply():
    assert classify("Oui je serai là samedi") == "reply"
