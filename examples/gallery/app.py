"""Component gallery: every tempestweb widget, its variants and states, in light and dark.

One section per component, each a small self-contained demo with realistic content (the data is
in ``gallery_data.py``). The page is an ``AppShell``: the header holds the light/dark/system switch
(``App.set_color_scheme``), the navigation lists the sections (hash links, so the page scrolls
natively and works before the runtime is up in Mode A). Each section is a memoized component keyed
on the part of the state it shows, so an event re-renders only its own section.

Run it with ``tempestweb run examples/gallery`` (Mode B), ``tempestweb run examples/gallery
--mode wasm`` (Mode A) or ``--mode desktop``.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, NamedTuple

from gallery_data import (
    BADGE_TONES,
    ICONS,
    MILESTONES,
    ORDER_COLUMNS,
    ORDERS,
    PLANS,
    RELEASE_NOTES,
    ROLES,
    TEAM,
    TEAM_COLUMNS,
    Tone,
)

from tempest_core import (
    App,
    AppShell,
    Badge,
    Button,
    Card,
    Checkbox,
    Column,
    Container,
    DatePicker,
    Dialog,
    Divider,
    FileUpload,
    Form,
    Icon,
    Image,
    Link,
    List,
    Markdown,
    Menu,
    MenuItem,
    Progress,
    RadioGroup,
    Row,
    Select,
    Slider,
    Spacer,
    Spinner,
    Stack,
    Style,
    Switch,
    Tab,
    Table,
    Tabs,
    Text,
    TextArea,
    TextField,
    Toaster,
    Tooltip,
    component,
    html,
    notify,
)
from tempest_core.host import UploadedFile, UploadError
from tempest_core.theme import COLOR_SCHEMES

if TYPE_CHECKING:
    from tempest_core import Element, Node

__all__ = ["SECTIONS", "GalleryState", "Section", "SignupForm", "app", "view"]


@dataclass(frozen=True, slots=True)
class SignupForm:
    """The sign-up form's fields and the errors of its last submission (field name -> message)."""

    name: str = ""
    email: str = ""
    role: str = ""
    terms: bool = False
    errors: tuple[tuple[str, str], ...] = ()
    submitted: bool = False


@dataclass(frozen=True, slots=True)
class GalleryState:
    """The gallery's state.

    Attributes:
        clicks: Clicks on the primary demo button.
        newsletter: The Switch demo.
        notifications: The Checkbox demo.
        volume: The Slider demo, 0-100.
        plan: The RadioGroup demo.
        bio: The TextArea demo.
        signup: The validated form demo.
        tab: The selected tab of the Tabs demo.
        invite_open: Whether the invitation dialog is open.
        invite: The invitation dialog's form.
        menu_choice: The last menu item chosen.
        selected_orders: Keys of the orders selected in the 100,000-row table.
        due: The DatePicker demo's date.
        uploads: Files received by the FileUpload demo: (name, bytes, lines).
    """

    clicks: int = 0
    newsletter: bool = True
    notifications: bool = False
    volume: float = 40
    plan: str = "team"
    bio: str = ""
    signup: SignupForm = SignupForm()
    tab: str = "overview"
    invite_open: bool = False
    invite: SignupForm = SignupForm()
    menu_choice: str = ""
    selected_orders: frozenset[int] = field(default_factory=frozenset)
    due: datetime.date | None = datetime.date(2026, 12, 24)
    uploads: tuple[tuple[str, int, int], ...] = ()


def _update(fn: Callable[[GalleryState], GalleryState]) -> None:
    app.set_state(fn)


# --- styles ----------------------------------------------------------------------------------------------
# Layout only; colours, type and spacing come from the theme's tokens (CSS custom properties).

