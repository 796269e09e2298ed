"""One table of the app's actions, from which the key bindings, the command palette and the
``?`` help are all made: a command cannot be bound but missing from the palette, or listed
in the help under another key than the one that runs it."""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding


def do(controller: str, method: str, *args) -> str:
    """The action string that runs ``app.<controller>.<method>(*args)``: what the app's helpers
    answer is bound without a forwarding method each (see ``GloseApp.action_do``)."""
    return "do(" + ", ".join(repr(x) for x in (controller, method, *args)) + ")"


@dataclass(frozen=True)
class Action:
    id: str  # the binding id (what glose.toml's [keys] table remaps)
    keys: str | None  # default keys (None: palette only)
    action: str  # the Textual action string
    description: str  # short, for the footer and the help
    palette: str | None = None  # the command palette's title (None: not in the palette)
    help: str = ""  # the palette's one-line explanation
    show: bool = False  # in the footer
    priority: bool = False


ACTIONS: tuple[Action, ...] = (
    Action("app.search", "slash", "focus_search", "Search", "Search", "Focus the search box", show=True),
    Action("app.leave-search", "escape", "leave_search", "Leave search"),
    Action(
        "app.split",
        "s",
        "toggle_split",
        "Split",
        "Split view",
        "Read two articles side by side (toggle)",
        True,
    ),
    Action(
        "app.side",
        "L",
        "toggle_side",
        "Side",
        "Side column",
        "Show or hide the search and annotations beside two readers",
        True,
    ),
    Action(
        "app.open-other",
        "o",
        "open_other",
        "Open in other",
        "Open in the other reader",
        "Open the highlighted result in the other reader",
    ),
    Action(
        "app.sync",
        "S",
        "toggle_sync",
        "Sync scroll",
        "Synchronised scrolling",
        "Scroll both readers together (toggle)",
    ),
    Action(
        "app.annotate",
        "a",
        "do('coding', 'annotate')",
        "Annotate",
        "Annotate selection",
        "Tag and note the selected passage",
        True,
    ),
    Action(
        "app.edit",
        "e",
        "do('coding', 'edit')",
        "Edit",
        "Edit annotation",
        "Change the tags or note of the annotation under the cursor",
    ),
    Action(
        "app.delete",
        "d",
        "do('coding', 'delete')",
        "Delete",
        "Delete annotation",
        "Move the annotation under the cursor to the trash",
    ),
    Action(
        "app.undo",
        "u",
        "do('coding', 'undo')",
        "Undo",
        "Undo",
        "Undo the reader's last change (refused if changed since)",
        True,
    ),
    Action("app.redo", "ctrl+r,U", "do('coding', 'redo')", "Redo", "Redo", "Redo the last undone change"),
    Action(
        "app.repeat",
        "full_stop",
        "do('coding', 'repeat')",
        "Repeat coding",
        "Repeat last coding",
        "Apply the last tags to the selection",
    ),
    *(Action(f"app.tag-{n}", str(n), f"do('coding', 'quick_tag', {n})", f"Tag {n}") for n in range(1, 10)),
    Action(
        "app.filter",
        "f",
        "do('lists', 'choose')",
        "Filter",
        "Annotations: filter",
        "Choose what the annotations list shows",
    ),
    Action(
        "app.all-annotations",
        "A",
        "do('lists', 'toggle_all')",
        "All annotations",
        "Annotations: all",
        "List every annotation (toggle)",
    ),
    Action(
        "app.follow-search",
        "F",
        "do('lists', 'toggle_follow')",
        "Follow search",
        "Annotations: follow the search",
        "The annotations list and the codebook keep to the articles of the search (toggle)",
    ),
    Action(
        "app.save-set",
        "ctrl+s",
        "do('sets', 'save')",
        "Save as set",
        "Save the search as a set",
        "Keep the search on screen under a name: set:NAME in any search (the palette lists the sets)",
    ),
    Action(
        "app.review",
        None,
        "do('lists', 'scope', 'review')",
        "Review",
        "Annotations: review",
        "Moved and orphaned annotations",
    ),
    Action(
        "app.trash",
        None,
        "do('lists', 'scope', 'trash')",
        "Trash",
        "Annotations: trash",
        "Deleted annotations; R restores the highlighted one",
    ),
    Action(
        "app.restore",
        "R",
        "do('coding', 'restore')",
        "Restore",
        "Restore annotation",
        "Bring the deleted annotation highlighted in the trash back",
    ),
    Action(
        "app.reattach",
        "r",
        "do('coding', 'reattach')",
        "Re-attach",
        "Re-attach orphan",
        "Attach the highlighted orphan to the selection",
    ),
    Action(
        "app.concordance",
        "K",
        "do('across', 'concordance')",
        "Concordance",
        "Concordance (KWIC)",
        "Every hit of the search across the corpus, aligned; code them all",
        True,
    ),
    Action(
        "app.words",
        "T",
        "do('across', 'words')",
        "Words",
        "Words: frequencies, specificities, collocates",
        "The words of the search by frequency, specific to each outlet or period, and their neighbours",
    ),
    Action(
        "app.where-else",
        "W",
        "do('across', 'where_else')",
        "Where else",
        "Where else",
        "Articles holding the selected passage, or nearly",
        True,
    ),
    Action(
        "app.shared-list",
        None,
        "do('lists', 'scope', 'shared')",
        "Shared passages",
        "Shared passages: list",
        "Passages the two open articles share",
    ),
    Action(
        "app.shared-next",
        "p",
        "do('across', 'step', 1)",
        "Next shared passage",
        "Shared passages: next",
        "Jump both readers to the next shared passage",
        True,
    ),
    Action("app.shared-prev", "P", "do('across', 'step', -1)", "Previous shared passage"),
    Action(
        "app.compare",
        "C",
        "do('compare', 'toggle')",
        "Compare coders",
        "Compare coders",
        "The article side by side, one coder's annotations in each reader; disagreements marked (toggle)",
    ),
    Action(
        "app.disagreement-next",
        "greater_than_sign",
        "do('compare', 'step', 1)",
        "Next disagreement",
        "Compare: next disagreement",
        "Jump both readers to the next span the two coders disagree on",
        True,
    ),
    Action("app.disagreement-prev", "less_than_sign", "do('compare', 'step', -1)", "Previous disagreement"),
    Action(
        "app.adopt",
        "plus",
        "do('compare', 'settle', 'adopt')",
        "Adopt",
        "Compare: adopt",
        "The coder who did not code the disagreement gets the coding (undoable)",
        True,
    ),
    Action(
        "app.reject",
        "minus",
        "do('compare', 'settle', 'reject')",
        "Reject",
        "Compare: reject",
        "The coder who coded the disagreement no longer does (undoable)",
    ),
    Action(
        "app.merge",
        "equals_sign",
        "do('compare', 'settle', 'merge')",
        "Merge",
        "Compare: merge",
        "Overlapping spans of the two coders with the tag become one span, their union (undoable)",
    ),
    Action(
        "app.families",
        "Y",
        "do('families', 'toggle')",
        "Wire families",
        "Wire families",
        "The copies of one dispatch among the search's results: a copy beside its source, "
        "changes marked, ] and [ step through them (toggle)",
    ),
    Action(
        "app.families-propagate",
        None,
        "do('families', 'propagate')",
        "Propose the source's codings",
        "Wire families: propose the source's codings",
        "On every copy of the family open that still holds the coded passage (status proposed)",
    ),
    Action(
        "app.proposals",
        None,
        "do('families', 'proposals')",
        "Proposed codings",
        "Annotations: proposed codings",
        "Codings proposed on wire families' copies: accept or reject, one or all (undoable)",
    ),
    Action(
        "app.done",
        "D",
        "do('compare', 'toggle_done')",
        "Done",
        "Mark this article done",
        "This article is coded by you (toggle): agreement counts the others as not coded by you",
    ),
    Action(
        "app.codebook",
        "c",
        "codebook",
        "Codebook",
        "Codebook",
        "Tags, counts, colors; rename, merge, recolor, describe",
        True,
    ),
    Action(
        "app.timeline",
        "H",
        "do('across', 'timeline')",
        "Timeline",
        "Timeline",
        "The search over time by outlet; enter lists a period's articles",
    ),
    Action(
        "app.memo",
        "m",
        "do('memos', 'open')",
        "Memo",
        "Memo of this article",
        "Write your memo on the open article (no article open: the project's)",
    ),
    Action(
        "app.memos",
        "M",
        "do('memos', 'manager')",
        "Memos",
        "Memos: every memo",
        "Every memo, filtered as you type; open its article or tag",
    ),
    Action(
        "app.project-memo",
        None,
        "do('memos', 'edit', 'project', None)",
        "Project memo",
        "Memo of the project",
        "Write your memo on the project: the research question, the coding rules",
    ),
    Action(
        "app.export",
        "x",
        "do('files', 'export')",
        "Export",
        "Export annotations",
        "Markdown, CSV, W3C JSON-LD or REFI-QDA",
        True,
    ),
    Action(
        "app.add-files",
        None,
        "do('files', 'add')",
        "Add files",
        "Add files: press exports, web pages, PDF, Word…",
        "Europresse, Factiva, Nexis exports, saved pages, PDF, DOCX, ODT, RTF, EPUB into articles/",
    ),
    Action(
        "app.report",
        None,
        "do('files', 'report')",
        "Report",
        "Write a report of the coded passages (DOCX, ODT, HTML, Markdown)",
        "By tag, with citation lines and memos, as glose report; of the search when F follows it",
    ),
    Action(
        "app.import-variables",
        None,
        "do('files', 'import_variables')",
        "Import variables",
        "Import variables from a spreadsheet (CSV)",
        "A column per variable (genre…), the first naming the articles: as glose vars import",
    ),
    Action(
        "app.reindex",
        None,
        "do('indexer', 'update')",
        "Index",
        "Bring the index up to date",
        "Index what changed on disk now",
    ),
    Action(
        "app.help",
        "question_mark",
        "help",
        "Help",
        "Help: every key binding",
        "Every key of Glose, where it applies, and its id for glose.toml",
        True,
    ),
    Action("app.quit", "q", "quit", "Quit"),
    Action("app.quit-anywhere", "ctrl+q", "quit", "Quit", show=True, priority=True),
)


