"""tempest_core: widgets, html, Style, components, hooks, reconciler, App/Session, router, prerender.

The same code runs under CPython (Mode B hosts) and Pyodide (Mode A).
"""

from __future__ import annotations

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
from tempest_core.nodes import Element, Node
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
from tempest_core.widgets import (
    Button,
    Checkbox,
    Column,
    Container,
    Dialog,
    Divider,
    Form,
    Image,
    Link,
    List,
    Menu,
    MenuItem,
    RadioGroup,
    Row,
    Select,
    Slider,
    Spacer,
    Stack,
    Switch,
    Tab,
    Table,
    TableColumn,
    Tabs,
    Text,
    TextArea,
    TextField,
    Toast,
    Toaster,
    Tooltip,
    dismiss_toast,
    notify,
)

__all__ = [
    "Element",
    "Node",
    "App",
    "BaseEvent",
    "Button",
    "ChangeEvent",
    "Checkbox",
    "ClickEvent",
    "Column",
    "Container",
    "Dialog",
    "Divider",
    "FocusEvent",
    "Form",
    "GenericEvent",
    "HookError",
    "Image",
    "InputEvent",
    "KeyEvent",
    "Link",
    "List",
    "Location",
    "Menu",
    "MenuItem",
    "NoSessionError",
    "RadioGroup",
    "Ref",
    "Row",
    "ScrollEvent",
    "Select",
    "Session",
    "SessionError",
    "Setter",
    "Slider",
    "Spacer",
    "Stack",
    "Style",
    "StyleError",
    "StyleSheet",
    "SubmitEvent",
    "Switch",
    "Tab",
    "Table",
    "TableColumn",
    "Tabs",
    "TempestError",
    "TemplateError",
    "Text",
    "TextArea",
    "TextField",
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
    "use_effect",
    "use_location",
    "use_memo",
    "use_navigate",
    "use_ref",
    "use_state",
]


def __dir__() -> list[str]:
    return list(__all__)