NAV_LINK_STYLE = Style(
    padding=("var(--tw-space-1)", "var(--tw-space-2)"),
    border_radius="var(--tw-radius-sm)",
    color="var(--tw-color-text)",
    text_decoration="none",
    hover=Style(background="var(--tw-color-surface-2)"),
    focus_visible=Style(outline="2px solid transparent", box_shadow="var(--tw-focus-ring)"),
)
SECTION_STYLE = Style(
    padding="var(--tw-space-4)",
    breakpoints={"md": Style(padding="var(--tw-space-5)")},
    margin_bottom="var(--tw-space-5)",
    background="var(--tw-color-surface)",
    border="1px solid var(--tw-color-border)",
    border_radius="var(--tw-radius-lg)",
)
SECTION_TITLE_STYLE = Style(margin=0, font_size="var(--tw-text-xl)", font_weight=700)
CARD_STYLE = Style(flex="1 1 280px", max_width=420)
CARD_TITLE_STYLE = Style(margin=0, font_size="var(--tw-text-lg)", font_weight=700)
LEAD_STYLE = Style(margin=0, color="var(--tw-color-text-muted)")
ICON_LABEL_STYLE = Style(display="inline-flex", align_items="center", gap="var(--tw-space-2)")
TITLE_STYLE = Style(margin=0, font_size="var(--tw-text-lg)", font_weight=700)


# --- sections --------------------------------------------------------------------------------------------


def _section(slug: str, title: str, lead: str, *body: Node) -> Node:
    return html.section(
        Column(
            Text(title, as_="h2", style=SECTION_TITLE_STYLE, id=f"{slug}-title"),
            Text(lead, as_="p", style=LEAD_STYLE),
            *body,
            gap="var(--tw-space-4)",
        ),
        id=slug,
        aria_labelledby=f"{slug}-title",
        data_gallery_section=slug,
        style=SECTION_STYLE,
    )


def typography_section(state: GalleryState) -> Node:
    """Headings, body text, emphasis, code and links."""
    del state
    return _section(
        "typography",
        "Typography",
        "The type scale and text elements the theme styles.",
        Text("Heading level 3", as_="h3"),
        Text("Heading level 4", as_="h4"),
        Text(
            "Body text reads at the theme's base size and line height. Release 2.4 shipped on "
            "2 December with 14 fixes; see the changelog for the details.",
            as_="p",
        ),
        Row(
            Text("Strong", as_="strong"),
            Text("Emphasis", as_="em"),
            Text("small print", as_="small"),
            Text("pip install tempest-core", as_="code"),
            Link("A link to the guide", href="#typography"),
            gap="var(--tw-space-4)",
            align="baseline",
            wrap=True,
        ),
    )


def _count_click() -> None:
    _update(lambda s: replace(s, clicks=s.clicks + 1))


def _with_icon(icon: str, text: str) -> Element:
    return html.span(Icon(icon), text, style=ICON_LABEL_STYLE)


def buttons_section(state: GalleryState) -> Node:
    """Buttons: every variant, disabled, with icons, icon-only; one counts its clicks."""
    return _section(
        "buttons",
        "Buttons",
        "Primary, secondary, ghost and danger buttons, disabled ones, buttons with icons.",
        Row(
            Button("Save changes", on_click=_count_click, id="demo-primary", variant="primary"),
            Button("Export", variant="secondary"),
            Button("Cancel", variant="ghost"),
            Button("Delete project", variant="danger"),
            gap="var(--tw-space-3)",
            wrap=True,
            align="center",
        ),
        Row(
            Button("Primary", variant="primary", disabled=True),
            Button("Secondary", disabled=True),
            Button("Danger", variant="danger", disabled=True),
            gap="var(--tw-space-3)",
            wrap=True,
            align="center",
        ),
        Row(
            Button(_with_icon("send", "Send"), variant="primary"),
            Button(_with_icon("download", "Download")),
            Tooltip(
                Button(Icon("pencil"), aria_label="Edit", variant="ghost", id="demo-edit"),
                text="Edit the project",
                id="demo-edit-tip",
            ),
            Tooltip(
                Button(Icon("trash"), aria_label="Delete", variant="ghost", id="demo-trash"),
                text="Move to the bin",
                id="demo-trash-tip",
            ),
            gap="var(--tw-space-3)",
            wrap=True,
            align="center",
        ),
        Text(
            f"Save changes clicked {state.clicks} time{'s' if state.clicks != 1 else ''}.",
            as_="p",
            id="demo-clicks",
            style=LEAD_STYLE,
        ),
    )


def _set_newsletter(value: bool) -> None:
    _update(lambda s: replace(s, newsletter=value))


def _set_notifications(value: bool) -> None:
    _update(lambda s: replace(s, notifications=value))


