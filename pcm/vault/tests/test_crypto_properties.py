"""Property-based tests of the encryption: round-trips, no plaintext, tampering and context."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from pcm.vault import crypto, keys

# The autouse keyring fixture is function-scoped: it is fine to share it between examples.
PROPERTY = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
ARABIC = st.text(alphabet=st.characters(min_codepoint=0x0600, max_codepoint=0x06FF), min_size=1)
EMOJI = st.text(alphabet=st.characters(min_codepoint=0x1F300, max_codepoint=0x1FAFF), min_size=1)
TEXT = st.one_of(st.text(), ARABIC, EMOJI, st.text(min_size=200, max_size=2000))
CONTEXT = st.text(min_size=1, max_size=60)


@PROPERTY
@given(plain=TEXT, context=CONTEXT)
def test_text_round_trips(plain, context):
    sealed = crypto.encrypt_text(plain, context)
    assert sealed.startswith(crypto.PREFIX)
    assert crypto.decrypt_text(sealed, context) == plain


@PROPERTY
@given(plain=TEXT.filter(lambda text: len(text) >= 6), context=CONTEXT)
def test_the_ciphertext_never_contains_the_plaintext(plain, context):
    sealed = crypto.encrypt_text(plain, context)
    # A very short ASCII text could turn up in random base64 by chance; six characters or
    # more practically never do, and non-ASCII text never can (the token is ASCII).
    assert plain not in sealed
    assert plain.encode("utf-8") not in sealed.encode("ascii")


@PROPERTY
@given(plain=TEXT, context=CONTEXT, data=st.data())
def test_tampering_with_any_character_makes_text_unreadable(plain, context, data):
    sealed = crypto.encrypt_text(plain, context)
    position = data.draw(st.integers(min_value=0, max_value=len(sealed) - 1))
    replacement = data.draw(st.characters(min_codepoint=33, max_codepoint=126))
    assume(replacement != sealed[position])
    tampered = sealed[:position] + replacement + sealed[position + 1 :]
    with pytest.raises(crypto.Unreadable):
        crypto.decrypt_text(tampered, context)


@PROPERTY
@given(plain=TEXT, context=CONTEXT, other=CONTEXT)
def test_a_value_moved_to_another_column_is_unreadable(plain, context, other):
    assume(context != other)
    with pytest.raises(crypto.Unreadable):
        crypto.decrypt_text(crypto.encrypt_text(plain, context), other)


@PROPERTY
@given(plain=TEXT, context=CONTEXT, cut=st.integers(min_value=1, max_value=40))
def test_a_truncated_value_is_unreadable(plain, context, cut):
    sealed = crypto.encrypt_text(plain, context)
    with pytest.raises(crypto.Unreadable):
        crypto.decrypt_text(sealed[:-cut], context)


@PROPERTY
@given(content=st.binary(max_size=4096), context=CONTEXT)
def test_bytes_round_trip(content, context):
    sealed = crypto.encrypt_bytes(content, context)
    assert crypto.key_id_of_bytes(sealed) == keys.keyring().active
    assert crypto.decrypt_bytes(sealed, context) == content


@PROPERTY
@given(content=st.binary(min_size=8, max_size=4096), context=CONTEXT)
def test_sealed_bytes_never_contain_the_content(content, context):
    assume(len(set(content)) > 2)  # not a run of one byte that random output may contain
    assert content not in crypto.encrypt_bytes(content, context)


@PROPERTY
@given(content=st.binary(max_size=1024), context=CONTEXT, data=st.data())
def test_tampering_with_any_byte_makes_a_file_unreadable(content, context, data):
    sealed = crypto.encrypt_bytes(content, context)
    position = data.draw(st.integers(min_value=0, max_value=len(sealed) - 1))
    flip = data.draw(st.integers(min_value=1, max_value=255))
    tampered = bytearray(sealed)
    tampered[position] ^= flip
    with pytest.raises(crypto.Unreadable):
        crypto.decrypt_bytes(bytes(tampered), context)


@PROPERTY
@given(content=st.binary(max_size=1024), context=CONTEXT, other=CONTEXT)
def test_a_file_opened_for_another_purpose_is_unreadable(content, context, other):
    assume(context != other)
    with pytest.raises(crypto.Unreadable):
        crypto.decrypt_bytes(crypto.encrypt_bytes(content, context), other)


@PROPERTY
@given(content=st.binary(max_size=64), context=CONTEXT, cut=st.integers(min_value=1, max_value=80))
def test_a_truncated_file_is_unreadable(content, context, cut):
    sealed = crypto.encrypt_bytes(content, context)
    with pytest.raises(crypto.Unreadable):
        crypto.decrypt_bytes(sealed[: max(0, len(sealed) - cut)], context)
