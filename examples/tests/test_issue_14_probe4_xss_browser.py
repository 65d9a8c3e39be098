"""Issue 14, fourth probe: URL- and markup-taking elements in real Chromium, Mode B (CSP + Trusted Types).

The app (written to a temporary folder and served by ``tempestweb run``) builds every payload of
its corpus into Markdown and into ``html.*``/``svg.*`` elements that take URLs or attributes
(any case of ``href``, ``xlink:href``, an SVG ``<animate>``/``<set>`` of ``href``, ``srcdoc``,
``<object>``/``<embed>``/``<script>``/``<base>``, ``data:`` URLs...). What ``html.*`` refuses
with a WidgetError is left out and counted. The page is checked prerendered (hydrated) and after
patches re-create every element: no ``securitypolicyviolation`` event or ``Refused to`` console
message, no call of ``window.__twx`` (every script payload calls it), no element the client
refuses, every link with a safe scheme, and clicking every link runs nothing. Before the probe's
fixes the prerendered page held ``HREF="javascript:..."`` links, animated ``javascript:`` hrefs,
an inline ``<script>``, a ``<base>``, ``<object>``/``<embed>`` and a ``srcdoc`` frame (a CSP
violation each), and the first patch sent the client into a resync loop.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from servers import AppServer

pytestmark = pytest.mark.browser

WAIT_MS = 15_000

APP_SOURCE = r"""
import re
from tempest_core import App, Button, Column, Markdown, Text, html, svg
from tempest_core.errors import WidgetError

SCHEMES = [
    "javascript:__twx(1)", "JaVaScRiPt:__twx(2)", " java\tscript:__twx(3)", "\x01javascript:__twx(4)",
    "&#106;avascript:__twx(5)", "vbscript:__twx(6)", "data:text/html,<script>parent.__twx(7)</script>",
    "data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg' onload='parent.__twx(8)'/>",
    "livescript:__twx(9)", "javascript&colon;__twx(10)", "java&#x09;script:__twx(11)",
]
MARKUP = [
    "<script>__twx(20)</script>", "<img src=x onerror=__twx(21)>", "<svg onload=__twx(22)>",
    "'\"><script>__twx(23)</script>", "<iframe srcdoc='<script>parent.__twx(24)</script>'>",
    "<a href=javascript:__twx(25)>x</a>", "<details open ontoggle=__twx(26)>",
]
MD_FORMS = [
    "[md]({u})", "[md](<{u}>)", "![md]({u})", "<{u}>", "[md][r]\n\n[r]: {u}", '[md]({u} "t")',
    "*[md]({u})*", "| a |\n|---|\n| [md]({u}) |",
]
MD_SOURCES = [form.format(u=u) for form in MD_FORMS for u in SCHEMES] + MARKUP + [
    "*" * 10000 + "deep" + "*" * 10000,
    "```js\" onmouseover=\"__twx(30)\nx\n```",
    '[t](/ok "a\" onmouseover=\"__twx(31)")',
]
PAYLOADS = SCHEMES + MARKUP


def has_scheme(url):
    cleaned = re.sub(r"[\t\n\r]", "", url).strip("".join(map(chr, range(33))))
    return re.match(r"[a-zA-Z][a-zA-Z0-9+.-]*:", cleaned) is not None
BUILDERS = [
    lambda p: html.a("HREF", HREF=p, class_="probe"),
    lambda p: html.a("Href", attrs={"Href": p}, class_="probe"),
    lambda p: html.a("href", href=p, class_="probe"),
    lambda p: html.svg(svg.a(svg.text("XLINK", x=4, y=14), attrs={"XLINK:HREF": p}, class_="probe"),
                       width=120, height=20),
    lambda p: html.svg(svg.a(svg.animate(attributeName="href", values=p), svg.text("anim", x=4, y=14),
                             class_="probe"), width=120, height=20),
    lambda p: html.svg(svg.a(svg.set(attributeName="href", to=p), svg.text("set", x=4, y=14),
                             class_="probe"), width=120, height=20),
    lambda p: html.iframe(srcdoc=p),
    # Only a URL with a scheme (as the browser reads it) goes in a frame's src: a relative one
    # ("&#106;avascript:...") would load this app in the frame, and its frames the app again.
    lambda p: html.iframe(src=p) if has_scheme(p) else html.iframe(),
    lambda p: html.object(data=p),
    lambda p: html.embed(src=p),
    lambda p: html.script(p),
    lambda p: html.base(href=p),
    lambda p: html.img(alt="img", src=p, srcset=p),
    lambda p: html.form(html.button("submit", formaction=p, class_="probe", type="button"), action=p),
    lambda p: html.div("is", is_="x-y", title=p),
    lambda p: html.div("on", attrs={"onfoo-bar": p}),
    lambda p: html.span(p, title=p, data_x=p),
]


def built():
    out, refused = [], 0
    for i, payload in enumerate(PAYLOADS):
        for j, build in enumerate(BUILDERS):
            try:
                out.append((f"{i}-{j}", build(payload)))
            except WidgetError:
                refused += 1
    return out, refused


ELEMENTS, REFUSED = built()


def rotate():
    app.set_state(lambda n: n + 1)