def _set_volume(value: float) -> None:
    _update(lambda s: replace(s, volume=value))


def _set_plan(value: str) -> None:
    _update(lambda s: replace(s, plan=value))


def _set_due(value: datetime.date | None) -> None:
    _update(lambda s: replace(s, due=value))


def _set_bio(value: str) -> None:
    _update(lambda s: replace(s, bio=value))


def inputs_section(state: GalleryState) -> Node:
    """Text fields, text area, checkbox, switch, slider, select, radio group; enabled and disabled."""
    return _section(
        "inputs",
        "Inputs",
        "Text fields, dates and choices: enabled, disabled and invalid.",
        Row(
            TextField(label="Project name", placeholder="e.g. Apollo", name="project"),
            TextField(label="Search", type="search", placeholder="Search the docs", name="search"),
            TextField(label="Read only", value="Locked value", disabled=True, name="locked"),
            TextField(
                label="Website",
                value="htp:/example",
                error="Enter a URL starting with https://",
                name="website",
                id="demo-website",
            ),
            gap="var(--tw-space-4)",
            wrap=True,
        ),
        TextArea(
            label="Bio",
            value=state.bio,
            on_input=_set_bio,
            rows=3,
            placeholder="A few words about yourself",
            name="bio",
        ),
        Text(f"{len(state.bio)} / 280 characters", as_="small", style=LEAD_STYLE),
        Row(
            Checkbox(
                label="Email notifications",
                checked=state.notifications,
                on_change=_set_notifications,
                name="notifications",
            ),
            Switch(
                label="Newsletter", checked=state.newsletter, on_change=_set_newsletter, name="newsletter"
            ),
            Checkbox(label="Disabled option", disabled=True, name="disabled-option"),
            gap="var(--tw-space-5)",
            wrap=True,
            align="center",
        ),
        Row(
            DatePicker(
                label="Due date",
                value=state.due,
                on_change=_set_due,
                min=datetime.date(2026, 1, 1),
                max=datetime.date(2027, 12, 31),
                name="due",
                id="demo-due",
            ),
            DatePicker(
                label="Start date",
                error="The start date must be before the due date.",
                value=datetime.date(2027, 1, 15),
                name="start",
                id="demo-start",
            ),
            gap="var(--tw-space-4)",
            wrap=True,
            align="start",
        ),
        Text(
            f"Due {state.due:%A %d %B %Y}." if state.due else "No due date.",
            as_="p",
            id="demo-due-text",
            style=LEAD_STYLE,
        ),
        Slider(label=f"Volume ({state.volume:.0f})", value=state.volume, on_input=_set_volume, name="volume"),
        RadioGroup(name="plan", label="Plan", options=PLANS, value=state.plan, on_change=_set_plan),
        Select(
            label="Time zone",
            options=(("utc", "UTC"), ("cet", "Europe/Paris"), ("pst", "America/Los_Angeles")),
        ),
    )


def _signup_errors(form: SignupForm) -> tuple[tuple[str, str], ...]:
    errors: list[tuple[str, str]] = []
    if len(form.name.strip()) < 2:
        errors.append(("name", "Enter your full name (at least 2 characters)."))
    if "@" not in form.email or "." not in form.email.rsplit("@", 1)[-1]:
        errors.append(("email", "Enter an email address like ada@example.com."))
    if not form.role:
        errors.append(("role", "Choose a role."))
    if not form.terms:
        errors.append(("terms", "Accept the terms to continue."))
    return tuple(errors)


def _signup(fn: Callable[[SignupForm], SignupForm]) -> None:
    _update(lambda s: replace(s, signup=fn(s.signup)))


def _submit_signup() -> None:
    def submit(form: SignupForm) -> SignupForm:
        errors = _signup_errors(form)
        return replace(form, errors=errors, submitted=not errors)

    _signup(submit)


