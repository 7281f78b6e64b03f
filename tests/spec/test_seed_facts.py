"""The committed seed facts (`seed_facts.json`) against HubSpot's pages, so the two cannot drift apart.

The spec tests read only the committed facts, so a clone without `shared/seeds/` beside it passes. When
the pages are there (`../shared/seeds` from the repository root, or `HUBSPOT_EMAIL_SEEDS_DIR`), this
re-extracts every fact with the parsers of `_seeds.py` and compares. When they are not, it skips, and
`tests/conftest.py` repeats the reason in the run's summary, so the missing check is seen. A
`HUBSPOT_EMAIL_SEEDS_DIR` that names no folder is a mistake, and fails.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import pytest
from hubspot_email._validation import ROLE_BASED_LOCAL_PARTS

if TYPE_CHECKING:  # mypy resolves the helper by its path; pytest puts this folder on sys.path
    from tests.spec._seeds import (
        FACTS_PATH,
        SEED_OPERATIONS,
        SEEDS_DIR,
        SEEDS_DIR_VARIABLE,
        SEEDS_MISSING,
        extract_facts,
        facts_json,
        load_facts,
        seed_role_based_local_parts,
        seeds_present,
    )
else:
    from _seeds import (
        FACTS_PATH,
        SEED_OPERATIONS,
        SEEDS_DIR,
        SEEDS_DIR_VARIABLE,
        SEEDS_MISSING,
        extract_facts,
        facts_json,
        load_facts,
        seed_role_based_local_parts,
        seeds_present,
    )


def test_committed_facts_match_the_pages() -> None:
    if not seeds_present():
        if os.environ.get(SEEDS_DIR_VARIABLE):
            pytest.fail(f"{SEEDS_DIR_VARIABLE}={SEEDS_DIR} is not a folder of seed pages")
        pytest.skip(SEEDS_MISSING)
    extracted = extract_facts()
    committed = load_facts()
    drifted = [
        f"{page}: {key}"
        for page, facts in extracted["pages"].items()
        for key, value in facts.items()
        if committed["pages"].get(page, {}).get(key) != value
    ]
    assert drifted == [], "seed_facts.json differs from the pages; run `python tests/spec/_seeds.py --write`"
    assert committed == extracted


def test_committed_facts_are_the_generators_output() -> None:
    """Written by `_seeds.py --write`, not edited by hand: every page, in the generator's layout."""
    committed = load_facts()
    assert list(committed["pages"]) == list(SEED_OPERATIONS)
    assert {page: facts["operation"] for page, facts in committed["pages"].items()} == SEED_OPERATIONS
    assert FACTS_PATH.read_text(encoding="utf-8") == facts_json(committed)


def test_role_based_local_parts_are_the_legacy_pages() -> None:
    """The overlay refuses exactly the role-based local parts page 001 names (INVALID_TO_ADDRESS)."""
    listed = seed_role_based_local_parts()
    assert len(listed) == 11
    assert frozenset(listed) == ROLE_BASED_LOCAL_PARTS
