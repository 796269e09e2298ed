"""A coder at speed, under Pilot: every jump lands in view, focus goes where the hand
expects, no typed word is lost, exports never overwrite or land where nobody asked."""

from __future__ import annotations

from textual import events
from textual.widgets import Button, Input, OptionList, TextArea

from tui.api import Library, Passage
from tui.ui.reader.view import Reader

from .app_helpers import (
    act,
    lib_filter,
    make_app,
    open_concordance,
    open_dialog,
    press,
    ready,
    search_and_open,
    settle,
    until,
)
from .conftest import SAMPLE_IDS, newer

UK_IN_002 = 'Cette mesure "transforme simplement une fonction'


def paragraph(text: str, inside: str) -> tuple[int, int]:
    at = text.index(inside)
    start = text.rfind("\n", 0, at) + 1
    end = text.find("\n", at)
    return start, end if end != -1 else len(text)


def annotate_uk_paragraph(ws) -> str:
    """The UK government's statement as a coder annotates it in 002: the whole paragraph."""
    with Library(ws) as lib:
        text = lib.articles.text("002").text
        start, end = paragraph(text, UK_IN_002)
        return lib.annotations.annotate(
            Passage("002", start=start, end=end), tags=["réaction/politique"], note="UK"
        ).id


def in_view(reader: Reader, start: int, end: int) -> bool:
    """The span's first line is on screen, above the note bar, not on the reader's edges."""
    height = reader.scrollable_content_region.height
    first = reader.layout_.line_of(start)
    last = min(reader.layout_.line_of(max(start, end - 1)), first + height - 3)
    return reader.scroll_y + 1 <= first and last <= reader.scroll_y + height - 2


async def test_a_jump_from_the_list_after_a_relaunch_centres_the_annotation(indexed):
    annotate_uk_paragraph(indexed)
    app = make_app(indexed)
    async with app.run_test(size=(120, 35)) as pilot:
        await ready(pilot)
        await pilot.press("escape", "A")  # all annotations: the list gets focus and a highlight
        await settle(pilot)
        listing = app.annotations_panel.listing
        assert app.focused is listing and listing.highlighted == 0
        await pilot.press("enter")
        await settle(pilot, 5)
        reader = app.reader
        ann = next(iter(app.annotations_panel.shown.values()))
        assert reader.article_id == ann.article and reader.selection is None
        assert reader.cursor == ann.start and reader.target == (ann.start, ann.end)
        assert in_view(reader, ann.start, ann.end)
        shown = range(
            int(reader.scroll_y), min(len(reader.layout_), int(reader.scroll_y) + reader.size.height)
        )
        assert UK_IN_002[:20] in " ".join(reader.text[slice(*reader.layout_.lines[i])] for i in shown)
        await pilot.press("j")  # reading on: a motion, not an extended selection
        assert reader.selection is None and reader.target is None


async def test_a_concordance_line_opens_in_view_with_no_stray_selection(indexed):
    app = make_app(indexed)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        screen = await open_concordance(pilot, "Starmer")
        last = len(screen.lines) - 1
        listing = screen.query_one("#kwic", OptionList)
        listing.highlighted = last
        await pilot.pause()
        line = screen.lines[last]
        # one row per line at 80 columns, the hit and its context in it
        assert listing.virtual_size.height == len(screen.lines)
        row = "".join(s.text for s in listing.render_line(last - listing.scroll_offset.y))
        assert f"{line.left[-5:]} {line.match} {line.right[:5]}" in row
        await pilot.resize_terminal(50, 24)  # narrower: the rows are made again for it
        await pilot.pause()
        row = "".join(s.text for s in listing.render_line(last - listing.scroll_offset.y))
        assert f" {line.match} " in row and listing.virtual_size.height == len(screen.lines)
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot, 5)
        reader = app.reader
        assert reader.article_id == line.article and reader.selection is None
        assert in_view(reader, line.start, line.end)
        await pilot.press("j")
        assert reader.selection is None
        # the line is still what a and W act on until the cursor moves: a annotates it
        await pilot.press("k")
        assert reader.passage is None


