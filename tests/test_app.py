"""The Textual app under Pilot: each flow a user relies on, against a real workspace."""

from __future__ import annotations

import pytest

from tui.api import Library, Passage
from tui.store import Store
from tui.ui.reader.view import Reader

from .app_helpers import make_app, open_concordance, ready, search_and_open, settle, until
from .conftest import SAMPLE_IDS

UK = "la création d'images illégales en un service premium"


def annotations(ws):
    with Store(ws.db) as store:
        return store.annotations()


def line_text(reader: Reader, index: int) -> str:
    start, end = reader.layout_.lines[index]
    return reader.text[start:end]


async def select_quote(pilot, quote: str) -> None:
    reader: Reader = pilot.app.reader
    start = reader.text.index(quote)
    reader.select(start, start + len(quote))
    await pilot.pause()


async def test_startup_builds_the_index_and_lists_the_articles(workspace):
    app = make_app(workspace)
    async with app.run_test(size=(120, 35)) as pilot:
        await ready(pilot)
        assert app.query_one("#results").option_count == 5
        assert (workspace.index / "state.json").exists()
        assert app.focused is app.query_one("#query")


async def test_search_open_select_annotate_writes_the_row(workspace):
    app = make_app(workspace)
    async with app.run_test(size=(120, 35)) as pilot:
        await ready(pilot)
        await search_and_open(pilot, "deshabiller")
        reader = app.reader
        assert reader.article_id in (SAMPLE_IDS[0], SAMPLE_IDS[2])
        assert reader.hits and all(reader.text[s:e].lower().startswith("déshabill") for s, e in reader.hits)
        await pilot.press("n")
        hit = reader.cursor
        assert reader.text[hit:].lower().startswith("déshabill")
        await pilot.press("v", "w", "w", "a")
        await settle(pilot)
        await pilot.press(*"réaction/politique", "enter", *"Une note", "ctrl+s")
        await settle(pilot)
        (ann,) = annotations(workspace)
        assert (ann.article, ann.start, ann.tags, ann.note) == (
            reader.article_id,
            hit,
            ("réaction/politique",),
            "Une note",
        )
        assert ann.exact == reader.text[ann.start : ann.end] and len(ann.exact.split()) == 2
        assert [m.id for m in reader.marks] == [ann.id]
        assert app.query_one("#annotations").option_count == 1


async def test_keyboard_selection_by_sentence_and_paragraph(indexed):
    app = make_app(indexed)
    async with app.run_test(size=(120, 35)) as pilot:
        await ready(pilot)
        await search_and_open(pilot, "kidding")
        reader = app.reader
        reader.reveal(reader.text.index("Le mécanisme"))
        await pilot.press("v", "right_parenthesis")
        start, end = reader.selection
        assert (
            reader.text[start:end]
            == "Le mécanisme est aussi simple qu’inquiétant : il suffit de taguer Grok sous un post public pour lui demander de générer ou modifier une image."
        )
        await pilot.press("escape", "V")
        start, end = reader.selection
        assert reader.text[start:end].startswith("Le mécanisme") and reader.text[start:end].endswith(
            "les abus."
        )


async def test_edit_delete_undo_redo(indexed):
    app = make_app(indexed)
    async with app.run_test(size=(120, 35)) as pilot:
        await ready(pilot)
        await search_and_open(pilot, '"service premium"')
        await select_quote(pilot, "service premium")
        await pilot.press("a")
        await settle(pilot)
        await pilot.press(*"premier", "ctrl+s")
        await settle(pilot)
        (ann,) = annotations(indexed)
        app.reader.reveal(ann.start + 2)
        await pilot.press("e")
        await settle(pilot)
        await pilot.press("ctrl+u", *"second", "ctrl+s")  # ctrl+u clears the input line
        await settle(pilot)
        assert annotations(indexed)[0].tags == ("second",)
        await pilot.press("d")
        await settle(pilot)
        assert annotations(indexed) == []
        await pilot.press("u")
        await settle(pilot)
        assert annotations(indexed)[0].tags == ("second",)
        await pilot.press("u")
        await settle(pilot)
        assert annotations(indexed)[0].tags == ("premier",)
        await pilot.press("u")
        await settle(pilot)
        assert annotations(indexed) == []  # the creation itself, undone (to the trash)
        await pilot.press("ctrl+r", "ctrl+r")
        await settle(pilot)
        assert annotations(indexed)[0].tags == ("second",)