def bindings(actions: tuple[Action, ...] = ACTIONS) -> list[Binding]:
    return [
        Binding(a.keys, a.action, a.description, show=a.show, priority=a.priority, id=a.id)
        for a in actions
        if a.keys is not None
    ]


def palette(actions: tuple[Action, ...] = ACTIONS) -> list[Action]:
    return [a for a in actions if a.palette]


LISTS_HELP = [
    ("enter", "in the search box or the results: open the (first) result; annotations: jump to it"),
    ("down", "from the search box to the results"),
    ("o", "open the highlighted result in the other reader"),
    (
        "tab, shift+tab",
        "move between the search box, the lists and the readers (split: tab goes reader to reader;"
        " from the lists, to the reader last opened)",
    ),
    ("escape", "leave the search box"),
    ("ctrl+p", "command palette: every command by name"),
]


def help_sections(app, reader_bindings: list[Binding]) -> list[tuple[str, list[tuple[str, str]]]]:
    """The ``?`` screen: every binding with the keys it has now (the keymap applied) and its
    id, the name ``[keys]`` in glose.toml remaps it by."""
    keymap = app._keymap

    def rows(bindings) -> list[tuple[str, str]]:
        out = []
        for b in bindings:
            keys = keymap.get(b.id, b.key) if b.id else b.key
            shown = ", ".join(app.get_key_display(Binding(k.strip(), "")) for k in keys.split(","))
            out.append((shown, f"{b.description}  [{b.id}]" if b.id else b.description))
        return out

    return [
        ("Everywhere", rows(app.BINDINGS)),
        ("Reader (move; with a selection, motions extend it)", rows(reader_bindings)),
        ("Lists and search", LISTS_HELP),
    ]
