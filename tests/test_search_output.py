"""``glose search`` on a terminal fits its width: a hit is its title (cut at a word, ``…``),
then its date, outlet and id, then the snippet wrapped at words, none wider than the terminal;
in a pipe each hit stays two whole lines, for grep and scripts."""

from __future__ import annotations

import re

from rich.cells import cell_len

from tui.api import Library


def test_search_fits_the_terminal_width(cli, shared_index, monkeypatch):
    for width in (40, 80, 120):
        monkeypatch.setenv("COLUMNS", str(width))
        result = cli(shared_index, "search", "grok")
        assert result.exit_code == 0, result.stderr
        lines = result.stdout.splitlines()
        assert max(cell_len(line) for line in lines) <= width, (width, lines)
        with Library(shared_index) as lib:
            results = lib.search.run("grok", limit=10)
            for hit in results.hits:
                assert hit.article in result.stdout  # the id whole: it is what opens the article
                snippet = lib.search.snippet(hit.article, results.compiled.highlight).text
                printed = " ".join(result.stdout.split())
                assert " ".join(snippet.split()) in printed  # every word, wrapped not cut


def test_search_in_a_pipe_keeps_whole_lines(cli, shared_index, monkeypatch):
    monkeypatch.delenv("COLUMNS", raising=False)
    result = cli(shared_index, "search", "grok")
    heads = [line for line in result.stdout.splitlines() if re.match(r" ?\d+  ", line)]
    assert len(heads) == 5
    with Library(shared_index) as lib:
        for hit in lib.search.run("grok", limit=10).hits:
            assert any(hit.title in line and hit.article in line for line in heads)


def test_a_page_of_results_keeps_the_others_when_a_file_went_away(indexed):
    """A file removed after it was indexed (by another program, between the index's update
    and the snippet) must not take the whole list down: its row has no snippet."""
    with Library(indexed) as lib:
        gone = lib.search.run("grok", limit=10).hits[0].article
        (indexed.articles / gone).unlink()
        page = lib.search.page("grok", limit=10)
        rows = dict(page.rows)
        assert len(rows) == 5 and page.total == 5
        assert [h.article for h, s in page.rows if s is None] == [gone]
        assert all(s.text for h, s in page.rows if h.article != gone)


def test_search_in_a_pipe_prints_what_rich_prints_without_loading_it(capsys, monkeypatch):
    """In a pipe the results are written without rich (its import is a tenth of a one-shot
    search): the same characters rich prints there, for titles and snippets of every kind;
    text with a tab or a control character, which rich and the sanitiser change, still goes
    through rich."""
    from tui.cli import render
    from tui.search.hits import Hit, Snippet

    for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "COLUMNS"):
        monkeypatch.delenv(name, raising=False)
    titles = [
        "Grok\u00a0: « répond »",
        "東京の記者 ✓",
        "  spaced  ",
        "",
        "a\tb",
        "bell\x07",
        "\x1b[31mred",
        "é" * 300,
    ]
    snippets = [
        Snippet(0, "Le début\u202f; grok.", ((10, 14),)),
        Snippet(40, "au milieu ", ()),
        None,
        Snippet(3, "tab\there", ((0, 3),)),
        Snippet(1, "zero\u200bwidth", ()),
    ]
    rows = [
        (
            Hit(
                f"{i:03}.txt",
                title,
                f"2026-01-0{i % 9 + 1}" if i % 2 else None,
                "AFP" if i % 3 else None,
                1.0,
                "Ana" if i % 4 == 0 else None,
            ),
            snippets[i % len(snippets)],
            None,
        )
        for i, title in enumerate(titles)
    ]
    cases = [
        rows,
        rows[:3],
        rows[:1],
        [],
        [r for r in rows if "\t" not in r[0].title and r[1] is not snippets[3]],
    ]
    for case in cases:
        for total in (len(case), len(case) + 7):
            monkeypatch.setattr(render, "_plain_pipe", lambda: True)
            render.results(total, case)
            plain = capsys.readouterr().out
            monkeypatch.setattr(render, "_plain_pipe", lambda: False)
            render.results(total, case)
            assert plain == capsys.readouterr().out, case