async def test_number_keys_and_repeat_code_fast(indexed):
    with Store(indexed.db) as store:
        store.create_tag("acteurs")
        store.create_tag("réaction/politique")
    app = make_app(indexed)
    async with app.run_test(size=(120, 35)) as pilot:
        await ready(pilot)
        await search_and_open(pilot, '"service premium"')
        await select_quote(pilot, UK)
        await pilot.press("2")
        await settle(pilot)
        await select_quote(pilot, "Keir Starmer")
        await pilot.press("full_stop")
        await settle(pilot)
        await pilot.press("1")  # no selection: adds the tag to the annotation under the cursor
        await settle(pilot)
        got = {a.exact: a.tags for a in annotations(indexed)}
        assert got == {UK: ("réaction/politique",), "Keir Starmer": ("acteurs", "réaction/politique")}


async def test_side_by_side(indexed):
    app = make_app(indexed)
    async with app.run_test(size=(120, 35)) as pilot:
        await ready(pilot)
        await search_and_open(pilot, '"service premium"', index=0)
        first = app.reader.article_id
        app.query_one("#results").focus()
        app.query_one("#results").highlighted = 1
        await pilot.press("o")
        await settle(pilot)
        left = app.query_one("#left-reader", Reader)
        right = app.query_one("#right-reader", Reader)
        assert app.split and left.article_id == first and right.article_id not in (None, first)
        assert app.active == "right" and app.focused is right
        await pilot.press("tab")  # split: tab goes from reader to reader, never into the search box
        assert app.focused is left and app.active == "left"
        await pilot.press("tab")
        assert app.focused is right and app.active == "right"
        await pilot.press("slash")
        assert app.focused is app.query_one("#query")
        await pilot.press("escape")
        assert app.focused is app.query_one("#results")
        await pilot.press("s")
        assert not app.split and app.query_one("#right").display is False


async def test_malformed_query_is_shown_inline(indexed):
    app = make_app(indexed)
    async with app.run_test(size=(120, 35)) as pilot:
        await ready(pilot)
        await pilot.press(*"(grok")
        await pilot.pause(0.3)
        await settle(pilot)
        status = app.query_one("#search-status").render()
        assert "never closed" in str(status)


async def test_export_from_the_app(indexed):
    with Library(indexed) as lib:
        lib.annotations.annotate(Passage("004", quote=UK), tags=["réaction/politique"], note="n")
    app = make_app(indexed)
    async with app.run_test(size=(120, 35)) as pilot:
        await ready(pilot)
        await pilot.press("escape", "x")
        await settle(pilot)
        path = app.screen.query_one("#path")
        path.value = "exports/out.md"
        path.focus()
        await pilot.press("enter")
        await settle(pilot)
        text = (indexed.root / "exports" / "out.md").read_text("utf-8")
        assert UK in text and "réaction/politique" in text
        assert any("exports/out.md" in n.message for n in app._notifications)


