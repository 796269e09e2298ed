"""Every action the app binds or links names something that runs: a key, a palette entry or a
clickable link under a reader that points at a renamed method fails silently in Textual (the
click does nothing), so the whole table and every link in the code are checked here."""

from __future__ import annotations

import re
from pathlib import Path

from textual.actions import parse

import tui
from tui.ui import actions
from tui.ui.app import CONTROLLERS, GloseApp

from .app_helpers import make_app

UI = Path(tui.__file__).parent / "ui"


def runs(app: GloseApp, action: str) -> bool:
    namespace, name, args = parse(action)
    if namespace not in ("", "app"):
        return True  # screen. and focused widgets' own actions: checked where they live
    if name != "do":
        return callable(getattr(app, f"action_{name}", None))
    controller, method = args[0], args[1]
    return controller in CONTROLLERS and callable(getattr(getattr(app, controller), method, None))


def test_every_key_palette_entry_and_link_names_an_action_that_exists(indexed):
    app = make_app(indexed)
    table = [a.action for a in actions.ACTIONS]
    links = [
        m.group(1)
        for path in UI.rglob("*.py")
        for m in re.finditer(r"@click=([a-z_.]+(?:\([^)\]{]*\))?)", path.read_text("utf-8"))
    ]
    assert len(links) >= 10  # the note bars' and the comparison's links are found
    broken = [a for a in table + links if not runs(app, a)]
    assert broken == []


def test_no_two_actions_share_a_key():
    """Two branches binding one key: the later silently wins (T was the timeline and the
    frequency list at once)."""
    seen: dict[str, str] = {}
    for action in actions.ACTIONS:
        for key in (action.keys or "").split(","):
            if key := key.strip():
                assert key not in seen, f"{key} is bound to {seen[key]} and {action.id}"
                seen[key] = action.id
