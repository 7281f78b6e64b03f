"""Where the simulator answered otherwise than HubSpot (found by fuzzing HubSpot's description of the API).

An unknown association category is a 400 (the request enum is closed); a percent-encoded event id
reaches its operation; a wrong method on a known path is a 405 with `Allow`.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from hubspot_email.testing import SIMULATOR_TOKEN, Simulator
from hubspot_email.testing._spec import load_spec

V4 = "/marketing/v4/email/single-send"
BATCH = "/crm/v3/objects/emails/batch/create"
AUTH = {"Authorization": f"Bearer {SIMULATOR_TOKEN}"}
CATEGORIES: list[str] = load_spec()["components"]["schemas"]["AssociationCategory"]["enum"]


def engagement(category: Any) -> dict[str, Any]:
    return {
        "properties": {"hs_timestamp": "1795000000000"},
        "associations": [
            {"to": {"id": "1"}, "types": [{"associationCategory": category, "associationTypeId": 198}]}
        ],
    }


def attendance(event: str, state: str = "register") -> str:
    return f"/marketing/v3/marketing-events/{event}/attendance/{state}/email-create"


GUEST = {
    "inputs": [
        {
            "email": "ada@example.com",
            "interactionDateTime": 1795000000000,
            "properties": {},
            "contactProperties": {},
        }
    ]
}


def http(sim: Simulator) -> httpx.Client:
    return httpx.Client(transport=sim.transport, base_url="http://sim", headers=AUTH)


# The association category: a closed enum in requests, read from the spec.
def test_the_spec_names_the_four_categories_hubspot_accepts() -> None:
    assert CATEGORIES == ["HUBSPOT_DEFINED", "USER_DEFINED", "INTEGRATOR_DEFINED", "WORK"]


@pytest.mark.parametrize("category", CATEGORIES)
def test_each_known_association_category_is_created(category: str) -> None:
    sim = Simulator()
    with http(sim) as client:
        assert client.post(BATCH, json={"inputs": [engagement(category)]}).status_code == 201
    assert len(sim.emails) == 1


@pytest.mark.parametrize("category", ["CUSTOM", "hubspot_defined", ""])
def test_an_unknown_association_category_is_a_400_naming_the_field(category: str) -> None:
    sim = Simulator()
    with http(sim) as client:
        response = client.post(BATCH, json={"inputs": [engagement("WORK"), engagement(category)]})
    assert response.status_code == 400
    error = response.json()
    assert error["category"] == "VALIDATION_ERROR"
    field = "inputs[1].associations[0].types[0].associationCategory"
    assert [(item["in"], item["code"]) for item in error["errors"]] == [(field, "INVALID_VALUE")]
    assert error["message"].startswith(f"Invalid input: {field}: ")
    assert sim.emails == []


# Percent-encoded path parameters.
def test_a_percent_encoded_event_id_reaches_its_operation_decoded() -> None:
    sim = Simulator()
    with http(sim) as client:
        response = client.post(attendance("a%2Fb"), json=GUEST)
    assert response.status_code == 200
    assert [record.event_id for record in sim.attendance] == ["a/b"]
    assert [(exchange.operation, exchange.path) for exchange in sim.exchanges] == [
        ("recordAttendanceByEmail", attendance("a%2Fb"))
    ]


def test_a_decoded_event_id_is_the_one_looked_up() -> None:
    sim = Simulator(events=["a/b", "50% off"])
    with http(sim) as client:
        assert client.post(attendance("a%2Fb"), json=GUEST).status_code == 200
        assert client.post(attendance("50%25%20off"), json=GUEST).status_code == 200
        unknown = client.post(attendance("a%2Fc"), json=GUEST)
        # An unencoded slash is another path: no such endpoint.
        assert client.post(attendance("a/b"), json=GUEST).json()["category"] == "NOT_FOUND"
    assert (unknown.status_code, unknown.json()["category"]) == (404, "OBJECT_NOT_FOUND")
    assert [record.event_id for record in sim.attendance] == ["a/b", "50% off"]


def test_over_loopback_the_raw_path_is_routed_too() -> None:
    sim = Simulator()
    with sim.serve() as base_url, httpx.Client(base_url=base_url, headers=AUTH, timeout=10) as client:
        assert client.post(attendance("a%2Fb"), json=GUEST).status_code == 200
        assert client.get(V4).status_code == 405
    assert [record.event_id for record in sim.attendance] == ["a/b"]


# Methods.
@pytest.mark.parametrize(("method", "path"), [("GET", V4), ("PUT", BATCH), ("DELETE", attendance("e1"))])
def test_a_wrong_method_on_a_known_path_is_a_405_with_allow(method: str, path: str) -> None:
    sim = Simulator()
    with http(sim) as client:
        response = client.request(method, path)
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert response.json()["category"] == "METHOD_NOT_ALLOWED"
    assert [(exchange.status, exchange.processed) for exchange in sim.exchanges] == [(405, False)]


def test_an_unknown_path_is_still_a_404_whatever_the_method() -> None:
    sim = Simulator()
    with http(sim) as client:
        assert client.post("/marketing/v4/email/nope", json={}).status_code == 404
        assert client.get("/marketing/v4/email/nope").status_code == 404