def view(round_):
    # Every round keys the elements anew: a patch re-creates each of them (the client's path).
    return Column(
        Text(f"Round: {round_}", id="round"),
        Text(f"Refused: {REFUSED}", id="refused"),
        Button("Rotate", on_click=rotate, id="rotate"),
        html.div([html.div(el, key=f"{round_}-{k}") for k, el in ELEMENTS], id="built"),
        html.div([Markdown(s, key=f"{round_}-md{k}") for k, s in enumerate(MD_SOURCES)], id="md"),
    )


app = App(view=view, state=0, title="probe4 xss")
"""

LINK_SCHEMES_JS = (
    """() => Array.from(document.querySelectorAll('#built a, #md a')).flatMap(window.__twSchemes)"""
)

GUARD_JS = """
window.__twSchemes = (a) => {
  const raw = [a.getAttribute('href'), a.getAttributeNS('http://www.w3.org/1999/xlink', 'href')];
  if (a.href && a.href.animVal !== undefined) raw.push(a.href.animVal);
  return raw.filter((v) => v !== null && v !== '').map((v) => new URL(v, location.href).protocol);
};
// A click on a link with a safe scheme must not leave the page (the test clicks every link);
// any other link (javascript:, data:...) is followed, as an attack would have it.
document.addEventListener('click', (e) => {
  const a = e.target instanceof Element ? e.target.closest('a') : null;
  if (a === null) return;
  const safe = ['http:', 'https:', 'mailto:', 'tel:'];
  if (window.__twSchemes(a).every((p) => safe.includes(p))) e.preventDefault();
}, true);
"""

CLICK_ALL_JS = """() => {
  const probes = document.querySelectorAll('#built .probe, #md a');
  for (const e of probes) e.dispatchEvent(new MouseEvent('click', {bubbles: true, cancelable: true}));
  return probes.length;
}"""


@pytest.fixture
def probe_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder: Path = tmp_path_factory.mktemp("probe4-xss")
    (folder / "app.py").write_text(APP_SOURCE, encoding="utf-8")
    (folder / "tempestweb.toml").write_text('[app]\nname = "probe4-xss"\n', encoding="utf-8")
    with AppServer(folder) as server:
        yield server.url


def test_url_and_markup_payloads_never_run_nor_violate_the_policy(page: Page, probe_url: str) -> None:
    executions: list[object] = []
    violations: list[str] = []
    page.expose_function("__twx", lambda n: executions.append(n))  # noqa: PLW0108
    page.expose_function("__twv", lambda text: violations.append(text))  # noqa: PLW0108
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation',"
        " (e) => window.__twv(e.violatedDirective + ' ' + e.blockedURI), true);"
    )
    page.add_init_script(GUARD_JS)
    page.on("console", lambda msg: violations.append(msg.text) if "Refused to" in msg.text else None)
    page.on("console", lambda msg: violations.append(msg.text) if "malformed_frame" in msg.text else None)
    page.on("pageerror", lambda exc: violations.append(f"pageerror: {exc}"))
    response = page.goto(probe_url, wait_until="domcontentloaded")
    assert response is not None and "require-trusted-types-for" in response.headers["content-security-policy"]
    expect(page.locator("#round")).to_have_text("Round: 0", timeout=WAIT_MS)
    expect(page.locator("#tw-root")).to_have_attribute("data-tw-status", "open", timeout=WAIT_MS)

    def check_page() -> None:
        tags = page.evaluate(
            "() => Array.from(document.querySelectorAll('#built *, #md *'), (e) => e.localName)"
        )
        assert not {"script", "object", "embed", "base"} & set(tags)
        assert page.locator("#built [srcdoc], #built [is], #built animate, #built set").count() == 0
        assert set(page.evaluate(LINK_SCHEMES_JS)) <= {"http:", "https:", "mailto:", "tel:"}
        expect(page.locator("#md").get_by_text("deep", exact=True)).to_have_count(1)
        expect(page.locator("#md").get_by_text("<script>__twx(20)</script>", exact=True)).to_have_count(1)
        assert page.evaluate(CLICK_ALL_JS) > 20  # nothing a click follows may run
        expect(page.locator("#round")).to_be_visible()  # still the same page

    check_page()  # the prerendered page, hydrated
    for round_ in (1, 2):  # patches re-create every element
        page.locator("#rotate").click()
        expect(page.locator("#round")).to_have_text(f"Round: {round_}", timeout=WAIT_MS)
        check_page()
    assert int(page.locator("#refused").inner_text().split()[-1]) > 0
    page.wait_for_timeout(500)  # a blocked navigation reports its violation asynchronously
    corpus_violations = list(violations)
    # Control: the listeners do see a violation (an innerHTML write under Trusted Types).
    page.evaluate("try { document.body.innerHTML = '<b>x</b>'; } catch (e) {}")
    expect(page.locator("#round")).to_have_text("Round: 2")
    for _ in range(50):  # the violation event arrives asynchronously (a string predicate is eval: CSP)
        if len(violations) > len(corpus_violations):
            break
        page.wait_for_timeout(20)
    assert len(violations) > len(corpus_violations), "the violation detector does not work"
    assert executions == [] and corpus_violations == [], (executions, corpus_violations[:5])
