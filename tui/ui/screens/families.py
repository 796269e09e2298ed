"""The families view's list: each wire family of the current search, its source, then its
copies with the share of the source each holds; choosing a copy opens it beside the source.

Every user string reaches the screen as ``Content`` built literally, never as markup."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from ...sanitize import terminal


class FamiliesDialog(ModalScreen[tuple[str, str, str] | None]):
    """Which copy to read beside its source (enter picks)."""

    DEFAULT_CSS = """
    FamiliesDialog { align: center middle; }
    FamiliesDialog > Vertical {
        width: 90%; max-width: 110; height: auto; max-height: 85%; border: thick $accent;
        background: $panel; padding: 0 1;
    }
    FamiliesDialog OptionList { height: auto; max-height: 30; border: none; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="families.cancel")]

    def __init__(self, families: list):
        super().__init__()
        self.rows: list[tuple[str, str, str] | None] = []  # (family, source, copy)
        self.options: list[Option] = []
        for fam in families:
            head = Content.assemble(
                (fam.id, "bold"),
                (f"  {len(fam.members)} articles  source ", "$text-muted"),
                (terminal(fam.source), "bold"),
            )
            self.options.append(Option(head, disabled=True))
            self.rows.append(None)
            for m in fam.members:
                if m.article == fam.source:
                    continue
                line = Content.assemble(
                    f"    {m.date or '—':<10} {m.share:>4.0%}  ",
                    terminal(m.article),
                    (f"  {terminal(m.source_name or '')}", "$text-muted"),
                )
                self.options.append(Option(line))
                self.rows.append((fam.id, fam.source, m.article))

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Content("Wire families: a copy opens beside its source (enter; escape closes)"))
            yield OptionList(*self.options, id="copies")

    def on_mount(self) -> None:
        listing = self.query_one("#copies", OptionList)
        listing.highlighted = next((i for i, r in enumerate(self.rows) if r is not None), None)
        listing.focus()

    @on(OptionList.OptionSelected, "#copies")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        row = self.rows[event.option_index]
        if row is not None:
            self.dismiss(row)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ProposalsDialog(ModalScreen[None]):
    """The codings proposed on wire families' copies (status proposed: not annotations
    yet): ``+`` accepts the highlighted one, ``-`` rejects it, ``A`` accepts all, ``X``
    rejects all; each is one change the reader's ``u`` undoes. The decisions are the
    controller's (``decide``), through the library; this screen only shows and asks."""

    DEFAULT_CSS = """
    ProposalsDialog { align: center middle; }
    ProposalsDialog > Vertical {
        width: 90%; max-width: 120; height: auto; max-height: 85%; border: thick $accent;
        background: $panel; padding: 0 1;
    }
    ProposalsDialog OptionList { height: auto; max-height: 30; border: none; }
    """
    BINDINGS = [
        Binding("plus", "decide(True, False)", "Accept", id="proposals.accept"),
        Binding("minus", "decide(False, False)", "Reject", id="proposals.reject"),
        Binding("A", "decide(True, True)", "Accept all", id="proposals.accept-all"),
        Binding("X", "decide(False, True)", "Reject all", id="proposals.reject-all"),
        Binding("escape", "close", "Close", id="proposals.close"),
    ]

    def __init__(self, rows: list[dict], decide):
        super().__init__()
        self.rows = rows
        self._decide = decide  # (ids or None for all, accept) -> None; calls back show()

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(
                Content("Proposed codings: + accept · - reject · A accept all · X reject all · escape closes")
            )
            yield OptionList(id="proposals")

    def on_mount(self) -> None:
        self.show(self.rows)

    def show(self, rows: list[dict]) -> None:
        self.rows = rows
        listing = self.query_one("#proposals", OptionList)
        listing.clear_options()
        for row in rows:
            listing.add_option(
                Option(
                    Content.assemble(
                        (terminal(", ".join(row["tags"])), "bold"),
                        f"  {terminal(row['article'])} {row['start']}–{row['end']}  ",
                        ("“" + terminal(" ".join(row["exact"].split()))[:80] + "”", "$text-muted"),
                        (f"  from family {row['family']}'s source", "$text-muted"),
                    )
                )
            )
        if not rows:
            listing.add_option(Option(Content("nothing proposed is waiting"), disabled=True))
        listing.highlighted = 0 if rows else None
        listing.focus()

    def action_decide(self, accept: bool, every: bool) -> None:
        listing = self.query_one("#proposals", OptionList)
        if not self.rows:
            return
        if every:
            self._decide(None, accept)
        elif listing.highlighted is not None:
            self._decide([self.rows[listing.highlighted]["id"]], accept)

    def action_close(self) -> None:
        self.dismiss(None)