async def test_markup_and_escapes_in_text_tags_and_notes_show_literally(workspace):
    (workspace.articles / "piege.txt").write_text(
        "[bold]Titre piégé[/bold] \x1b]0;pwned\x07 et [/foo] [link=x]lien[/link]\n\nUn paragraphe.\n", "utf-8"
    )
    app = make_app(workspace)
    async with app.run_test(size=(120, 35)) as pilot:
        await ready(pilot)
        await search_and_open(pilot, "piégé")
        reader = app.reader
        assert line_text(reader, 0) == "[bold]Titre piégé[/bold]  et [/foo] [link=x]lien[/link]"
        await select_quote(pilot, "Un paragraphe")
        await pilot.press("a")
        await settle(pilot)
        await pilot.press(*"[red]x[/red]", "enter", *"[b]note[/b]", "ctrl+s")
        await settle(pilot)
        (ann,) = annotations(workspace)
        assert ann.tags == ("[red]x[/red]",) and ann.note == "[b]note[/b]"
        reader.reveal(ann.start)
        await settle(pilot)
        note_bar = app.pane().query_one(".note-bar")
        assert "[red]x[/red]" in str(note_bar.render()) and "[b]note[/b]" in str(note_bar.render())


async def test_annotation_written_by_another_process_appears(indexed):
    app = make_app(indexed)
    async with app.run_test(size=(120, 35)) as pilot:
        await ready(pilot)
        await search_and_open(pilot, "starmer")
        article = app.reader.article_id
        text = app.reader.text
        from tui.text.corpus import content_hash

        with Store(indexed.db) as other:  # a second connection, as a CLI call would be
            i = text.index("Keir Starmer")
            other.create(article, text, content_hash(text), i, i + 12, tags=["cli"])
        for _ in range(60):
            await pilot.pause(0.1)
            if app.reader.marks:
                break
        assert [m.label for m in app.reader.marks] == ["cli"]


async def test_codebook_rename(indexed):
    with Library(indexed) as lib:
        lib.annotations.annotate(Passage("004", quote=UK), tags=["reaction"])
    app = make_app(indexed)
    async with app.run_test(size=(120, 35)) as pilot:
        await ready(pilot)
        await pilot.press("escape", "c")
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        await pilot.press("ctrl+u", *"réaction/politique", "enter")
        await settle(pilot)
        assert annotations(indexed)[0].tags == ("réaction/politique",)
        matrix = app.screen.query_one("#matrix")
        assert matrix.row_count == 1


async def test_help_lists_bindings_and_keymap_overrides_them(workspace):
    (workspace.root / "glose.toml").write_text('[keys]\n"app.split" = "ctrl+b"\n', "utf-8")
    from tui.workspace import Workspace

    app = make_app(Workspace.resolve(workspace.root))
    async with app.run_test(size=(120, 35)) as pilot:
        await ready(pilot)
        await pilot.press("escape", "ctrl+b")
        assert app.split
        await pilot.press("question_mark")
        await settle(pilot)
        text = " ".join(str(s.render()) for s in app.screen.query("Static"))
        assert "Annotate" in text and "Next hit" in text and "^b     Split" in text


@pytest.mark.parametrize("size", [(80, 24), (120, 35)])
async def test_mouse_drag_selects_and_annotates(indexed, size):
    app = make_app(indexed)
    async with app.run_test(size=size) as pilot:
        await ready(pilot)
        await search_and_open(pilot, "kidding")
        reader = app.reader
        await pilot.mouse_down(reader, offset=(0, 2))
        await pilot.hover(reader, offset=(12, 2))
        await pilot.mouse_up(reader, offset=(12, 2))
        await pilot.pause()
        sel = reader.selection
        assert sel is not None and sel[1] - sel[0] == 12
        line = int(reader.scroll_y) + 2
        assert sel[0] == reader.layout_.lines[line][0]


