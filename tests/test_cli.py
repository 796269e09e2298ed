"""The command line, through click's runner and through one real process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tui import __version__

from .conftest import SAMPLE_IDS


def test_index_prints_a_summary_then_changes_nothing(cli, workspace):
    first = cli(workspace, "index")
    assert first.exit_code == 0
    assert "Built a new index: there is no index yet." in first.output
    assert "5 added, 0 updated, 0 removed, 0 unchanged, 0 skipped" in first.output
    second = cli(workspace, "index")
    assert "0 added, 0 updated, 0 removed, 5 unchanged, 0 skipped" in second.output


def test_index_lists_skipped_files_with_reasons(cli, workspace):
    (workspace.articles / "photo.txt").write_bytes(b"\xff\xd8\xff\x00\x10JFIF")
    result = cli(workspace, "index")
    assert "1 skipped" in result.output
    assert "skipped photo.txt: binary: contains NUL bytes" in result.output


def test_search_builds_the_index_when_missing_and_highlights(cli, workspace):
    result = cli(workspace, "search", "deshabiller")
    assert result.exit_code == 0, result.output
    assert "2 articles" in result.output
    assert "déshabiller" in result.output
    assert "000_7525c6e5bbe6bac6.txt" in result.output and "002_00db0d28d759d443.txt" in result.output


def test_search_json_has_stable_keys_and_true_offsets(cli, indexed):
    result = cli(indexed, "search", '"service premium"', "--json")
    data = json.loads(result.output)
    assert data["query"] == '"service premium"'
    assert data["total"] == len(data["results"]) == 4
    for row in data["results"]:
        assert set(row) == {
            "article",
            "title",
            "date",
            "source",
            "author",
            "score",
            "snippet",
            "snippet_start",
            "hits",
            "more_hits",
        }
        text = (indexed.articles / row["article"]).read_text("utf-8")
        assert row["hits"] and row["more_hits"] is False
        for hit in row["hits"]:
            assert text[hit["start"] : hit["end"]].replace("\n", " ").lower() == "service premium"
        start = row["snippet_start"]
        assert text[start : start + len(row["snippet"])].replace("\n", " ") == row["snippet"]


def test_search_limit_and_exclusion_passes_through(cli, indexed):
    data = json.loads(cli(indexed, "search", "grok", "-premium", "--json", "--limit", "1").output)
    assert len(data["results"]) == 1 and data["total"] >= 1


def test_malformed_query_is_one_line_on_stderr_and_exit_1(cli, indexed):
    result = cli(indexed, "search", "(grok")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == "glose: unbalanced parentheses: a '(' is never closed\n"


def test_kwic_lines_are_aligned_on_the_hit(cli, indexed):
    result = cli(indexed, "kwic", "Grok", "--width", "25")
    lines = result.stdout.splitlines()
    assert len(lines) > 10
    columns = {line.index("Grok", len(SAMPLE_IDS[0]) + 2 + 25 - 1) for line in lines}
    assert columns == {len(SAMPLE_IDS[0]) + 2 + 25}


def test_kwic_json(cli, indexed):
    rows = json.loads(cli(indexed, "kwic", "premium", "--json").output)
    assert rows and set(rows[0]) == {"article", "start", "end", "left", "match", "right"}
    for row in rows:
        text = (indexed.articles / row["article"]).read_text("utf-8")
        assert text[row["start"] : row["end"]] == row["match"]


def test_an_exclusion_starting_with_n_is_a_query_word(cli, indexed):
    """search and kwic take -word as an exclusion: no short option may swallow one."""
    every = json.loads(cli(indexed, "search", "grok", "--json").output)["results"]
    result = cli(indexed, "search", "grok", "-nouvelle", "--json")
    assert result.exit_code == 0, result.output
    without = json.loads(result.output)["results"]
    assert without and {r["article"] for r in without} < {r["article"] for r in every}


def test_kwic_limit(cli, indexed):
    every = json.loads(cli(indexed, "kwic", "Grok", "--json").output)
    assert json.loads(cli(indexed, "kwic", "Grok", "--json", "--limit", "3").output) == every[:3]
    assert cli(indexed, "kwic", "Grok", "--limit", "0").exit_code == 2
    # an exclusion starting with n is a query word, not an option
    without = json.loads(cli(indexed, "kwic", "Grok", "-nouvelle", "--json").output)
    assert without and {r["article"] for r in without} < {r["article"] for r in every}
    assert all("nouvelle" not in (indexed.articles / r["article"]).read_text("utf-8") for r in without)


def test_show_prints_the_canonical_text_and_accepts_a_prefix(cli, workspace):
    path = workspace.articles / "crlf.txt"
    path.write_bytes(b"Titre\r\nTexte avec \x1b[31mcouleur\x1b[0m.\r\n")
    assert cli(workspace, "show", "crlf.txt").stdout == "Titre\nTexte avec couleur.\n"
    assert cli(workspace, "show", "004").stdout == (workspace.articles / SAMPLE_IDS[4]).read_text("utf-8")


def test_show_unknown_or_ambiguous_id(cli, workspace):
    result = cli(workspace, "show", "00")
    assert result.exit_code == 1 and "names several articles" in result.stderr
    result = cli(workspace, "show", "000_7525c6e5bbe6bac7.txt")
    assert result.exit_code == 1 and "did you mean 000_7525c6e5bbe6bac6.txt" in result.stderr


def test_no_articles_folder_explains_what_glose_expects(cli, tmp_path):
    from tui.workspace import Workspace

    result = cli(Workspace.resolve(tmp_path), "search", "grok")
    assert result.exit_code == 1
    assert "no articles folder" in result.stderr and "--articles" in result.stderr


def test_every_command_has_help(cli, workspace):
    from tui.cli import main

    main.load_all()
    for name in main.commands:
        result = cli(workspace, name, "--help")
        assert result.exit_code == 0 and "Usage:" in result.output, name


def test_version(cli, workspace):
    assert __version__ in cli(workspace, "--version").output


def test_glose_dir_opens_that_workspace_and_commands_win_over_folders(tmp_path, shared_index):
    """The real console script, in a real process, from another folder."""
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200"}
    exe = Path(sys.executable).with_name("glose")
    command = [str(exe)] if exe.exists() else [sys.executable, "-m", "tui.cli"]
    (tmp_path / "search").mkdir()  # a folder named like a command
    out = subprocess.run(
        [*command, "--workspace", str(shared_index.root), "search", '"service premium"', "--json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["total"] == 4
    bad = subprocess.run(
        [*command, str(shared_index.root), "search", "date:2026-13"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert bad.returncode == 1
    assert bad.stderr.startswith("glose: invalid date '2026-13'") and "Traceback" not in bad.stderr


def test_search_counts_every_match_beyond_the_limit(cli, tmp_path):
    from tui.workspace import Workspace

    root = tmp_path / "many"
    (root / "articles").mkdir(parents=True)
    for n in range(25):
        (root / "articles" / f"a{n:02d}.txt").write_text(f"Article {n} : Grok et la plateforme X.", "utf-8")
    ws = Workspace.resolve(root)
    data = json.loads(cli(ws, "search", "grok", "--json", "--limit", "3").stdout)
    assert data["total"] == 25 and len(data["results"]) == 3
    assert "25 articles, the first 3 shown" in cli(ws, "search", "grok", "--limit", "3").stdout


def test_every_command_is_documented_in_the_readme():
    """As sqlite-utils does: a command a user cannot read about in the README is a bug."""
    import click

    from tui.cli import main

    main.load_all()
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text("utf-8")

    def names(group: click.Group, prefix: str) -> list[str]:
        found = []
        for name, command in group.commands.items():
            found.append(f"{prefix} {name}")
            if isinstance(command, click.Group):
                found += [f"{prefix} {name} {sub}" for sub in command.commands]
        return found

    import re

    missing = []
    for full in names(main, "glose"):
        parts = full.split()
        # a subcommand may be listed with its siblings: glose tag create|rename|merge …
        listed = len(parts) == 3 and re.search(rf"glose {parts[1]} [^\n]*\b{parts[2]}\b", readme)
        if full not in readme and not listed:
            missing.append(full)
    assert missing == []


def test_the_short_path_knows_every_command():
    """``glose NAME`` runs the command NAME even beside a folder so named: the console script's
    short path to the reader must know every command the click group has."""
    from tui.cli import main
    from tui.commands import MODULES
    from tui.launch import COMMANDS

    main.load_all()
    assert set(main.commands) == COMMANDS == set(MODULES)
    # the group loads a command from the module the table names: it must be defined there
    for name, command in main.commands.items():
        assert command.callback.__module__ == f"tui.cli.{MODULES[name]}", name


def _launch_probe(loaded: str) -> str:
    """A program that runs the console script on its arguments, then prints on stderr the
    modules for which the expression ``loaded`` (of ``m``) holds."""
    return (
        "import sys\n"
        "from tui.launch import main\n"
        "sys.argv = ['glose', *sys.argv[1:]]\n"
        "try:\n"
        "    main()\n"
        "finally:\n"
        f"    loaded = sorted(m for m in sys.modules if {loaded})\n"
        "    print('loaded:', loaded, file=sys.stderr)\n"
    )


def test_a_one_shot_command_loads_only_its_own_command_module(indexed):
    """``glose search`` imports the module of ``search``, not the two dozen other commands'
    (each import is time a one-shot command pays before it prints); ``glose --help`` still
    lists every command."""
    probe = _launch_probe("m.startswith('tui.cli.')")
    run = subprocess.run(
        [sys.executable, "-c", probe, "--workspace", str(indexed.root), "search", "grok"],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    assert "article" in run.stdout
    assert run.stderr.splitlines()[-1] == "loaded: ['tui.cli.main', 'tui.cli.reading', 'tui.cli.render']"
    run = subprocess.run([sys.executable, "-c", probe, "--help"], capture_output=True, text=True)
    assert run.returncode == 0
    listed = run.stdout.split("Commands:")[1]
    assert all(f"  {name} " in listed for name in ("search", "annotate", "words", "memos", "report"))


def test_only_a_bare_glose_or_glose_dir_takes_the_short_path(tmp_path, monkeypatch):
    from tui.launch import reader_only

    monkeypatch.chdir(tmp_path)
    (tmp_path / "presse").mkdir()
    (tmp_path / "search").mkdir()
    (tmp_path / "notes.txt").write_text("x", "utf-8")
    assert reader_only([]) is None
    assert reader_only(["presse"]) == "presse"
    assert reader_only(["search"]) is False  # the command wins over the folder
    assert reader_only(["notes.txt"]) is False  # click says it is not a folder
    assert reader_only(["missing"]) is False
    assert reader_only(["--help"]) is False
    assert reader_only(["presse", "--coder", "ana"]) is False


def test_the_reader_path_loads_no_command_and_refuses_like_the_group(tmp_path, workspace):
    """``glose`` with no terminal: the same one-line refusals as through click, and neither
    click nor the commands were imported to get there (they cost the first screen time)."""
    probe = _launch_probe("m == 'click' or m.startswith(('click.', 'tui.cli'))")
    bare = tmp_path / "bare"
    bare.mkdir()
    for cwd, args, message in (
        (workspace.root, [], "glose: the reader needs a terminal"),
        (tmp_path, [str(workspace.root)], "glose: the reader needs a terminal"),
        (bare, [], "glose: no articles folder"),
    ):
        out = subprocess.run(
            [sys.executable, "-c", probe, *args],
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert out.returncode == 1, out.stderr
        assert out.stderr.startswith(message) and "Traceback" not in out.stderr
        assert "loaded: []" in out.stderr
    through_click = subprocess.run(
        [sys.executable, "-c", "from tui.cli import main; main()", "--workspace", str(bare)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert through_click.returncode == 1 and through_click.stderr.startswith("glose: no articles folder")
