"""A footer that never shows a cut word: the keys that fit the width, the way to quit always.

Textual's footer lays every shown binding in a row and the terminal's edge cuts the last one
mid-word (``^p palettep`` at 120 columns, a reader's keys and "Quit" gone at 80). This one
measures each key as the compact footer draws it and leaves out the ones that come last in
the row until the rest fit; the quit key is never left out, whatever has the focus.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

FIRST = ("quit", "help")  # what every footer keeps first, whatever the width
PALETTE_WIDTH = 12  # "▏^p palette" and the margin before it


class FittingFooter(Footer):
    """``first``: the actions kept before the others (the main screen adds the search box
    and annotate to how to quit and the help)."""

    def __init__(self, first: tuple[str, ...] = FIRST, **kwargs) -> None:
        super().__init__(compact=True, **kwargs)
        self._width = 0
        self.first = first

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        active = self.screen.active_bindings
        seen: set[str] = set()
        keys: list[tuple] = []  # (binding, enabled, tooltip), one per action, in footer order
        for _, binding, enabled, tooltip in active.values():
            if binding.show and binding.action not in seen:
                seen.add(binding.action)
                keys.append((binding, enabled, tooltip))
        palette = None
        if self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE:
            palette = active.get(self.app.COMMAND_PALETTE_BINDING)
        width = (self._width or self.app.size.width) - (PALETTE_WIDTH if palette else 0)
        for binding, enabled, tooltip in fit(self.app, keys, width, self.first):
            yield FooterKey(
                binding.key,
                self.app.get_key_display(binding),
                binding.description,
                binding.action,
                disabled=not enabled,
                tooltip=tooltip,
            ).data_bind(compact=Footer.compact)
        if palette is not None:
            _node, binding, enabled, _tooltip = palette
            yield FooterKey(
                binding.key,
                self.app.get_key_display(binding),
                binding.description,
                binding.action,
                classes="-command-palette",
                disabled=not enabled,
                tooltip=binding.tooltip or binding.description,
            )

    def on_resize(self) -> None:
        if self.size.width != self._width:
            self._width = self.size.width
            self.call_after_refresh(self.recompose)


def key_width(app, binding) -> int:
    """Cells a key takes in the compact footer: "key description" and its right margin."""
    return cell_len(app.get_key_display(binding)) + 1 + cell_len(binding.description) + 1


def fit(app, keys: list[tuple], width: int, first: tuple[str, ...] = FIRST) -> list[tuple]:
    """The ``keys`` that fit in ``width`` cells, in their order: room is made for the ``first``
    ones (how to quit, the help...), then for the others in order while there is room (once
    one is left out, the later ones are too: no hole in the row)."""
    room = width
    kept: set[int] = set()
    for action in first:
        for i, key in enumerate(keys):
            if key[0].action == action and key_width(app, key[0]) <= room:
                room -= key_width(app, key[0])
                kept.add(i)
    for i, key in enumerate(keys):
        if i in kept:
            continue
        needed = key_width(app, key[0])
        if needed > room:
            break
        room -= needed
        kept.add(i)
    shown = [key for i, key in enumerate(keys) if i in kept]
    return sorted(shown, key=lambda k: k[0].action == "quit")  # how to quit, last