async def test_split_view_marks_shared_passages_in_both_readers(indexed):
    app = make_app(indexed)
    async with app.run_test(size=(120, 35)) as pilot:
        await ready(pilot)
        await pilot.press(*'"service premium"', "enter")
        await settle(pilot)
        results = app.query_one("#results")
        ids = [results.get_option_at_index(i).id for i in range(results.option_count)]
        results.focus()
        results.highlighted = ids.index(SAMPLE_IDS[4])
        await pilot.press("enter")
        await settle(pilot)
        results.focus()
        results.highlighted = ids.index(SAMPLE_IDS[0])
        await pilot.press("o")
        await settle(pilot, 5)
        left = app.query_one("#left-reader", Reader)
        right = app.query_one("#right-reader", Reader)
        assert left.shared and right.shared and len(left.shared) == len(right.shared)
        texts = [left.text[s:e] for s, e in left.shared]
        assert any("Keir Starmer" in t for t in texts)
        await pilot.press("p")
        span = app.across.spans[0]
        assert (left.cursor, right.cursor) == (span.a_start, span.b_start)


async def test_concordance_sort_open_and_code_all_hits_undoably(indexed):
    app = make_app(indexed)
    async with app.run_test(size=(120, 35)) as pilot:
        await ready(pilot)
        screen = await open_concordance(pilot, "Starmer")
        count = len(screen.lines)
        assert count == sum(app.lib.ctx.engine.text(a).count("Starmer") for a in app.lib.ctx.engine.ids())
        await pilot.press("r")
        await settle(pilot)
        assert screen.sort == "right"
        await pilot.press("t")
        await settle(pilot)
        await pilot.press(*"acteurs/Starmer", "enter")
        await settle(pilot)
        made = annotations(indexed)
        assert len(made) == count and {a.exact for a in made} == {"Starmer"}
        await pilot.press("escape", "u")
        await settle(pilot)
        assert annotations(indexed) == []


async def test_where_else_from_a_selection_opens_the_other_article(indexed):
    app = make_app(indexed)
    async with app.run_test(size=(120, 35)) as pilot:
        await ready(pilot)
        await pilot.press(*"ordonnance", "enter")
        await settle(pilot)
        results = app.query_one("#results")
        ids = [results.get_option_at_index(i).id for i in range(results.option_count)]
        results.focus()
        results.highlighted = ids.index(SAMPLE_IDS[4])
        await pilot.press("enter")
        await settle(pilot)
        await select_quote(pilot, "une mesure juridique qui impose à X")
        await pilot.press("W")
        await settle(pilot, 5)
        from tui.ui.controllers.across import WhereElseScreen

        assert isinstance(app.screen, WhereElseScreen)
        assert [o.article for o in app.screen.found] == [SAMPLE_IDS[2]]
        await pilot.press("enter")
        await settle(pilot, 5)
        reader = app.reader
        assert reader.article_id == SAMPLE_IDS[2]
        assert reader.selection is None  # shown, not selected: j moves, it does not extend
        start, end = reader.passage
        assert reader.text[start:end] == "une mesure juridique qui impose à X"
        assert reader._in_view(start, end)


async def test_undo_in_the_reader_refuses_to_overwrite_an_edit_made_in_a_terminal(indexed, cli):
    """Edit a note in the reader, again with glose edit, then u: refused, nothing lost."""
    app = make_app(indexed)
    async with app.run_test(size=(120, 35)) as pilot:
        await ready(pilot)
        await search_and_open(pilot, '"service premium"')
        await select_quote(pilot, "service premium")
        await pilot.press("a")
        await settle(pilot)
        await pilot.press(*"t", "enter", *"from the reader", "ctrl+s")
        await settle(pilot)
        (ann,) = annotations(indexed)
        assert cli(indexed, "edit", ann.id[:8], "--note", "typed in a terminal").exit_code == 0
        app.reader.focus()
        await pilot.press("u")
        await settle(pilot)
        assert annotations(indexed)[0].note == "typed in a terminal"
        messages = [n.message for n in app._notifications]
        assert any("cannot undo" in m and "command line" in m for m in messages), messages
    # and after quitting, glose undo reverts the terminal's edit, then the reader's creation
    assert cli(indexed, "undo").exit_code == 0
    assert annotations(indexed)[0].note == "from the reader"