async def test_escape_in_the_reader_keeps_focus_there(indexed):
    app = make_app(indexed)
    async with app.run_test(size=(120, 35)) as pilot:
        await ready(pilot)
        await search_and_open(pilot, "grok")
        query = app.query_one("#query", Input).value
        await pilot.press("escape", "escape", "G")
        assert app.focused is app.reader
        assert app.query_one("#query", Input).value == query  # G did not replace the query


async def test_down_reaches_the_results_and_enter_in_the_box_opens_the_first(indexed):
    app = make_app(indexed)
    async with app.run_test(size=(120, 35)) as pilot:
        await ready(pilot)
        box = app.query_one("#query", Input)
        box.focus()
        await pilot.press(*"ordonnance")
        await pilot.pause(0.3)
        await settle(pilot)
        await pilot.press("down")
        results = app.query_one("#results", OptionList)
        assert app.focused is results and results.highlighted == 0
        first = results.get_option_at_index(0).id
        box.focus()
        await pilot.press("enter")  # one key from the query to reading
        await settle(pilot)
        assert app.reader.article_id == first and app.focused is app.reader


async def test_enter_typed_before_the_results_came_opens_the_first_one(indexed):
    app = make_app(indexed)
    async with app.run_test(size=(120, 35)) as pilot:
        await ready(pilot)
        app.query_one("#query", Input).focus()
        await pilot.press(*"Starmer", "enter")  # no wait for the debounce
        await settle(pilot)
        assert app.reader.article_id is not None
        assert "Starmer" in app.reader.text


async def test_split_then_o_fills_the_empty_reader_and_keeps_the_left(indexed):
    app = make_app(indexed)
    async with app.run_test(size=(120, 35)) as pilot:
        await ready(pilot)
        await search_and_open(pilot, "grok")
        left = app.reader.article_id
        await pilot.press("s")
        assert app.split
        results = app.query_one("#results", OptionList)
        results.focus()
        results.highlighted = 1
        other = results.get_option_at_index(1).id
        await pilot.press("o")
        await settle(pilot)
        assert app.pane("left").reader.article_id == left
        assert app.pane("right").reader.article_id == other


async def test_relaunching_puts_back_the_articles_and_places(indexed):
    app = make_app(indexed)
    async with app.run_test(size=(120, 35)) as pilot:
        await ready(pilot)
        await search_and_open(pilot, "grok")
        left = app.reader.article_id
        await pilot.press("G")
        cursor = app.reader.cursor
        results = app.query_one("#results", OptionList)
        results.focus()
        results.highlighted = 2
        right = results.get_option_at_index(2).id
        await pilot.press("o")
        await settle(pilot)
        await pilot.press("ctrl+q")
    again = make_app(indexed)
    async with again.run_test(size=(120, 35)) as pilot:
        await ready(pilot)
        await settle(pilot, 5)
        assert again.split
        assert again.pane("left").reader.article_id == left
        assert again.pane("right").reader.article_id == right
        reader = again.pane("left").reader
        assert reader.cursor == cursor and in_view(reader, cursor, cursor + 1)
        assert again.query_one("#query", Input).value == "grok"
        results = again.query_one("#results", OptionList)
        await until(pilot, lambda: results.option_count == 5, "the restored query's results")


async def test_the_index_becoming_ready_searches_the_query_in_the_box(indexed):
    """At start the last session's query is put back while the index is brought up to date;
    when the index is ready first, its search must be the box's query, not the empty one."""
    app = make_app(indexed)
    async with app.run_test(size=(120, 35)) as pilot:
        await ready(pilot)
        panel = app.search_panel
        with panel.box.prevent(Input.Changed):  # as if its own search had not run yet
            panel.box.value = "déshabiller"
        panel.again()
        await until(pilot, lambda: panel.shown_query == "déshabiller", "the box's query searched")
        assert 0 < panel.results.option_count < len(SAMPLE_IDS)


