"""Schemathesis against a live server: every operation of /api/v1/schema/, as a village
纪检委员, a town 纪委书记 and county staff (personal tokens), with data that fits the schema
and data that does not. No answer may be a server error or break the schema (status code,
content type, headers, body). Bounded (few examples an operation, fixed seed) to stay well
under 90 s on a loaded 2-core machine."""

import time
from collections import Counter

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings, strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (content_type_conformance, response_headers_conformance,
                                               response_schema_conformance, status_code_conformance)

from api.models import ApiToken

pytestmark = pytest.mark.django_db(transaction=True)

ROLES = ("v11_disc", "t1_disc", "staff")
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
          response_schema_conformance]
EXAMPLES = {GenerationMode.POSITIVE: 2, GenerationMode.NEGATIVE: 1}


def _objects(county) -> dict:
    """Objects for the path ids to hit (besides the random ones): tasks in each state, an
    extension request, a file, a message, duty lists, findings and measures (the API matrix's)."""
    from tests.matrix import api as api_matrix

    return {k: v for k, v in api_matrix.setup(county).items() if isinstance(v, int)}


def test_every_operation_as_three_roles(county, live_server, monkeypatch):
    from api.throttling import PerTokenOrUserThrottle

    monkeypatch.setattr(PerTokenOrUserThrottle, "THROTTLE_RATES", {"api": "100000/min"})
    known_ids = sorted(set(_objects(county).values()))
    secrets = {u: ApiToken.issue(county.users[u], "schemathesis")[1] for u in ROLES}
    raw = requests.get(f"{live_server.url}/api/v1/schema/?format=json",
                       headers={"Authorization": f"Bearer {secrets['staff']}"}, timeout=30).json()
    schema = schemathesis.openapi.from_dict(raw)
    failures, calls, started = [], 0, time.monotonic()
    spent, statuses = [0.0], Counter()
    session = requests.Session()
    for result in schema.get_all_operations():
        operation = result.ok()
        path_ids = {"id": st.sampled_from(known_ids) | st.integers(min_value=1, max_value=2**31)} if "{id}" in operation.path else {}
        for mode, n in EXAMPLES.items():
            for user in ROLES:
                headers = {"Authorization": f"Bearer {secrets[user]}"}
                strategy = operation.as_strategy(generation_mode=mode)
                if path_ids and mode is GenerationMode.POSITIVE:
                    strategy = st.tuples(strategy, path_ids["id"]).map(lambda t: _with_id(*t))

                @settings(max_examples=n, derandomize=True, database=None, deadline=None, phases=[Phase.generate],
                          suppress_health_check=list(HealthCheck))
                @given(case=strategy)
                def run(case):
                    nonlocal calls
                    calls += 1
                    t0 = time.monotonic()
                    response = case.call(base_url=live_server.url, session=session, headers=headers, timeout=30)
                    spent[0] += time.monotonic() - t0
                    statuses[(case.method, response.status_code // 100)] += 1
                    try:
                        case.validate_response(response, checks=CHECKS, headers=headers)
                    except (Exception, BaseExceptionGroup) as exc:  # collected: every failing operation is reported at once
                        failures.append(f"{user} {mode.value} {case.method} {case.formatted_path}: {exc}"[:3000])

                run()
    elapsed = time.monotonic() - started
    print(f"schemathesis: {calls} calls in {elapsed:.1f} s (HTTP {spent[0]:.1f} s); by method and status class: {dict(statuses)}")
    assert calls > 200 and statuses[("GET", 2)] and statuses[("POST", 2)] and statuses[("POST", 4)]  # reached, both ways
    assert not failures, "\n\n".join(failures[:20])


def _with_id(case, pk):
    case.path_parameters = {**(case.path_parameters or {}), "id": pk}
    return case
