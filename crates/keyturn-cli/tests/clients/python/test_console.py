"""The web console in a real browser: headless Chromium (Debian's package) driven by Selenium.

The server runs the seed scenario (docs/examples/cross-account.yaml) with access keys for the
production account's root (who may use the console, as any account root may); a second one adds a
role whose description and trust condition carry markup, which every page must show as text.

With KEYTURN_CONSOLE_SCREENSHOTS=1 the tests write the screenshots of docs/console.md to
docs/console/*.png; routine runs leave them alone.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import shutil
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
import yaml

from keyturn_e2e import DEV, PROD, REPO, SEED_CONFIG, KeyturnServer, client, free_port

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
if not (CHROMIUM and CHROMEDRIVER):
    pytest.skip(
        "skipped: no chromium/chromedriver (Debian's chromium and chromium-driver; `make test` installs them)",
        allow_module_level=True,
    )

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

# The production account's root key (the id encodes 111111111111, as GetAccessKeyInfo reads it).
ROOT = ("AKIABTXV5AHDUUOEFGL6", "KeyturnExampleRootSecret/prod/000000000")
ALICE = ("AKIATHPL2AOHFJCVQTKQ", "KeyturnExampleSecretKey/alice/0000000000")
UPDATE_APP = f"arn:aws:iam::{PROD}:role/UpdateApp"
UPDATE_APP_MFA = f"arn:aws:iam::{PROD}:role/UpdateAppMfa"
DEVELOPERS = f"arn:aws:iam::{DEV}:group/developers"
HOSTILE = '</pre><script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">'
SCREENSHOTS = os.environ.get("KEYTURN_CONSOLE_SCREENSHOTS") == "1"


def seed_config(console_port: int, hostile: bool = False) -> dict:
    config = yaml.safe_load(SEED_CONFIG.read_text())
    for key in ("server", "keyring", "store"):
        config.pop(key, None)
    prod = next(a for a in config["accounts"] if a["id"] == PROD)
    prod["root"] = {"access_keys": [{"id": ROOT[0], "secret": ROOT[1]}]}
    if hostile:
        trust = {
            "Effect": "Allow",
            "Principal": {"AWS": f"arn:aws:iam::{DEV}:root"},
            "Action": "sts:AssumeRole",
            "Condition": {"StringEquals": {"sts:ExternalId": HOSTILE}},
        }
        prod["roles"].append(
            {"name": "Markup", "description": HOSTILE, "trust_policy": {"Version": "2012-10-17", "Statement": [trust]}}
        )
    config["console"] = {"listen": f"127.0.0.1:{console_port}"}
    return config


@pytest.fixture(scope="module")
def console(tmp_path_factory):
    """The server and its console's base URL."""
    port = free_port()
    srv = KeyturnServer(tmp_path_factory.mktemp("keyturn-console"), seed_config(port))
    srv.console = f"http://127.0.0.1:{port}"
    yield srv
    assert srv.stop() == 0, srv.output()


def chromium():
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1500,1000"):
        options.add_argument(arg)
    return webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)


@pytest.fixture(scope="module")
def browser(console):
    driver = chromium()
    sign_in(driver, console.console, ROOT)
    assert driver.current_url == console.console + "/model", driver.page_source
    yield driver
    driver.quit()


def sign_in(driver, base: str, creds) -> None:
    driver.get(base + "/signin")
    driver.find_element(By.ID, "access_key_id").send_keys(creds[0])
    driver.find_element(By.ID, "secret_access_key").send_keys(creds[1])
    driver.find_element(By.ID, "signin").click()


def screenshot(driver, name: str) -> None:
    if SCREENSHOTS:
        out = REPO / "docs" / "console"
        out.mkdir(parents=True, exist_ok=True)
        height = driver.execute_script("return document.documentElement.scrollHeight")
        driver.set_window_size(1500, min(max(int(height) + 40, 700), 2400))
        driver.save_screenshot(str(out / f"{name}.png"))
        driver.set_window_size(1500, 1000)


def wait(driver, what, timeout: float = 15):
    return WebDriverWait(driver, timeout).until(lambda d: what(d))


# --- Without a browser: the refusals, as a client sees them -------------------------------------


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def opener():
    jar = http.cookiejar.CookieJar()
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect), jar


def fetch(o, url: str, data: dict | None = None, headers: dict | None = None):
    """(status, headers with lowercase names and the Set-Cookie lines joined by ` | `, body)."""
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    req = urllib.request.Request(url, data=body, headers=headers or {})
    try:
        r = o.open(req)
        status = r.status
    except urllib.error.HTTPError as e:
        r, status = e, e.code
    with r:
        got = {k.lower(): v for k, v in r.headers.items()}
        got["set-cookie"] = " | ".join(r.headers.get_all("Set-Cookie") or [])
        return status, got, r.read().decode()


