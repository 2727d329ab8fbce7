"""`GET /metrics` on the metrics listener (`server.metrics.listen`), `GET /healthz` and `GET /readyz`
(issue 14): the exposition parsed strictly, counters that move with real requests by exactly what
was sent, and health paths that open nothing else."""

from __future__ import annotations

import http.client
import json

import pytest

from keyturn_e2e import KeyturnServer, client, expect_error, free_port
from ops_support import ALLOW_CONFIG, USER_KEY, parse_prometheus, sample


@pytest.fixture(scope="module")
def node(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("keyturn-metrics")
    metrics_port = free_port()
    srv = KeyturnServer(workdir, ALLOW_CONFIG, server={"metrics": {"listen": f"127.0.0.1:{metrics_port}"}})
    srv.metrics_port = metrics_port
    yield srv
    assert srv.stop() == 0, srv.output()


def get(port: int, path: str, method: str = "GET", body: str | None = None) -> tuple[int, dict, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    headers = {"Content-Type": "application/x-www-form-urlencoded"} if body is not None else {}
    conn.request(method, path, body=body, headers=headers)
    r = conn.getresponse()
    out = (r.status, dict(r.getheaders()), r.read().decode())
    conn.close()
    return out


def scrape(node) -> dict:
    status, headers, text = get(node.metrics_port, "/metrics")
    assert status == 200
    assert headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8"
    return parse_prometheus(text)


def test_counters_move_by_exactly_the_requests_made(node):
    before = scrape(node)
    iam = client("iam", node.endpoint, USER_KEY)
    for _ in range(3):
        iam.get_user()
    # Not allowed by the user's policy: an authorization denial.
    expect_error(iam.list_users, "AccessDenied", None, 403)
    # A wrong secret: refused before authorization.
    bad = client("iam", node.endpoint, (USER_KEY[0], "not-the-secret"))
    expect_error(bad.get_user, "SignatureDoesNotMatch", None, 403)
    # No such action.
    status, _, _ = get(node.port, "/", "POST", "Action=NoSuchThing&Version=2011-06-15")
    assert status == 400
    after = scrape(node)

    def delta(name, **labels):
        return sample(after, name, **labels) - sample(before, name, **labels)

    assert delta("keyturn_requests_total", action="GetUser", status="2xx") == 3
    assert delta("keyturn_requests_total", action="GetUser", status="4xx") == 1
    assert delta("keyturn_requests_total", action="ListUsers", status="4xx") == 1
    assert delta("keyturn_requests_total", action="", status="4xx") == 1
    assert delta("keyturn_request_errors_total", code="AccessDenied") == 1
    assert delta("keyturn_request_errors_total", code="SignatureDoesNotMatch") == 1
    assert delta("keyturn_request_errors_total", code="InvalidAction") == 1
    assert delta("keyturn_request_duration_seconds_count", action="GetUser") == 4
    assert delta("keyturn_request_duration_seconds_bucket", action="GetUser", le="+Inf") == 4
    assert delta("keyturn_request_duration_seconds_sum", action="GetUser") > 0
    assert delta("keyturn_authorization_decisions_total", result="allow") == 3
    assert delta("keyturn_authorization_decisions_total", result="deny") == 1
    assert delta("keyturn_connections_accepted_total") >= 1
    assert sample(after, "keyturn_connections_refused_total") == 0


def test_the_snapshot_and_store_generations_agree_with_readyz(node):
    status, headers, body = get(node.port, "/readyz")
    assert status == 200
    assert headers["content-type"] == "application/json"
    assert headers["cache-control"] == "no-store"
    ready = json.loads(body)
    assert ready["status"] == "ready"
    samples = scrape(node)
    assert sample(samples, "keyturn_store_up") == 1
    assert sample(samples, "keyturn_store_generation") == ready["store_generation"]
    assert sample(samples, "keyturn_snapshot_generation") == ready["snapshot_generation"]
    assert sample(samples, "keyturn_snapshot_age_seconds") >= 0
    assert sample(samples, "keyturn_store_errors_total") == 0


def test_healthz_is_alive_on_both_listeners(node):
    for port in (node.port, node.metrics_port):
        status, headers, body = get(port, "/healthz")
        assert (status, json.loads(body)) == (200, {"status": "alive"})
        assert headers["cache-control"] == "no-store"


def test_health_checks_are_not_counted_as_requests(node):
    before = scrape(node)
    for _ in range(3):
        get(node.port, "/healthz")
        get(node.port, "/readyz")
    after = scrape(node)
    for status in ("2xx", "4xx", "5xx"):
        assert sample(after, "keyturn_requests_total", action="", status=status) == sample(
            before, "keyturn_requests_total", action="", status=status
        )


@pytest.mark.parametrize(
    "method,path",
    [
        ("POST", "/healthz"),
        ("GET", "/healthz/"),
        ("GET", "/healthzz"),
        ("GET", "/readyz/x"),
        ("GET", "/HEALTHZ"),
        ("GET", "/metrics"),
    ],
)
def test_no_other_path_or_method_is_an_unsigned_health_check(node, method, path):
    """Only `GET /healthz` and `GET /readyz` are answered without a signature; everything else is an
    ordinary Query request (here without an Action: MissingAction), and the main listener has no
    `/metrics`."""
    status, headers, body = get(node.port, path, method, "" if method == "POST" else None)
    assert status == 400, body
    assert headers["content-type"] == "text/xml"
    assert "<Code>MissingAction</Code>" in body, body


def test_a_health_path_with_an_action_in_its_query_is_still_only_a_health_check(node):
    status, _, body = get(node.port, "/healthz?Action=GetCallerIdentity&Version=2011-06-15")
    assert (status, json.loads(body)) == (200, {"status": "alive"})


def test_the_metrics_listener_serves_nothing_else(node):
    assert get(node.metrics_port, "/")[0] == 404
    assert get(node.metrics_port, "/metrics/x")[0] == 404
    status, headers, _ = get(node.metrics_port, "/metrics", "POST", "x=1")
    assert status == 405
    assert headers["allow"] == "GET"
