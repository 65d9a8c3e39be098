"""Semantic widgets: typed, keyword-argument builders of :class:`~tempest_core.nodes.Element`.

Every widget validates its arguments cheaply and raises
:class:`~tempest_core.errors.WidgetError` with a message naming the widget, the argument, what
was expected and what was given (``Button(label=...): expected str or Element, got int (42)``).
Every widget accepts ``key=``, ``style=``, ``class_=`` and ``id=`` (``List`` takes its own key as
``list_key=``, since ``key=`` is the item key function). Widgets are built with
:mod:`tempest_core.html`, so the result is ordinary markup that can be mixed with raw elements.

Example:
    >>> Button("Save").attrs
    {'type': 'button'}

"""

from __future__ import annotations

from tempest_core._widgets_choice import Checkbox, RadioGroup, Select, Slider, Switch
from tempest_core._widgets_content import Button, Divider, Image, Link, Text
from tempest_core._widgets_display import Badge, Card, Icon, Progress, Spinner
from tempest_core._widgets_input import DatePicker, FileUpload
from tempest_core._widgets_layout import Column, Container, List, Row, Spacer, Stack
from tempest_core._widgets_markdown import Markdown
from tempest_core._widgets_nav import Menu, Tabs
from tempest_core._widgets_overlay import Dialog, Tooltip
from tempest_core._widgets_shell import AppShell
from tempest_core._widgets_table import Table, TableColumn
from tempest_core._widgets_text import Form, TextArea, TextField
from tempest_core._widgets_toast import Toaster

__all__ = [
    "AppShell",
    "Badge",
    "Button",
    "Card",
    "Checkbox",
    "Column",
    "Container",
    "DatePicker",
    "Dialog",
    "Divider",
    "FileUpload",
    "Form",
    "Icon",
    "Image",
    "Link",
    "List",
    "Markdown",
    "Menu",
    "Progress",
    "RadioGroup",
    "Row",
    "Select",
    "Slider",
    "Spacer",
    "Spinner",
    "Stack",
    "Switch",
    "Table",
    "TableColumn",
    "Tabs",
    "Text",
    "TextArea",
    "TextField",
    "Toaster",
    "Tooltip",
]