def csrf_of(page: str) -> str:
    m = re.search(r'name="csrf" value="([0-9a-f]{64})"', page)
    assert m, page
    return m.group(1)


def signed_in_opener(base: str, creds):
    o, jar = opener()
    _, _, page = fetch(o, base + "/signin")
    status, headers, page = fetch(
        o, base + "/signin", {"csrf": csrf_of(page), "access_key_id": creds[0], "secret_access_key": creds[1]}
    )
    return o, jar, status, headers, page


def test_signed_out_requests_go_to_sign_in(console):
    o, _ = opener()
    status, headers, _ = fetch(o, console.console + "/model")
    assert (status, headers["location"]) == (303, "/signin")
    status, headers, body = fetch(o, console.console + "/audit/events")
    assert status == 401 and headers["content-type"] == "application/json"
    assert json.loads(body) == {"error": "sign in to use the console"}


def test_the_session_cookie_is_httponly_strict_and_random(console):
    _, jar, status, headers, _ = signed_in_opener(console.console, ROOT)
    assert (status, headers["location"]) == (303, "/model")
    session = [c for c in jar if c.name == "keyturn_console"]
    assert len(session) == 1 and re.fullmatch(r"[0-9a-f]{64}", session[0].value)
    line = next(c for c in headers["set-cookie"].split(" | ") if c.startswith("keyturn_console="))
    assert line == f"keyturn_console={session[0].value}; Path=/; Max-Age=3600; HttpOnly; SameSite=Strict"
    again = [c for c in signed_in_opener(console.console, ROOT)[1] if c.name == "keyturn_console"]
    assert again[0].value != session[0].value


def test_a_wrong_secret_and_an_unknown_key_are_refused(console):
    for creds, code in [
        ((ROOT[0], ROOT[1] + "x"), "SignatureDoesNotMatch"),
        (("AKIATHPL2AOHAAAAAAAA", "whatever"), "InvalidClientTokenId"),
    ]:
        _, jar, status, _, page = signed_in_opener(console.console, creds)
        assert status == 401, page
        assert f'<p class="error" id="signin-error">{code}: ' in page
        assert not [c for c in jar if c.name == "keyturn_console"]


def test_a_principal_without_console_permission_is_refused(console):
    _, jar, status, _, page = signed_in_opener(console.console, ALICE)
    assert status == 403, page
    assert f"<b>arn:aws:iam::{DEV}:user/alice</b> may not use the console" in page
    assert "keyturn:ConsoleRead" in page
    assert not [c for c in jar if c.name == "keyturn_console" and c.value]


def test_forms_without_their_csrf_token_are_refused(console):
    # Sign-in without the sign-in cookie's token.
    o, _ = opener()
    status, _, page = fetch(o, console.console + "/signin", {"access_key_id": ROOT[0], "secret_access_key": ROOT[1]})
    assert status == 403 and "CSRF token is missing or does not match" in page
    # A signed-in session: the simulator's form with a wrong token, and from another origin.
    o, _, _, _, _ = signed_in_opener(console.console, ROOT)
    _, _, page = fetch(o, console.console + "/simulate")
    token = csrf_of(page)
    form = {"principal": UPDATE_APP, "actions": "s3:GetObject", "resources": "arn:aws:s3:::productionapp/a"}
    status, _, page = fetch(o, console.console + "/simulate", {**form, "csrf": "0" * 64})
    assert status == 403, page
    status, _, page = fetch(o, console.console + "/simulate", {**form, "csrf": token}, {"Origin": "http://evil.example"})
    assert status == 403, page
    status, _, page = fetch(o, console.console + "/simulate", {**form, "csrf": token})
    assert status == 200 and '<span class="decision allowed">allowed</span>' in page, page
    # Signing out needs the token too, and ends the session.
    status, _, _ = fetch(o, console.console + "/signout", {"csrf": "bad"})
    assert status == 403
    status, headers, _ = fetch(o, console.console + "/signout", {"csrf": token})
    assert (status, headers["location"]) == (303, "/signin")
    status, headers, _ = fetch(o, console.console + "/model")
    assert (status, headers["location"]) == (303, "/signin")


def test_security_headers(console):
    o, _, _, _, _ = signed_in_opener(console.console, ROOT)
    status, headers, _ = fetch(o, console.console + "/model")
    assert status == 200
    assert "script-src 'self'" in headers["content-security-policy"]
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["cache-control"] == "no-store"


# --- In the browser ------------------------------------------------------------------------------