def forms_section(state: GalleryState) -> Node:
    """A form validated on submit: ``Form(errors=...)`` puts each message next to its field."""
    form = state.signup
    return _section(
        "forms",
        "Forms",
        "Validation on submit; each error sits next to its field and is tied to it for screen readers.",
        Form(
            Column(
                TextField(
                    label="Full name",
                    name="name",
                    value=form.name,
                    on_input=lambda v: _signup(lambda f: replace(f, name=v)),
                    id="signup-name",
                ),
                TextField(
                    label="Email",
                    type="email",
                    name="email",
                    value=form.email,
                    on_input=lambda v: _signup(lambda f: replace(f, email=v)),
                    id="signup-email",
                ),
                Select(
                    label="Role",
                    name="role",
                    options=ROLES,
                    value=form.role,
                    on_change=lambda v: _signup(lambda f: replace(f, role=v)),
                    id="signup-role",
                ),
                Checkbox(
                    label="I accept the terms of service",
                    name="terms",
                    checked=form.terms,
                    on_change=lambda v: _signup(lambda f: replace(f, terms=v)),
                    id="signup-terms",
                ),
                Row(Button("Create account", type="submit", id="signup-submit"), gap="var(--tw-space-3)"),
                html.p("Account created.", id="signup-done", role="status") if form.submitted else None,
                gap="var(--tw-space-3)",
                style=Style(max_width=420),
            ),
            on_submit=_submit_signup,
            errors=dict(form.errors) if form.errors else None,
            id="signup",
        ),
    )


def markdown_section(state: GalleryState) -> Node:
    """Markdown rendered in Python (every mode), sanitised."""
    del state
    return _section(
        "markdown",
        "Markdown",
        "CommonMark with tables, rendered in Python in every mode; raw HTML is shown as text.",
        Markdown(RELEASE_NOTES, id="demo-markdown"),
    )


def layout_section(state: GalleryState) -> Node:
    """Row, Column, Stack, Spacer, Container, Divider, a keyed List and an Image."""
    del state
    cell = Style(
        padding="var(--tw-space-3)",
        background="var(--tw-color-surface-2)",
        border_radius="var(--tw-radius-md)",
    )
    return _section(
        "layout",
        "Layout",
        "Row, Column, Stack and Spacer lay out with the spacing scale; Container centres; List is keyed.",
        Row(*(Text(f"Row item {i}", style=cell) for i in range(1, 4)), gap="var(--tw-space-3)", wrap=True),
        Column(*(Text(f"Column item {i}", style=cell) for i in range(1, 3)), gap="var(--tw-space-2)"),
        Stack(
            Text("Stack, row direction", style=cell),
            Spacer(),
            Text("pushed to the end by a Spacer", style=cell),
            direction="row",
            gap="var(--tw-space-3)",
        ),
        Divider(),
        Container(
            Text("A Container: at most 480 px wide, centred.", as_="p", style=cell),
            max_width=480,
            padding=0,
        ),
        Row(
            List(
                items=MILESTONES,
                key=lambda m: m[0],
                render=lambda m: m[1],
                ordered=True,
                id="demo-milestones",
            ),
            Image(
                src="assets/landscape.svg",
                alt="Mountains under a yellow sun",
                width=240,
                height=135,
                loading="lazy",
                id="demo-image",
            ),
            gap="var(--tw-space-5)",
            wrap=True,
            align="center",
        ),
    )


# --- overlays and navigation ------------------------------------------------------------------------------


def _select_tab(key: str) -> None:
    _update(lambda s: replace(s, tab=key))


def tabs_section(state: GalleryState) -> Node:
    """Tabs with automatic activation; one tab disabled."""
    return _section(
        "tabs",
        "Tabs",
        "Arrow keys move between tabs, Home and End jump; the panel follows the focused tab.",
        Tabs(
            tabs=(
                Tab(
                    key="overview",
                    label="Overview",
                    content=Text("Apollo has 12 open issues and 3 pull requests awaiting review.", as_="p"),
                ),
                Tab(
                    key="activity",
                    label="Activity",
                    content=Text("Grace merged 'Virtualised rows' 2 hours ago.", as_="p"),
                ),
                Tab(
                    key="settings",
                    label="Settings",
                    content=Switch(label="Require review before merge", checked=True, name="review"),
                ),
                Tab(
                    key="billing",
                    label="Billing",
                    content="Billing is managed by your organisation.",
                    disabled=True,
                ),
            ),
            selected=state.tab,
            on_change=_select_tab,
            id="demo-tabs",
            label="Project",
        ),
    )


def _choose(label: str) -> Callable[[], None]:
    def choose() -> None:
        _update(lambda s: replace(s, menu_choice=label))
        notify(f"{label}: done.", title="Menu")

    return choose