async def test_a_tag_named_review_lists_its_own_annotations(indexed):
    with Library(indexed) as lib:
        lib.annotations.annotate(Passage("004", quote=UK), tags=["review"])
        lib.annotations.annotate(Passage("004", quote="Thomas Régnier"), tags=["*"])
    app = make_app(indexed)
    async with app.run_test(size=(120, 35)) as pilot:
        await ready(pilot)
        await pilot.press("escape", "f")
        await settle(pilot)
        await pilot.press(*"review")
        await pilot.pause()
        choices = app.screen.query_one("#choices")
        assert choices.option_count == 2  # the "to review" view and the tag
        choices.highlighted = 1
        await pilot.press("enter")
        await settle(pilot)
        panel = app.annotations_panel
        assert panel.filter.scope == "tag" and panel.filter.tag == "review"
        assert [a.exact for a in panel.shown.values()] == [UK]
        await pilot.press("f", "asterisk", "enter")
        await settle(pilot)
        assert [a.exact for a in panel.shown.values()] == ["Thomas Régnier"]


async def test_results_beyond_the_first_screenful_follow_in_order_with_their_snippets(workspace):
    """The first FIRST_SHOWN results are shown as soon as they are laid out; the rest, up to
    RESULTS_LIMIT, follow in the same list, in the engine's order, the first SNIPPETS with a
    snippet."""
    from textual.widgets import OptionList

    from tui.ui.panels.search import FIRST_SHOWN, SNIPPETS

    for n in range(SNIPPETS + 10):
        (workspace.articles / f"z{n:04d}.txt").write_text(f"Article {n}\n\nSur Grok, numéro {n}.", "utf-8")
    with Library(workspace) as lib:
        lib.index.update()
        expected = [h.article for h in lib.search.run("grok", limit=200).hits]
    assert len(expected) > SNIPPETS > FIRST_SHOWN
    app = make_app(workspace)
    async with app.run_test(size=(120, 35)) as pilot:
        await ready(pilot)
        app.search_panel.box.focus()
        await pilot.press(*"grok")
        results = app.query_one("#results", OptionList)
        await until(
            pilot,
            lambda: app.search_panel.shown_query == "grok" and results.option_count == len(expected),
            "the results after the first screenful",
        )
        options = [results.get_option_at_index(i) for i in range(results.option_count)]
        assert [o.id for o in options] == expected
        lines = [str(o.prompt).count("\n") for o in options]
        assert lines[:SNIPPETS] == [2] * SNIPPETS and set(lines[SNIPPETS:]) == {1}  # title, details, snippet
        assert results.highlighted == 0


async def test_before_a_query_a_large_corpus_lists_its_first_articles_and_says_how_many(workspace):
    """Listing (and drawing) every article of a 50,000-article corpus took seconds before the
    first search could show: the list holds the first RESULTS_LIMIT, the status the count."""
    from textual.widgets import OptionList

    from tui.ui.panels.search import RESULTS_LIMIT

    extra = RESULTS_LIMIT + 7
    for n in range(extra):
        (workspace.articles / f"z{n:04d}.txt").write_text(f"Article {n}\n\nSur Grok, numéro {n}.", "utf-8")
    with Library(workspace) as lib:
        lib.index.update()
        head, total = lib.articles.head(RESULTS_LIMIT)
        every = [h.article for h in lib.articles.catalog()]
        assert total == extra + 5 and [h.article for h in head] == every[:RESULTS_LIMIT]
        # a screenful at a time, as the list fills in
        assert [h.article for h in lib.articles.head(20, 190)[0]] == every[190:210]
    app = make_app(workspace)
    async with app.run_test(size=(120, 35)) as pilot:
        await ready(pilot)
        await settle(pilot)
        assert app.query_one("#results", OptionList).option_count == RESULTS_LIMIT
        status = str(app.search_panel.status.render())
        assert f"{extra + 5} articles, the first {RESULTS_LIMIT} listed" in status
        assert f"{extra + 5} articles" in str(app.topbar.render())