def test_model_page_lists_the_seed(console, browser):
    browser.get(console.console + "/model")
    text = browser.find_element(By.TAG_NAME, "main").text
    for expected in ("Account 111111111111 (production)", "Account 222222222222 (development)", UPDATE_APP,
                     f"arn:aws:iam::{DEV}:user/alice", DEVELOPERS, f"arn:aws:iam::{PROD}:policy/AppBucketReadWrite"):
        assert expected in text
    # Secrets never: the key id only.
    assert ALICE[0] in text and ALICE[1] not in browser.page_source
    assert browser.find_element(By.ID, "viewer").text == f"arn:aws:iam::{PROD}:root"
    screenshot(browser, "model")


def test_graph_shows_developers_to_update_app_with_the_mfa_condition(console, browser):
    browser.get(console.console + "/graph")
    svg = browser.find_element(By.CSS_SELECTOR, "#trust-graph svg")
    edge = f'g.edge[data-from="{DEVELOPERS}"][data-to="{UPDATE_APP}"]'
    assert svg.find_elements(By.CSS_SELECTOR, edge)
    mfa_edge = f'g.edge[data-from="{DEVELOPERS}"][data-to="{UPDATE_APP_MFA}"]'
    assert svg.find_elements(By.CSS_SELECTOR, mfa_edge)
    labels = [t.text for t in svg.find_elements(By.TAG_NAME, "tspan")]
    assert "developers" in labels and "UpdateApp" in labels and "UpdateAppMfa" in labels
    assert "MFA: Bool aws:MultiFactorAuthPresent = true" in labels
    # The same edges as a table: developers -> UpdateAppMfa carries the MFA condition,
    # developers -> UpdateApp none; alice reaches them through her group.
    rows = {}
    for tr in browser.find_elements(By.CSS_SELECTOR, "table.edges tbody tr"):
        cells = tr.find_elements(By.TAG_NAME, "td")
        rows[(cells[0].text.split()[-1], cells[1].text.split()[-1])] = cells[3].text
    assert rows[(DEVELOPERS, UPDATE_APP)] == "none"
    assert rows[(DEVELOPERS, UPDATE_APP_MFA)] == "MFA: Bool aws:MultiFactorAuthPresent = true"
    assert (f"arn:aws:iam::{DEV}:user/alice", DEVELOPERS) in rows
    assert rows[(f"arn:aws:iam::{DEV}:root", UPDATE_APP)] == "none"
    screenshot(browser, "graph")


def test_a_denied_assume_role_appears_live_with_its_reason(console, browser):
    browser.get(console.console + "/audit")
    wait(browser, lambda d: d.find_element(By.ID, "audit-status").text.startswith("Live"))
    sts = client("sts", console.endpoint, ALICE)
    with pytest.raises(Exception) as denied:
        sts.assume_role(RoleArn=UPDATE_APP_MFA, RoleSessionName="console-test")
    assert denied.value.response["Error"]["Code"] == "AccessDenied"
    sts.assume_role(RoleArn=UPDATE_APP, RoleSessionName="console-test")

    def row(d):
        rows = d.find_elements(By.CSS_SELECTOR, "#audit tbody tr.denied[data-action='AssumeRole']")
        return rows[0] if rows else None

    denied_row = wait(browser, row)
    text = denied_row.text
    assert f"arn:aws:iam::{DEV}:user/alice" in text
    assert "AccessDenied" in text
    assert (f"User: arn:aws:iam::{DEV}:user/alice is not authorized to perform: sts:AssumeRole "
            f"on resource: {UPDATE_APP_MFA}") in text
    reasons = [li.text for li in denied_row.find_elements(By.CSS_SELECTOR, "ul.reasons li")]
    assert reasons[0].startswith("denied implicitly: the statements below allow it, but a policy")
    assert "matched: ALLOW statement of group policy assume-update-app" in reasons
    allowed = wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#audit tbody tr.allowed[data-action='AssumeRole']"))
    assert "allowed" in allowed[0].text
    screenshot(browser, "audit")


def simulate(browser, base: str, principal: str, actions: str, resources: str, context: str = ""):
    browser.get(base + "/simulate")
    for field, value in (("principal", principal), ("actions", actions), ("resources", resources), ("context", context)):
        el = browser.find_element(By.ID, field)
        el.clear()
        el.send_keys(value)
    browser.find_element(By.ID, "simulate").click()
    wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#answer table.results, #simulate-error"))
    out = []
    for tr in browser.find_elements(By.CSS_SELECTOR, "#answer table.results tbody tr"):
        cells = [td.text for td in tr.find_elements(By.TAG_NAME, "td")]
        out.append((cells[0], cells[1], cells[2], cells[3]))
    return out


