"""tempest_core: widgets, html, Style, components, hooks, reconciler, App/Session, router, prerender.

The same code runs under CPython (Mode B hosts) and Pyodide (Mode A).
"""

from __future__ import annotations

from tempest_core._widgets_nav import MenuItem, Tab
from tempest_core._widgets_table import SortDirection, TableSort
from tempest_core._widgets_toast import Toast, dismiss_toast, notify
from tempest_core.app import App
from tempest_core.components import component
from tempest_core.errors import SessionError, StyleError, TempestError, TemplateError, WidgetError
from tempest_core.events import (
    BaseEvent,
    ChangeEvent,
    ClickEvent,
    FocusEvent,
    GenericEvent,
    InputEvent,
    KeyEvent,
    ScrollEvent,
    SubmitEvent,
    handler,
    parse_event,
)
from tempest_core.hooks import HookError, Ref, Setter, use_effect, use_memo, use_ref, use_state
from tempest_core.html import html, svg
from tempest_core.keyed import use_keyed_children
from tempest_core.nodes import Element, KeyedChildren, Node
from tempest_core.prerender import render_to_html
from tempest_core.router import (
    Location,
    NoSessionError,
    match_route,
    navigate,
    parse_location,
    routes,
    use_location,
    use_navigate,
)
from tempest_core.session import Session
from tempest_core.style import Style, StyleSheet
from tempest_core.templates import template
from tempest_core.theme import Theme, use_color_scheme
from tempest_core.widgets import (
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
    Progress,
    RadioGroup,
    Row,
    Select,
    Slider,
    Spacer,
    Spinner,
    Stack,
    Switch,
    Table,
    TableColumn,
    Tabs,
    Text,
    TextArea,
    TextField,
    Toaster,
    Tooltip,
)

__all__ = [
    "Element",
    "Node",
    "KeyedChildren",
    "App",
    "AppShell",
    "Badge",
    "BaseEvent",
    "Button",
    "Card",
    "ChangeEvent",
    "Checkbox",
    "ClickEvent",
    "Column",
    "Container",
    "DatePicker",
    "Dialog",
    "Divider",
    "FileUpload",
    "FocusEvent",
    "Form",
    "GenericEvent",
    "HookError",
    "Icon",
    "Image",
    "InputEvent",
    "KeyEvent",
    "Link",
    "List",
    "Location",
    "Markdown",
    "Menu",
    "MenuItem",
    "NoSessionError",
    "Progress",
    "RadioGroup",
    "Ref",
    "Row",
    "ScrollEvent",
    "Select",
    "Session",
    "SessionError",
    "Setter",
    "Slider",
    "SortDirection",
    "Spacer",
    "Spinner",
    "Stack",
    "Style",
    "StyleError",
    "StyleSheet",
    "SubmitEvent",
    "Switch",
    "Tab",
    "Table",
    "TableColumn",
    "TableSort",
    "Tabs",
    "TempestError",
    "TemplateError",
    "Text",
    "TextArea",
    "TextField",
    "Theme",
    "Toast",
    "Toaster",
    "Tooltip",
    "WidgetError",
    "component",
    "dismiss_toast",
    "handler",
    "html",
    "match_route",
    "navigate",
    "notify",
    "parse_event",
    "parse_location",
    "render_to_html",
    "routes",
    "svg",
    "template",
    "use_color_scheme",
    "use_effect",
    "use_keyed_children",
    "use_location",
    "use_memo",
    "use_navigate",
    "use_ref",
    "use_state",
]


def __dir__() -> list[str]:
    return list(__all__)