def menu_section(state: GalleryState) -> Node:
    """A menu button whose items show a toast; one item disabled."""
    return _section(
        "menu",
        "Menu",
        "A menu button: Enter, Space or ArrowDown open it, arrows move, Escape closes and returns focus.",
        Row(
            Menu(
                label="Actions",
                id="demo-menu",
                items=(
                    MenuItem(label="Duplicate", on_select=_choose("Duplicate")),
                    MenuItem(label="Rename", on_select=_choose("Rename")),
                    MenuItem(label="Archive", disabled=True),
                    MenuItem(label="Delete", on_select=_choose("Delete")),
                ),
            ),
            Text(
                f"Last chosen: {state.menu_choice}" if state.menu_choice else "Nothing chosen yet.",
                id="demo-menu-choice",
                style=LEAD_STYLE,
            ),
            gap="var(--tw-space-4)",
            align="center",
        ),
    )


def _open_invite() -> None:
    _update(lambda s: replace(s, invite_open=True))


def _close_invite() -> None:
    _update(lambda s: replace(s, invite_open=False, invite=SignupForm()))


def _invite(fn: Callable[[SignupForm], SignupForm]) -> None:
    _update(lambda s: replace(s, invite=fn(s.invite)))


def _send_invite() -> None:
    form = app.state.invite
    errors = tuple((name, message) for name, message in _signup_errors(form) if name != "terms")
    if errors:
        _invite(lambda f: replace(f, errors=errors))
        return
    _update(lambda s: replace(s, invite_open=False, invite=SignupForm()))
    notify(f"Invitation sent to {form.email}.", tone="success", title="Invited")


def dialog_section(state: GalleryState) -> Node:
    """A modal dialog holding a form that shows validation errors."""
    form = state.invite
    return _section(
        "dialog",
        "Dialog",
        "A modal dialog: focus moves in and stays there, Escape or the backdrop close it, focus returns.",
        Row(Button("Invite a teammate", on_click=_open_invite, id="open-invite")),
        Dialog(
            Form(
                Column(
                    TextField(
                        label="Name",
                        name="name",
                        value=form.name,
                        on_input=lambda v: _invite(lambda f: replace(f, name=v)),
                        id="invite-name",
                        autofocus=True,
                    ),
                    TextField(
                        label="Email",
                        type="email",
                        name="email",
                        value=form.email,
                        on_input=lambda v: _invite(lambda f: replace(f, email=v)),
                        id="invite-email",
                    ),
                    Select(
                        label="Role",
                        name="role",
                        options=ROLES,
                        value=form.role,
                        on_change=lambda v: _invite(lambda f: replace(f, role=v)),
                        id="invite-role",
                    ),
                    Row(
                        Button("Cancel", on_click=_close_invite, id="invite-cancel", variant="ghost"),
                        Button("Send invitation", type="submit", id="invite-send", variant="primary"),
                        gap="var(--tw-space-3)",
                        justify="end",
                    ),
                    gap="var(--tw-space-3)",
                ),
                on_submit=_send_invite,
                errors=dict(form.errors) if form.errors else None,
                id="invite-form",
            ),
            open=state.invite_open,
            title="Invite a teammate",
            id="invite-dialog",
            on_close=_close_invite,
        ),
    )


def tooltip_section(state: GalleryState) -> Node:
    """Tooltips on focusable triggers, above and below."""
    del state
    return _section(
        "tooltip",
        "Tooltip",
        "Shown on hover and on keyboard focus, hidden with Escape; it describes its trigger.",
        Row(
            Tooltip(
                Button("Copy link", id="tip-copy-trigger"), text="Copies the page address", id="tip-copy"
            ),
            Tooltip(
                Button("Publish", id="tip-publish-trigger"),
                text="Visible to everyone with the link",
                id="tip-publish",
                placement="bottom",
            ),
            gap="var(--tw-space-4)",
        ),
    )


def _toaster(message: str, tone: Tone, duration_s: float | None) -> Callable[[], object]:
    def show() -> None:
        notify(message, tone=tone, duration_s=duration_s)

    return show