def test_the_simulator_answers_the_seed_scenarios_s3_questions(console, browser):
    answers = simulate(
        browser, console.console, UPDATE_APP, "s3:GetObject, s3:PutObject, s3:DeleteObject",
        "arn:aws:s3:::productionapp/index.html",
    )
    decisions = [(a, r, d) for a, r, d, _ in answers]
    assert decisions == [
        ("s3:GetObject", "arn:aws:s3:::productionapp/index.html", "allowed"),
        ("s3:PutObject", "arn:aws:s3:::productionapp/index.html", "allowed"),
        ("s3:DeleteObject", "arn:aws:s3:::productionapp/index.html", "implicitDeny"),
    ]
    # The statement that decided: the managed policy AppBucketReadWrite, where it is.
    assert answers[0][3].startswith("IAM Policy AppBucketReadWrite (line ")
    assert answers[2][3] == "no statement matched"
    screenshot(browser, "simulator")
    listing = simulate(browser, console.console, UPDATE_APP, "s3:ListBucket",
                       "arn:aws:s3:::productionapp arn:aws:s3:::otherbucket")
    assert [(r, d) for _, r, d, _ in listing] == [
        ("arn:aws:s3:::productionapp", "allowed"),
        ("arn:aws:s3:::otherbucket", "implicitDeny"),
    ]


def test_the_simulator_shows_the_apis_refusals(console, browser):
    # The production root may not simulate the development account's user: IAM's answer.
    simulate(browser, console.console, f"arn:aws:iam::{DEV}:user/alice", "sts:AssumeRole", UPDATE_APP)
    error = browser.find_element(By.ID, "simulate-error").text
    assert error.startswith("AccessDenied: User: arn:aws:iam::111111111111:root is not authorized to perform: "
                            "iam:SimulatePrincipalPolicy"), error
    simulate(browser, console.console, UPDATE_APP, "s3:GetObject", "", "no equals sign")
    assert browser.find_element(By.ID, "simulate-error").text == (
        "InvalidInput: context line `no equals sign` is not key=value")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """A server whose model has a role with markup in its description and trust condition, and
    a browser signed in to its console."""
    port = free_port()
    srv = KeyturnServer(tmp_path_factory.mktemp("keyturn-console-hostile"), seed_config(port, hostile=True))
    srv.console = f"http://127.0.0.1:{port}"
    driver = chromium()
    sign_in(driver, srv.console, ROOT)
    yield srv, driver
    driver.quit()
    assert srv.stop() == 0, srv.output()


def test_markup_in_the_model_is_shown_as_text(hostile):
    console, browser = hostile
    for page in ("/model", "/graph"):
        browser.get(console.console + page)
        assert browser.execute_script("return window.__pwned === undefined")
        assert not browser.find_elements(By.CSS_SELECTOR, "main img, main script")
        assert browser.execute_script("return document.querySelectorAll('script:not([src])').length") == 0
    browser.get(console.console + "/model")
    assert HOSTILE in browser.find_element(By.TAG_NAME, "main").text
    browser.get(console.console + "/graph")
    # In the drawing, cut to 60 characters; in the table, whole.
    condition = f"ExternalId: StringEquals sts:ExternalId = {HOSTILE}"
    labels = [t.text for t in browser.find_elements(By.CSS_SELECTOR, "#trust-graph tspan")]
    assert condition[:59] + "…" in labels
    cells = [td.text for td in browser.find_elements(By.CSS_SELECTOR, "table.edges td")]
    assert condition in cells


def signed_get(url: str, creds, service: str = "keyturn"):
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    req = AWSRequest(method="GET", url=url)
    SigV4Auth(Credentials(*creds), service, "us-east-1").add_auth(req)
    o, _ = opener()
    return fetch(o, url, headers=dict(req.headers.items()))


def test_a_request_signed_for_keyturn_needs_no_cookie(console):
    status, headers, body = signed_get(console.console + "/audit/events?after=0", ROOT)
    assert status == 200 and headers["content-type"] == "application/json", body
    assert set(json.loads(body)) == {"last", "events"}
    # Signed by someone without the permission, or for another service, or with a bad secret.
    status, _, page = signed_get(console.console + "/model", ALICE)
    assert status == 403 and "may not use the console" in page
    status, _, page = signed_get(console.console + "/model", ROOT, service="sts")
    assert status == 401, page
    assert "SignatureDoesNotMatch: Credential should be scoped to correct service: &#39;keyturn&#39;." in page
    status, _, page = signed_get(console.console + "/model", (ROOT[0], ROOT[1] + "x"))
    assert status == 401, page
    assert "SignatureDoesNotMatch: The request signature we calculated does not match" in page
