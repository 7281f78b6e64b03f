"""The fast path of the address checks accepts only what email-validator accepts; it never refuses."""

from __future__ import annotations

import email_validator
import pytest
from email_validator import EmailNotValidError, validate_email
from hubspot_email import InvalidInputError
from hubspot_email._validation import (
    _SPECIAL_USE_DOMAIN_NAMES,
    _check_address,
    _is_plain_address,
    check_attendee_email,
    check_recipient,
)
from hypothesis import given, settings
from hypothesis import strategies as st

ATEXT = "abcxyzABCXYZ0189!#$%&'*+/=?^_`{|}~-"
LABEL_CHARACTERS = "abzABZ019-"
LOCAL_64 = "l" * 64
LABEL_63 = "d" * 63
# A 254-character address: the longest email-validator takes.
LONGEST = f"{'l' * 64}@{'a' * 63}.{'b' * 63}.{'c' * 57}.com"

# (address, accepted by the fast path)
CASES: list[tuple[str, bool]] = [
    ("ada@example.com", True),
    ("Ada.Lovelace+tag@Example.COM", True),
    ("a@b.co", True),
    ("o'brien@example.ie", True),
    ("x!#$%&'*+/=?^_`{|}~-@example.com", True),
    ("a-b@a-b.c-d.org", True),
    ("a@1a.example.com", True),
    ("noreply@example.com", True),  # the syntax is fine; the role-based refusal comes after
    (f"{LOCAL_64}@example.com", True),
    (f"a@{LABEL_63}.com", True),
    (LONGEST, True),
    # Not plain: email-validator decides (and accepts some of these).
    (f"l{LOCAL_64}@example.com", False),  # accepted unless email-validator is in strict mode
    (f"a@d{LABEL_63}.com", False),
    (f"{LONGEST[:-4]}x.com", False),  # 255 characters
    ("a@xn--bcher-kva.example", False),
    ("a@ab--cd.com", False),
    ("a@a--b.com", False),
    ("a@example.test", False),
    ("a@foo.localhost", False),
    ("a@EXAMPLE.ONION", False),
    ("a@x.Local", False),
    ("a@x.arpa", False),
    ("a@x.invalid", False),
    ("a@localhost", False),
    ("a@example", False),
    ("a@example.c1", False),
    ("a@example.123", False),
    ("a@-example.com", False),
    ("a@example-.com", False),
    (".a@example.com", False),
    ("a.@example.com", False),
    ("a..b@example.com", False),
    ("a@example..com", False),
    ("a@.example.com", False),
    ("a@example.com.", False),
    ('"a b"@example.com', False),
    ("Ada <ada@example.com>", False),
    (" ada@example.com", False),
    ("ada@example.com ", False),
    ("ada@example.com\n", False),
    ("ádá@example.com", False),
    ("ada@exämple.com", False),
    ("ada@example.cöm", False),
    ("a@[127.0.0.1]", False),
    ("a@b@example.com", False),
    ("a@example_x.com", False),
    ("", False),
    ("@example.com", False),
    ("a@", False),
    ("ada", False),
    ("ada\uff20example.com", False),  # a full-width at-sign
]


def _validator_says(address: str, allow_display_name: bool = False) -> str | None:
    try:
        validate_email(address, check_deliverability=False, allow_display_name=allow_display_name)
    except EmailNotValidError as error:
        return str(error)
    return None


@pytest.mark.parametrize(("address", "plain"), CASES, ids=[repr(case[0])[:40] for case in CASES])
def test_the_fast_path_accepts_only_what_email_validator_accepts(address: str, plain: bool) -> None:
    assert len(LONGEST) == 254
    assert _is_plain_address(address) is plain
    if plain:
        assert _validator_says(address) is None
        assert _validator_says(address, allow_display_name=True) is None