def toasts_section(state: GalleryState) -> Node:
    """Toasts of every tone, from plain click handlers."""
    del state
    tones: tuple[tuple[Tone, str, str, float | None], ...] = (
        ("info", "Show info", "A new version is available.", 5.0),
        ("success", "Show success", "Changes saved.", 5.0),
        ("warning", "Show warning", "Your trial ends in 3 days.", 5.0),
        ("danger", "Show error", "Payment failed: the card was declined.", None),
    )
    return _section(
        "toasts",
        "Toasts",
        "notify(...) from any handler; errors stay until dismissed and are announced as alerts.",
        Row(
            *(
                Button(text, on_click=_toaster(message, tone, duration), id=f"toast-{tone}")
                for tone, text, message, duration in tones
            ),
            gap="var(--tw-space-3)",
            wrap=True,
        ),
    )


# --- display and upload -----------------------------------------------------------------------------------


def display_section(state: GalleryState) -> Node:
    """Card, Badge (every tone), Progress (determinate and not), Spinner and Icon."""
    return _section(
        "display",
        "Cards, badges, progress",
        "Cards with a header and footer, badges in every tone, progress bars, a spinner and icons.",
        Row(
            Card(
                Text("Apollo", as_="h3", style=CARD_TITLE_STYLE),
                Text("Static site for the launch. Deployed 2 hours ago from main.", as_="p"),
                Row(Badge("Live", tone="success"), Badge("v2.4", tone="primary"), gap="var(--tw-space-2)"),
                header=_with_icon("rocket", "Project"),
                footer=Button("Open", variant="primary"),
                style=CARD_STYLE,
            ),
            Card(
                Progress(label="Storage used", value=0.62),
                Text("6.2 GB of 10 GB", as_="small", style=LEAD_STYLE),
                Progress(label="Upload", value=state.volume, max=100),
                Row(Spinner(label="Syncing", show_label=True), gap="var(--tw-space-2)", align="center"),
                Progress(label="Importing"),
                header="Usage",
                style=CARD_STYLE,
            ),
            gap="var(--tw-space-4)",
            wrap=True,
            align="start",
        ),
        Row(
            *(Badge(tone.capitalize(), tone=tone) for tone in BADGE_TONES),
            gap="var(--tw-space-2)",
            wrap=True,
        ),
        Row(
            *(Icon(name, size=24, label=name.replace("-", " ")) for name in ICONS),
            gap="var(--tw-space-4)",
            wrap=True,
            align="center",
        ),
    )


def _uploaded(file: UploadedFile) -> None:
    data = file.read()
    lines = data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)
    entry = (file.name, file.size, lines)
    _update(lambda s: replace(s, uploads=(*s.uploads, entry)))
    notify(f"{file.name}: {file.size:,} bytes received.", tone="success", title="Uploaded")


def _upload_failed(error: UploadError) -> None:
    notify(str(error), tone="danger", title="Upload failed")


def upload_section(state: GalleryState) -> Node:
    """FileUpload: drop zone and picker; the handler reads the bytes in Python."""
    received = (
        html.ul(
            *(
                html.li(f"{name} \u2014 {size:,} bytes, {lines:,} lines")
                for name, size, lines in state.uploads
            ),
            id="demo-uploads",
        )
        if state.uploads
        else Text("No file received yet.", as_="p", id="demo-uploads-empty", style=LEAD_STYLE)
    )
    return _section(
        "upload",
        "File upload",
        "Drop files or choose them: CSV or text, up to 5 MB each; Python reads the bytes.",
        FileUpload(
            on_upload=_uploaded,
            on_error=_upload_failed,
            multiple=True,
            accept=(".csv", ".txt", "text/plain", "text/csv"),
            max_bytes=5_000_000,
            label="Data files",
            input_id="demo-upload",
            id="demo-upload-zone",
        ),
        received,
    )


def _select_orders(keys: frozenset[object]) -> None:
    chosen = frozenset(k for k in keys if isinstance(k, int))
    _update(lambda s: replace(s, selected_orders=chosen))


