"""Router: locations, path and hash routes, navigate from handlers, back/forward."""

from __future__ import annotations

import pytest

from tempest_core import (
    App,
    NoSessionError,
    Session,
    SessionError,
    html,
    match_route,
    navigate,
    parse_location,
    routes,
    use_location,
    use_navigate,
)
from tempest_core.nodes import Node
from tempest_core.testing import run_test
from tempestweb_contract.constants import MAX_LOCATION_CHARS


def test_parse_location() -> None:
    loc = parse_location("/users/7?tab=posts&tab=x&q=#top")
    assert (loc.path, dict(loc.query), loc.hash, loc.search) == (
        "/users/7",
        {"tab": "posts", "q": ""},
        "#top",
        "?tab=posts&tab=x&q=",
    )
    assert loc.href == "/users/7?tab=posts&tab=x&q=#top"
    assert parse_location("").path == "/" and parse_location("#/active").hash == "#/active"
    with pytest.raises(ValueError, match="no scheme or host"):
        parse_location("https://evil.example/x")


@pytest.mark.parametrize(
    "href",
    [
        "//evil.example/x",
        "/\\evil.example",
        "\\\\evil.example/x",
        "/\t/evil.example",
        " //evil.example",
        # the parser's "special authority ignore slashes" state: any number of slashes
        "///evil.example/x",
        "/\\/evil.example",
        # tabs and newlines anywhere are removed before parsing, not only where urlsplit drops them
        "/\n//evil.example",
        "/\r\n\\evil.example",
        "\x01\x1f//evil.example",
    ],
)
def test_parse_location_refuses_what_a_browser_reads_as_another_host(href: str) -> None:
    # WHATWG URL parsing: "\\" is "/" in http(s) URLs, tabs and newlines are dropped, leading
    # C0 controls and spaces stripped; each of these resolves to the host evil.example in a
    # browser (issue 13: "///evil.example" and "/\n//evil.example" were taken as paths).
    with pytest.raises(ValueError, match="no scheme or host"):
        parse_location(href)


def test_parse_location_bounds_the_length_a_session_keeps() -> None:
    # Issue 13: 100 WebSocket hellos with a 900 KB path grew a server by 439 MiB (a session
    # keeps several copies of its location) for the recovery window.
    longest = "/?q=" + "x" * (MAX_LOCATION_CHARS - 4)
    assert parse_location(longest).query["q"] == "x" * (MAX_LOCATION_CHARS - 4)
    with pytest.raises(ValueError, match=f"location is longer than {MAX_LOCATION_CHARS} characters"):
        parse_location(longest + "y")


def test_parse_location_keeps_a_backslash_inside_a_path() -> None:
    assert parse_location("/files/a\\b").path == "/files/a\\b"


def test_match_route() -> None:
    assert match_route("/users/{id}", "/users/42") == {"id": "42"}
    assert match_route("/users/{id}", "/users/42/") == {"id": "42"}
    assert match_route("/users/{id}", "/users/4/2") is None
    assert match_route("/files/{rest:path}", "/files/a/b.txt") == {"rest": "a/b.txt"}
    assert match_route("/", "/") == {}
    assert match_route("/a.b", "/aXb") is None
    with pytest.raises(ValueError):
        match_route("users", "/users")


def test_navigate_outside_session() -> None:
    with pytest.raises(NoSessionError):
        navigate("/x")


def make_app() -> App[None]:
    def home() -> Node:
        return html.h1("home")

    def user(id: str) -> Node:
        return html.h1(f"user {id}")

    def not_found() -> Node:
        return html.h1("404")

    def view(_: None) -> Node:
        go = use_navigate()
        return html.div(
            html.nav(
                html.a("home", id="home", on_click=lambda: navigate("/")),
                html.a("u7", id="u7", on_click=lambda: go("/users/7")),
                html.a("replace", id="rep", on_click=lambda: navigate("/users/9", replace=True)),
            ),
            routes({"/": home, "/users/{id}": user}, fallback=not_found),
        )

    return App(view=view)


async def test_path_routes_navigate_and_back_forward() -> None:
    async with run_test(make_app(), path="/") as pilot:
        assert pilot.text("h1") == "home"
        await pilot.click("#u7")
        assert pilot.text("h1") == "user 7" and pilot.history == ["/", "/users/7"]
        await pilot.back()
        assert pilot.text("h1") == "home"
        await pilot.forward()
        assert pilot.text("h1") == "user 7"
        await pilot.click("#rep")
        assert pilot.history == ["/", "/users/9"] and pilot.text("h1") == "user 9"
        await pilot.navigate("/nowhere")
        assert pilot.text("h1") == "404"


async def test_on_navigate_called_with_path_and_replace() -> None:
    calls: list[tuple[str, bool]] = []
    session = Session(make_app(), path="/", on_navigate=lambda p, r: calls.append((p, r)))
    session.mount()
    from tempestweb_contract import Event

    rep = 7  # div 1 > nav 2 > a 3, text 4, a 5, text 6, a#rep 7
    await session.dispatch(Event(eid=1, node=rep, name="click"))
    await session.flush()
    assert calls == [("/users/9", True)]
    assert session.render_html().count("user 9") == 1


async def test_hash_routes_for_todomvc() -> None:
    def view(_: None) -> Node:
        loc = use_location()
        return html.div(
            html.p(loc.hash or "(none)"),
            routes({"/": lambda: html.i("all"), "/active": lambda: html.i("active")}, hash=True),
            html.a("active", on_click=lambda: navigate("#/active")),
        )

    async with run_test(App(view=view), path="/app") as pilot:
        assert pilot.text("p") == "(none)" and pilot.text("i") == "all"
        await pilot.click("a")
        assert pilot.text("p") == "#/active" and pilot.text("i") == "active"
        assert pilot.history[-1] == "/app#/active"
        await pilot.back()
        assert pilot.text("i") == "all"


async def test_only_subscribed_components_rerender_on_location_change() -> None:
    from tempest_core import component

    renders: list[str] = []

    @component
    def static() -> Node:
        renders.append("static")
        return html.b("s")

    @component
    def where() -> Node:
        renders.append("where")
        return html.i(use_location().path)

    async with run_test(App(view=lambda _: html.div(static(), where()))) as pilot:
        renders.clear()
        await pilot.navigate("/x")
        assert renders == ["where"] and pilot.text("i") == "/x"


async def test_routes_without_fallback_reports_lookup_error() -> None:
    app: App[None] = App(view=lambda _: routes({"/": lambda: html.p("x")}))
    session = Session(app, path="/missing")
    with pytest.raises(SessionError, match="no route matches"):
        session.mount()


async def test_bad_navigation_from_client_is_typed() -> None:
    session = Session(make_app())
    session.mount()
    with pytest.raises(SessionError) as info:
        session.navigate("//evil.example/x")
    assert info.value.code == "not_found"
