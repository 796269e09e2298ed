"""glose.toml as a typed Config: known keys read, misspelt ones named, wrong values refused."""

from __future__ import annotations

import pytest

from tui.config import Config
from tui.errors import WorkspaceError
from tui.workspace import Workspace


def write(ws_root, text: str) -> None:
    (ws_root / "glose.toml").write_text(text, "utf-8")


def test_every_key_is_read_into_its_field(tmp_path):
    write(
        tmp_path,
        'language = "en"\ncoder = "ana"\ntheme = "textual-light"\nengine = "whoosh"\nstore = "sqlite"\n'
        '[keys]\n"app.split" = "ctrl+b"\n',
    )
    config = Workspace.resolve(tmp_path).config
    assert config == Config(
        language="en",
        coder="ana",
        theme="textual-light",
        engine="whoosh",
        store="sqlite",
        keys={"app.split": "ctrl+b"},
    )
    assert config.warnings == ()


def test_a_misspelt_key_is_named_with_the_key_it_probably_meant(tmp_path, cli):
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "a.txt").write_text("Un texte.", "utf-8")
    write(tmp_path, 'langage = "en"\ncodeur = "ana"\n')
    config = Workspace.resolve(tmp_path).config
    assert config.language == "fr"
    assert any("unknown key 'langage'" in w and "did you mean language?" in w for w in config.warnings)
    result = cli(Workspace.resolve(tmp_path), "tags")
    assert "unknown key 'langage' ignored (did you mean language?)" in result.stderr


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('language = "de"', "language"),
        ("language = 3", "language must be text"),
        ('engine = "elastic"', "engine = 'elastic' is not available"),
        ('store = "mysql://x"', "store = 'mysql://x' is not available"),
        ('keys = "ctrl+b"', "keys must be a table"),
        ('[keys]\n"app.split" = 3', "keys.app.split must be text"),
        ('coder = "  "', "coder cannot be empty"),
        ("language = ", "cannot read"),
    ],
)
def test_a_wrong_value_is_an_error_saying_what_is_allowed(tmp_path, text, message):
    write(tmp_path, text + "\n")
    with pytest.raises(WorkspaceError, match=message):
        Workspace.resolve(tmp_path)


def test_the_coder_comes_from_the_option_then_the_environment_then_the_file(tmp_path, monkeypatch):
    write(tmp_path, 'coder = "from-the-file"\n')
    config = Workspace.resolve(tmp_path).config
    monkeypatch.delenv("GLOSE_CODER", raising=False)
    assert config.effective_coder() == "from-the-file"
    monkeypatch.setenv("GLOSE_CODER", "from-the-env")
    assert config.effective_coder() == "from-the-env"
    assert config.effective_coder("given") == "given"
    assert config.effective_coder("\x1b[31mrouge\x1b[0m") == "rouge"  # escapes never reach the log
