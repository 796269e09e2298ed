"""A newcomer's first hour (issue 24), under Pilot at 120×35 and 80×24: two readers that fit
the terminal, keys that do what the footer says, dialogs that keep what was typed."""

from __future__ import annotations

from textual.widgets import Input, OptionList

from tui.api import Library, Passage

from .app_helpers import (
    act,
    footer_fits,
    make_app,
    press,
    ready,
    screen_lines,
    search_and_open,
    settle,
    until,
)

LONG_TAG = "réaction/accessibilité"


async def open_two(pilot) -> None:
    """Search, open the first result, then the second in the other reader (``o``)."""
    await search_and_open(pilot, "grok")
    await pilot.press("slash", "down", "down", "o")
    await settle(pilot)


async def test_two_readers_at_120_get_the_width_and_40_characters_of_title(indexed):
    with Library(indexed) as lib:
        lib.annotations.annotate(
            Passage("004", quote="Thomas Régnier"), tags=[LONG_TAG, "acteurs/UE"], note="porte-parole"
        )
    app = make_app(indexed)
    async with app.run_test(size=(120, 35)) as pilot:
        await ready(pilot)
        await open_two(pilot)
        assert not app.query_one("#side").display  # folded while a reader has the focus
        for pane in app.panes():
            assert pane.display and pane.region.width >= 50, pane.region
            title = pane._header[0]
            assert title[:40] in screen_lines(app)[pane.title_bar.region.y]
        left = app.pane("left")
        app.set_active("left")
        left.reader.focus()
        left.reader.reveal(left.reader.text.index("Thomas Régnier"))
        await settle(pilot)
        note = "\n".join(
            line[left.note_bar.region.x : left.note_bar.region.right] for line in screen_lines(app)
        )
        assert LONG_TAG in note and "delete (d)" in note  # the tag whole, the links there
        assert "^q Quit" in footer_fits(app)
        await pilot.press("slash")  # the search box one key away: the side column comes back
        assert app.query_one("#side").display and app.focused is app.query_one("#query", Input)
        assert "^q Quit" in footer_fits(app)
        await pilot.press("escape", "tab")  # results, annotations list: the column stays
        assert app.query_one("#side").display
        await pilot.press("escape")
        app.pane("left").reader.focus()
        await pilot.pause()
        assert not app.query_one("#side").display
        await pilot.press("L")  # pinned beside the readers
        assert app.query_one("#side").display and app.focused is app.pane("left").reader
        await pilot.press("L")
        assert not app.query_one("#side").display


async def test_two_readers_at_80_take_the_whole_width_one_at_a_time(indexed):
    app = make_app(indexed)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        assert "^q Quit" in footer_fits(app)
        await open_two(pilot)
        right, left = app.pane("right"), app.pane("left")
        assert app.focused is right.reader and right.region.width >= 78 and not left.display
        assert "2/2" in screen_lines(app)[right.title_bar.region.y]
        assert "^q Quit" in footer_fits(app)
        await pilot.press("tab")
        assert app.focused is left.reader and left.region.width >= 78 and not right.display
        assert "a Annotate" in footer_fits(app)
        await pilot.press("v")
        assert "^q Quit" in footer_fits(app)


async def test_keys_on_the_first_screen_and_the_query_kept_only_once_run(indexed):
    app = make_app(indexed)
    async with app.run_test(size=(120, 35)) as pilot:
        await ready(pilot)
        box = app.query_one("#query", Input)
        assert app.focused is box and "^q Quit" in footer_fits(app)
        await pilot.press("slash", *"grok", "enter")  # / pressed first is not typed
        await settle(pilot)
        assert box.value == "grok" and app.reader.article_id is not None
        await pilot.press("slash", "slash")  # back in the box: still no / in front
        assert box.value == "grok"
        await pilot.press(*"junk")  # typed, never run
        await pilot.press("ctrl+q")
    app = make_app(indexed)
    async with app.run_test(size=(120, 35)) as pilot:
        await ready(pilot)
        box = app.query_one("#query", Input)
        assert box.value == "grok"  # the query run, not the junk typed after
        box.value = ""
        box.focus()  # (the article put back has the focus)
        await pilot.press(*"a/b", "q")  # a / inside a query is text, q is typed
        assert box.value == "a/bq" and app.is_running
        await pilot.press("ctrl+q")
    app = make_app(indexed)
    async with app.run_test(size=(120, 35)) as pilot:
        await ready(pilot)
        assert app.query_one("#query", Input).value == "grok"