async def test_the_annotate_dialog_fits_80x24_and_save_is_clickable(indexed):
    app = make_app(indexed)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await open_dialog(pilot)
        save = app.screen.query_one("#save", Button)
        region = save.region
        assert region.height and region.bottom <= 24 and region.right <= 80, region
        app.screen.query_one("#tags", Input).value = "cliqué"
        await pilot.click("#save")
        await settle(pilot)
        with Library(indexed) as lib:
            assert [a.tags for a in lib.annotations.listing(lib_filter())] == [("cliqué",)]


async def test_codebook_tags_in_the_dialog_are_clickable(indexed):
    with Library(indexed) as lib:
        lib.codebook.create("acteurs")
        lib.codebook.create("réaction/politique")
    app = make_app(indexed)
    async with app.run_test(size=(120, 35)) as pilot:
        await ready(pilot)
        await open_dialog(pilot)
        await app.screen.run_action("add_tag(1)")  # what a click on the second tag runs
        await app.screen.run_action("add_tag(1)")  # twice: added once
        assert app.screen.query_one("#tags", Input).value == "réaction/politique"
        links = app.screen.query_one("#codebook").render()
        assert "@click=screen.add_tag(1)" in str(getattr(links, "spans", ""))


async def test_typed_work_is_not_thrown_away_by_escape_cancel_or_ctrl_q(indexed):
    app = make_app(indexed)
    async with app.run_test(size=(120, 35)) as pilot:
        await ready(pilot)
        await open_dialog(pilot)
        dialog = app.screen
        await pilot.press(*"enquête", "enter", *"ma note")
        await pilot.press("escape")
        assert app.screen is dialog and "not saved" in str(dialog.query_one("#error").render())
        await pilot.press("ctrl+q")
        assert app.is_running and app.screen is dialog  # warned first
        await pilot.click("#cancel")
        assert app.screen is dialog  # cancel is a different request: warned again
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is not dialog
        with Library(indexed) as lib:
            (ann,) = lib.annotations.listing(lib_filter())
        assert (ann.tags, ann.note) == (("enquête",), "ma note")


async def test_a_failed_save_keeps_the_dialog_and_the_text(indexed):
    app = make_app(indexed)
    async with app.run_test(size=(120, 35)) as pilot:
        await ready(pilot)
        await open_dialog(pilot)
        dialog = app.screen
        await pilot.press(*"a//b", "enter", *"une longue note")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is dialog
        assert "empty level" in str(dialog.query_one("#error").render())
        assert dialog.query_one("#note", TextArea).text == "une longue note"
        dialog.query_one("#tags", Input).value = "a/b"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is not dialog


async def test_a_read_only_database_is_said_before_anything_is_typed(indexed):
    with Library(indexed) as lib:
        lib.annotations.annotate(Passage("004", quote="Thomas Régnier"), tags=["a"])
    newer(indexed)
    app = make_app(indexed)
    async with app.run_test(size=(120, 35)) as pilot:
        await ready(pilot)
        await search_and_open(pilot, '"service premium"')
        reader = app.reader
        start = reader.text.index("service premium")
        reader.select(start, start + 7)
        await pilot.press("a")
        await settle(pilot)
        assert app.screen is app.screen_stack[0]  # no dialog to type into
        assert any("cannot be saved" in n.message for n in app._notifications)


async def test_keys_typed_in_one_burst_land_in_the_fields_they_were_meant_for(indexed):
    """A fast typist (or a paste of keys): ``tag⏎note`` arrives before the focus moves."""
    app = make_app(indexed)
    async with app.run_test(size=(120, 35)) as pilot:
        await ready(pilot)
        await open_dialog(pilot)
        dialog = app.screen
        for key in ["x", "y", "enter", "n", "o", "t", "e"]:
            app.post_message(events.Key(key, None if key == "enter" else key))
        await pilot.pause(0.2)
        assert dialog.query_one("#tags", Input).value == "xy"
        assert dialog.query_one("#note", TextArea).text == "note"