@pytest.mark.parametrize(("address", "plain"), CASES, ids=[repr(case[0])[:40] for case in CASES])
def test_the_address_check_says_what_email_validator_says(address: str, plain: bool) -> None:
    for allow_display_name in (False, True):
        problem = _validator_says(address, allow_display_name)
        if problem is None:
            assert _check_address("to", address, allow_display_name=allow_display_name) == address
        else:
            with pytest.raises(InvalidInputError) as caught:
                _check_address("to", address, allow_display_name=allow_display_name)
            said = f"to: {address!r} is not a valid email address ({problem}). Pass one"
            assert str(caught.value).startswith(said)


def test_the_installed_email_validator_reserves_the_names_the_fast_path_knows() -> None:
    # Otherwise the fast path steps aside on every address: correct, but slow.
    assert email_validator.SPECIAL_USE_DOMAIN_NAMES == _SPECIAL_USE_DOMAIN_NAMES
    assert _is_plain_address("ada@example.com")


def test_the_fast_path_steps_aside_when_the_application_reserves_more_names(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    address = "fresh-5e0c@corp.example.org"  # not checked before: the cache of answers cannot hold it
    monkeypatch.setattr(
        email_validator, "SPECIAL_USE_DOMAIN_NAMES", [*_SPECIAL_USE_DOMAIN_NAMES, "example.org"]
    )
    assert not _is_plain_address(address)
    with pytest.raises(InvalidInputError, match="special-use or reserved name"):
        check_recipient("to", address)


@pytest.mark.parametrize("address", ["NoReply@example.com", "postmaster@example.org", "abuse@a.b.co"])
def test_role_based_addresses_on_the_fast_path_are_still_refused(address: str) -> None:
    assert _is_plain_address(address)
    with pytest.raises(InvalidInputError, match="role-based"):
        check_recipient("to", address)
    with pytest.raises(InvalidInputError, match="not a person who can attend"):
        check_attendee_email("attendees[0].email", address)


# Addresses shaped like the fast path's subset, with near misses mixed in: dots and hyphens anywhere,
# a few characters outside it, labels and local parts around their length limits.
_atoms = st.text(alphabet=ATEXT + '.@" é', min_size=0, max_size=70)
_labels = st.text(alphabet=LABEL_CHARACTERS + "_é", min_size=0, max_size=65)
_domains = st.lists(_labels, min_size=1, max_size=5).map(".".join)
_addresses = st.one_of(
    st.builds(lambda local, domain: f"{local}@{domain}", _atoms, _domains),
    st.text(alphabet=ATEXT + ".@-é ", max_size=40),
)


@settings(max_examples=600, deadline=None)
@given(_addresses)
def test_every_address_the_fast_path_accepts_email_validator_accepts(address: str) -> None:
    if _is_plain_address(address):
        assert _validator_says(address) is None, address
        assert _validator_says(address, allow_display_name=True) is None, address


# Common addresses, always inside the subset (local parts of at most 62 characters, no "--" in a label,
# no reserved top-level domain): the fast path takes every one, and email-validator agrees.
_plain_locals = st.lists(st.text(alphabet=ATEXT, min_size=1, max_size=20), min_size=1, max_size=3).map(
    ".".join
)
_plain_labels = st.from_regex(r"[A-Za-z0-9]{1,20}(?:-[A-Za-z0-9]{1,20})?", fullmatch=True)
_plain_tlds = st.from_regex(r"[A-Za-z]{2,10}", fullmatch=True).filter(
    lambda tld: tld.lower() not in _SPECIAL_USE_DOMAIN_NAMES
)
_plain_addresses = st.builds(
    lambda local, labels, tld: f"{local}@{'.'.join([*labels, tld])}",
    _plain_locals,
    st.lists(_plain_labels, min_size=1, max_size=3),
    _plain_tlds,
)


@settings(max_examples=600, deadline=None)
@given(_plain_addresses)
def test_common_addresses_take_the_fast_path_and_email_validator_agrees(address: str) -> None:
    assert _is_plain_address(address), address
    assert _validator_says(address) is None, address