async def test_tab_from_the_lists_goes_to_the_reader_just_opened(indexed):
    app = make_app(indexed)
    async with app.run_test(size=(120, 35)) as pilot:
        await ready(pilot)
        await open_two(pilot)  # the second article in the right reader, by o
        right = app.pane("right").reader
        assert app.focused is right and app.active == "right"
        await pilot.press("slash", "escape")  # the box, then the results
        assert app.focused is app.query_one("#results")
        await pilot.press("tab", "tab")  # the annotations list, then the readers
        assert app.focused is right and app.active == "right"
        await pilot.press("tab")  # reader to reader
        assert app.focused is app.pane("left").reader
        await pilot.press("slash", "shift+tab")  # back round from the box
        assert app.focused is app.pane("left").reader  # the active one again


async def test_escape_in_either_reader_then_d_deletes_the_annotation_under_the_cursor(indexed):
    with Library(indexed) as lib:
        lib.annotations.annotate(Passage("004", quote="Thomas Régnier"), tags=["acteurs"])
        lib.annotations.annotate(Passage("002", quote="Elon Musk", occurrence=1), tags=["acteurs"])
    for size in ((120, 35), (80, 24)):
        app = make_app(indexed)
        async with app.run_test(size=size) as pilot:
            await ready(pilot)
            await search_and_open(pilot, "grok")
            query = app.query_one("#query", Input).value
            await pilot.press("slash", "down", "down", "o")
            await settle(pilot)
            for _ in app.panes():
                reader = app.reader
                await pilot.press("g", "]", "v", "escape", "escape", "d")  # a selection, then none
                await settle(pilot)
                assert app.focused is reader and not reader.marks, size
                assert app.query_one("#query", Input).value == query
                await pilot.press("u", "tab")
                await settle(pilot)


async def test_the_annotate_dialog_at_80x24_has_its_labels_and_save_and_the_note_cursor_at_the_end(indexed):
    with Library(indexed) as lib:
        for n in range(30):
            lib.codebook.create(f"thème/sous-thème-{n}")
        lib.annotations.annotate(
            Passage("004", quote="Thomas Régnier"), tags=["acteurs"], note="Première ligne\nseconde ligne"
        )
    app = make_app(indexed)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await search_and_open(pilot, "Régnier")
        dialog = await press(pilot, "g", "]", "e")
        await pilot.press("tab")  # from the tags to the note
        note = dialog.query_one("#note")
        assert app.focused is note and note.cursor_location == note.document.end
        await pilot.press(*" ajouté")
        assert note.text == "Première ligne\nseconde ligne ajouté"
        dialog.query_one("#tags", Input).value = "a//b"  # refused: an error line more
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is dialog
        lines = screen_lines(app)
        assert any(line.strip("█ ").startswith("Tags") for line in lines), lines
        assert any(line.strip("█ ").startswith("Note") for line in lines), lines
        save = dialog.query_one("#save")
        assert save.region.height and save.region.bottom <= 24, save.region


async def test_the_export_and_add_files_dialogs_stay_open_with_what_was_typed_on_an_error(indexed, tmp_path):
    with Library(indexed) as lib:
        lib.annotations.annotate(Passage("004", quote="Thomas Régnier"), tags=["acteurs"])
    folder = tmp_path / "downloads"
    folder.mkdir()
    app = make_app(indexed)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        dialog = await press(pilot, "escape", "x")
        dialog.query_one("#tag", Input).value = "inconnu"
        dialog.query_one("#path", Input).value = "mon-export.csv"
        dialog.query_one("#path", Input).focus()
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is dialog and "inconnu" in str(dialog.query_one("#error").render())
        assert dialog.query_one("#tag", Input).value == "inconnu"
        assert dialog.query_one("#path", Input).value == "mon-export.csv"
        dialog.query_one("#tag", Input).value = "acteurs"
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is not dialog and (indexed.root / "mon-export.csv").exists()
        assert any("Exported 1 annotation to" in n.message for n in app._notifications)

        dialog = await act(pilot, "do('files', 'add')")
        typed = f"'{folder}' /nowhere/missing.pdf"
        dialog.query_one("#answer", Input).value = typed
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is dialog and "missing.pdf" in str(dialog.query_one("#error").render())
        assert dialog.query_one("#answer", Input).value == typed


async def test_counts_are_said_in_the_singular_and_a_codebook_export_counts_tags(indexed, cli, tmp_path):
    with Library(indexed) as lib:
        lib.annotations.annotate(Passage("004", quote="Thomas Régnier"), tags=["acteurs"])
        lib.codebook.create("vide")
    result = cli(indexed, "export", "--format", "qdc", "-o", str(tmp_path / "codebook.qdc"))
    assert "exported 2 tags to" in result.output  # the codebook: its tags, not the annotation
    result = cli(indexed, "export", "--format", "markdown")
    assert "1 annotation." in result.output and "1 annotations" not in result.output
    with Library(indexed) as lib:
        lib.codebook.delete("vide")
    app = make_app(indexed)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("escape", "c")
        await settle(pilot)
        assert any("1 tag, 1 coding" in line for line in screen_lines(app))


