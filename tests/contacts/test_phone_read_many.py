"""The vectorized phone reader gives exactly what phone_read gives, value by value."""

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from contacts.normalize import phone_read, phone_read_many

typed_numbers = st.one_of(
    st.text(alphabet="0123456789 .-+()/", max_size=20),
    st.builds(
        lambda prefix, nine, sep: (
            prefix + sep.join([nine[0], nine[1:3], nine[3:5], nine[5:7], nine[7:]])
        ),
        st.sampled_from(["0", "+33 ", "0033 ", "+33 (0)", "", "+33", "33 ", "+32 "]),
        st.text(alphabet="0123456789", min_size=9, max_size=9),
        st.sampled_from(["", " ", ".", "-"]),
    ),
    st.text(max_size=15),
)


@settings(max_examples=300, deadline=None)  # a busy machine is not a failure
@given(st.lists(typed_numbers, min_size=1, max_size=20))
def test_vectorized_reading_matches_phone_read(values):
    many = phone_read_many(pd.Series(values))
    for value, (_, row) in zip(values, many.iterrows(), strict=True):
        one = phone_read(value)
        assert (row.raw, row.e164, row.kind) == (one.raw, one.e164, one.kind), value
