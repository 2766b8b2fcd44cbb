"""Phones are stored in E.164 however a French number was typed; unreadable ones stay raw."""

from hypothesis import given
from hypothesis import strategies as st

from contacts.normalize import phone_read

# A metropolitan French mobile without its 0: 60-62, 64-68 or 73-79, then seven digits
# (parts of 063 and 069 belong to the overseas departments: +262, +590 and others).
digits = st.text(alphabet="0123456789", min_size=7, max_size=7)
mobiles = st.one_of(
    st.tuples(st.just("6"), st.sampled_from("01245678"), digits),
    st.tuples(st.just("7"), st.sampled_from("3456789"), digits),
).map("".join)
separators = st.sampled_from(["", " ", ".", "-"])


def pairs(digits: str, sep: str) -> str:
    """0612345678 → 06 12 34 56 78 with the given separator."""
    return sep.join(digits[i : i + 2] for i in range(0, len(digits), 2))


@given(mobiles, separators)
def test_national_form_06(nine, sep):
    assert phone_read(pairs("0" + nine, sep)).e164 == "+33" + nine


@given(mobiles, separators)
def test_international_form_plus_33(nine, sep):
    assert phone_read(f"+33{sep}{nine[0]}{sep}{pairs(nine[1:], sep)}").e164 == "+33" + nine


@given(mobiles, separators)
def test_international_form_0033(nine, sep):
    assert phone_read(f"0033{sep}{nine[0]}{sep}{pairs(nine[1:], sep)}").e164 == "+33" + nine


@given(mobiles, separators)
def test_form_without_the_leading_zero(nine, sep):
    assert phone_read(f"{nine[0]}{sep}{pairs(nine[1:], sep)}").e164 == "+33" + nine


@given(mobiles)
def test_french_mobiles_are_recognised_as_mobiles(nine):
    assert phone_read("0" + nine).kind == "mobile"


def test_a_landline_is_a_landline():
    reading = phone_read("04 78 12 34 56")
    assert (reading.e164, reading.kind) == ("+33478123456", "landline")


def test_a_foreign_number_with_its_country_code_is_kept_in_its_country():
    assert phone_read("+32 470 12 34 56").e164 == "+32470123456"


@given(st.text(max_size=30))
def test_any_text_gives_either_a_valid_number_or_the_raw_text_flagged(text):
    reading = phone_read(text)
    assert reading.raw == text.strip()
    if not reading.is_valid:
        assert reading.e164 == "" and reading.kind == "unknown"
    else:
        assert reading.e164.startswith("+")


def test_a_truncated_number_is_kept_raw_and_flagged():
    reading = phone_read("06 12 34")
    assert (reading.raw, reading.e164, reading.is_valid) == ("06 12 34", "", False)