async def test_recolor_with_an_invalid_color_keeps_the_dialog_open(indexed):
    with Library(indexed) as lib:
        lib.codebook.create("acteurs")
    app = make_app(indexed)
    async with app.run_test(size=(120, 35)) as pilot:
        await ready(pilot)
        await pilot.press("escape", "c")
        await settle(pilot)
        dialog = await press(pilot, "c")
        dialog.query_one("#answer", Input).value = "chartreuse-ish"
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is dialog and "invalid color" in str(dialog.query_one("#error").render())
        dialog.query_one("#answer", Input).value = "red"
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is not dialog
    with Library(indexed) as lib:
        assert lib.codebook.tags()[0].color != ""


async def test_deleting_a_tag_in_the_codebook_is_undoable(indexed):
    with Library(indexed) as lib:
        lib.annotations.annotate(Passage("004", quote="Thomas Régnier"), tags=["acteurs", "ue"])
    app = make_app(indexed)
    async with app.run_test(size=(120, 35)) as pilot:
        await ready(pilot)
        await pilot.press("escape", "c")
        await settle(pilot)
        await pilot.press("D")
        await settle(pilot)
        await pilot.press("enter")  # the tag's name is there: enter confirms
        await settle(pilot)
        with Library(indexed) as lib:
            assert [t.name for t in lib.codebook.tags()] == ["ue"]
            assert lib.annotations.listing(lib_filter())[0].tags == ("ue",)
        await pilot.press("u")  # in the codebook screen: it shows the tag back at once
        await settle(pilot)
        assert [t.name for t in app.screen.tags] == ["acteurs", "ue"]
    with Library(indexed) as lib:
        assert [t.name for t in lib.codebook.tags()] == ["acteurs", "ue"]


async def test_the_trash_lists_deleted_annotations_and_r_restores(indexed):
    with Library(indexed) as lib:
        ann = lib.annotations.annotate(Passage("004", quote="Thomas Régnier"), tags=["acteurs"])
        lib.annotations.delete(ann.id)
    app = make_app(indexed)
    async with app.run_test(size=(120, 35)) as pilot:
        await ready(pilot)
        await act(pilot, "do('lists', 'scope', 'trash')")
        panel = app.annotations_panel
        assert list(panel.shown) == [ann.id] and app.focused is panel.listing
        await pilot.press("R")
        await settle(pilot)
    with Library(indexed) as lib:
        assert lib.annotations.get(ann.id).deleted is None


async def test_help_closes_with_its_button_and_a_click_outside(workspace):
    app = make_app(workspace)
    async with app.run_test(size=(120, 35)) as pilot:
        await ready(pilot)
        await pilot.press("escape", "question_mark")
        help_screen = app.screen
        await pilot.click("#close")
        assert app.screen is not help_screen
        await pilot.press("question_mark")
        await pilot.click(offset=(0, 0))
        assert app.screen is app.screen_stack[0]


def test_palette_titles_are_unique_and_not_textuals_own():
    from tui.ui.actions import palette

    titles = [a.palette for a in palette()]
    assert len(titles) == len(set(titles))
    assert not {"Keys", "Quit", "Theme", "Screenshot"} & set(titles)


async def test_query_errors_show_whole_and_clear_the_list(indexed):
    app = make_app(indexed)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        app.query_one("#query", Input).focus()
        await pilot.press(*"auteurx:grok")
        await pilot.pause(0.3)
        await settle(pilot)
        status = app.query_one("#search-status")
        assert app.query_one("#results", OptionList).option_count == 0
        assert status.size.height >= 2  # wrapped, not cut at the sidebar's width
        app.query_one("#query", Input).value = '"'
        await pilot.pause(0.3)
        await settle(pilot)
        assert "nothing to search for" in str(status.render())


async def test_where_else_on_the_annotated_uk_statement_finds_004(indexed):
    annotate_uk_paragraph(indexed)
    app = make_app(indexed)
    async with app.run_test(size=(120, 35)) as pilot:
        await ready(pilot)
        await pilot.press("escape", "A")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot, 5)
        await pilot.press("W")
        await settle(pilot, 5)
        from tui.ui.controllers.across import WhereElseScreen

        assert isinstance(app.screen, WhereElseScreen)
        assert SAMPLE_IDS[4] in [o.article for o in app.screen.found]