async def test_the_concordance_at_80_columns_uses_the_whole_width(indexed):
    from .app_helpers import open_concordance

    app = make_app(indexed)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        screen = await open_concordance(pilot, "Musk")
        listing = screen.query_one("#kwic")
        assert listing.option_count > 5
        top = listing.content_region.y
        rows = screen_lines(app)[top : top + 5]
        for row, line in zip(rows, screen.lines, strict=False):
            assert len(row.rstrip(" ▎")) >= 75, row  # to the edge (the scrollbar aside)
            assert line.right[:30] in row  # more than the 24 characters of right context it had
        assert "^q Quit" in footer_fits(app)


async def test_the_note_bar_leaves_the_passage_just_annotated_in_view(indexed):
    app = make_app(indexed)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await search_and_open(pilot, "Régnier")
        reader = app.reader
        await settle(pilot)
        height = reader.scrollable_content_region.height
        top = int(reader.scroll_y)
        start = reader.layout_.lines[top + height - 3][0]  # three lines from the bottom
        end = reader.layout_.lines[top + height - 1][1]  # to the last line on screen
        reader.select(start, end)
        await pilot.press("a")
        await settle(pilot)
        await pilot.press(*"acteurs", "enter", *"une note assez longue pour tenir sur deux lignes", "ctrl+s")
        await settle(pilot)
        assert reader.marks and app.pane().note_bar.display
        visible = reader.scrollable_content_region.height
        last = reader.layout_.line_of(end - 1)
        assert reader.scroll_y <= reader.layout_.line_of(start) and last < reader.scroll_y + visible


LONG_ID = "europresse/2026-01-09_le-monde_grok-limite-son-outil-de-deshabillage-aux-abonnes-a1b2c3.txt"


async def test_a_long_file_id_takes_one_short_line_of_its_result(indexed):
    import shutil

    (indexed.articles / "europresse").mkdir()
    shutil.copy(indexed.articles / "004_82fd22c88201b152.txt", indexed.articles / LONG_ID)
    for size in ((120, 35), (80, 24)):
        app = make_app(indexed)
        async with app.run_test(size=size) as pilot:
            await ready(pilot)
            await pilot.press(*"Régnier")
            await settle(pilot)
            listed = app.query_one("#results", OptionList)
            await until(pilot, lambda lst=listed: lst.option_count == 2, "both copies listed")
            listed.focus()
            listed.highlighted = [listed.get_option_at_index(i).id for i in range(2)].index(LONG_ID)
            await pilot.pause()
            lines = screen_lines(app)
            ids = [line for line in lines if "a1b2c3.txt" in line]
            assert len(ids) == 1 and "europresse" in ids[0] and "…" in ids[0], lines  # once, cut
            assert not any("abonnes" in line and "a1b2c3" not in line for line in lines), lines  # one line
            assert any("2026-01-09" in line and "ATS" in line for line in lines)


async def test_a_relaunch_at_80_columns_puts_the_focus_on_the_reader_shown(indexed):
    app = make_app(indexed)
    async with app.run_test(size=(120, 35)) as pilot:
        await ready(pilot)
        await open_two(pilot)
        await pilot.press("tab", "ctrl+q")  # the left reader active
    app = make_app(indexed)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await settle(pilot, 5)
        shown = [pane for pane in app.panes() if pane.display]
        assert app.split and len(shown) == 1 and app.focused is shown[0].reader
        assert "v Select" in footer_fits(app)


async def test_the_footer_says_how_to_quit_and_cuts_no_word_in_every_focus_state(indexed):
    with Library(indexed) as lib:
        lib.annotations.annotate(Passage("004", quote="Thomas Régnier"), tags=["acteurs"])
    for size in ((120, 35), (80, 24)):
        app = make_app(indexed)
        async with app.run_test(size=size) as pilot:
            await ready(pilot)
            await search_and_open(pilot, "Régnier")
            states = [("slash",), ("down",), ("tab",), ("tab",), ("v",), ("escape", "s"), ("slash",)]
            for keys in states:
                await pilot.press(*keys)
                await settle(pilot, 1)
                assert "^q Quit" in footer_fits(app), (size, keys, app.focused)
            await pilot.press("escape", "tab", "tab", "c")  # the codebook's own footer
            await settle(pilot)
            assert "^q Quit" in footer_fits(app), (size, app.screen)