def table_section(state: GalleryState) -> Node:
    """A 100,000-row virtualised table (sorting, selection) and a small paginated one."""
    count = len(state.selected_orders)
    return _section(
        "table",
        "Table",
        "100,000 orders: only the rows in view are in the page. Sort by any column, select rows.",
        Table(
            ORDERS,
            columns=ORDER_COLUMNS,
            row_key="id",
            label="Orders",
            selectable=True,
            selected=state.selected_orders,
            on_select=_select_orders,
            virtual=True,
            height=360,
            id="demo-orders",
        ),
        Text(
            f"{count:,} of {len(ORDERS):,} orders selected.",
            as_="p",
            id="demo-orders-count",
            style=LEAD_STYLE,
        ),
        Text("Team (paginated, 5 per page)", as_="h3"),
        Table(TEAM, columns=TEAM_COLUMNS, row_key="name", label="Team", page_size=5, id="demo-team"),
    )


class Section(NamedTuple):
    """One section of the page.

    Attributes:
        slug: The section's ``id`` and hash link.
        label: Its heading and navigation label.
        render: Builds the section from the state.
        deps: The part of the state the section shows: the section renders again only when it
            changes (a memoized component), so typing in one field does not rebuild the others.
    """

    slug: str
    label: str
    render: Callable[[GalleryState], Node]
    deps: Callable[[GalleryState], object]


def _no_deps(state: GalleryState) -> None:
    del state


SECTIONS: tuple[Section, ...] = (
    Section("buttons", "Buttons", buttons_section, lambda s: s.clicks),
    Section("display", "Cards, badges, progress", display_section, lambda s: s.volume),
    Section(
        "inputs",
        "Inputs",
        inputs_section,
        lambda s: (s.bio, s.notifications, s.newsletter, s.due, s.volume, s.plan),
    ),
    Section("forms", "Forms", forms_section, lambda s: s.signup),
    Section("dialog", "Dialog", dialog_section, lambda s: (s.invite_open, s.invite)),
    Section("menu", "Menu", menu_section, lambda s: s.menu_choice),
    Section("tabs", "Tabs", tabs_section, lambda s: s.tab),
    Section("tooltip", "Tooltip", tooltip_section, _no_deps),
    Section("toasts", "Toasts", toasts_section, _no_deps),
    Section("table", "Table", table_section, lambda s: s.selected_orders),
    Section("upload", "File upload", upload_section, lambda s: s.uploads),
    Section("markdown", "Markdown", markdown_section, _no_deps),
    Section("typography", "Typography", typography_section, _no_deps),
    Section("layout", "Layout", layout_section, _no_deps),
)
"""Every section in page order."""


@component
def section_view(*, render: Callable[[GalleryState], Node], deps: object) -> Node:
    """Render one section from the current state; memoized on ``render`` and ``deps``."""
    del deps  # compared by the reconciler; the section reads the state itself
    return render(app.state)


# --- page ------------------------------------------------------------------------------------------------


def _set_scheme(value: str) -> None:
    for scheme in COLOR_SCHEMES:
        if scheme == value:
            app.set_color_scheme(scheme)


def header() -> Node:
    """The header's content: the gallery's name and the colour scheme switch (``App.set_color_scheme``)."""
    return Row(
        Text("tempestweb gallery", as_="h1", style=TITLE_STYLE),
        Select(
            label="Theme",
            options=(("system", "System"), ("light", "Light"), ("dark", "Dark")),
            value=app.current_color_scheme,
            on_change=_set_scheme,
            id="scheme",
        ),
        justify="space-between",
        align="center",
        gap="var(--tw-space-4)",
        wrap=True,  # at 320 px with WCAG 1.4.12 text spacing the switch goes below the title
        style=Style(flex=1),
    )


def navigation() -> Node:
    """The navigation's content: one hash link per section."""
    return Column(
        *(html.a(section.label, href=f"#{section.slug}", style=NAV_LINK_STYLE) for section in SECTIONS),
        gap="var(--tw-space-1)",
    )


def view(state: GalleryState) -> Node:
    """Render the gallery: an AppShell (header, navigation drawer, content) and the toasts' region."""
    return Column(
        AppShell(
            *(section_view(render=sec.render, deps=sec.deps(state), key=sec.slug) for sec in SECTIONS),
            header=header(),
            nav=navigation(),
            nav_label="Components",
            nav_id="gallery-nav",
            id="gallery",
        ),
        Toaster(),
    )


app = App(view=view, state=GalleryState, title="tempestweb gallery")
