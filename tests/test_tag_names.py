"""Tag names hold no comma: the reader's tag field separates tags with commas, so a tag named
``a,b`` made on the command line could never be typed there (it would become two new tags).
Refused where a person names a tag; mapped to a look-alike where another tool's file brings one."""

from __future__ import annotations

import json
import sqlite3

from tui.api import Library, Passage
from tui.model import COMMA_IN_FOREIGN_TAG


def test_a_comma_in_a_new_tag_is_refused_everywhere_a_person_names_one(cli, indexed):
    made = cli(indexed, "tag", "create", "a,b")
    assert made.exit_code == 1 and "comma" in made.stderr and made.stderr.count("\n") == 1
    annotated = cli(indexed, "annotate", "004", "--start", "0", "--end", "10", "--tag", "droit, RGPD")
    assert annotated.exit_code == 1 and "comma" in annotated.stderr
    assert cli(indexed, "tag", "create", "droit").exit_code == 0
    renamed = cli(indexed, "tag", "rename", "droit", "droit,rgpd")
    assert renamed.exit_code == 1 and "comma" in renamed.stderr
    with Library(indexed) as lib:
        assert [t.name for t in lib.codebook.tags()] == ["droit"]
        assert lib.annotations.find() == []


def test_a_tag_that_already_holds_a_comma_still_works_and_can_be_renamed(indexed):
    """A codebook made before the rule keeps working: coding with it, and renaming it away."""
    with Library(indexed) as lib:
        ann = lib.annotations.annotate(Passage("004", start=0, end=10), tags=["x"])
    with sqlite3.connect(indexed.db) as db:  # as an older Glose stored it
        db.execute("UPDATE tags SET name = 'a,b', key = 'a,b' WHERE name = 'x'")
    with Library(indexed) as lib:
        assert lib.annotations.get(ann.id).tags == ("a,b",)
        lib.annotations.annotate(Passage("004", start=20, end=30), tags=["a,b"])
        lib.codebook.rename("a,b", "a et b")
        assert {a.tags for a in lib.annotations.find()} == {("a et b",)}


def test_a_comma_in_a_foreign_tag_becomes_a_look_alike(cli, indexed, tmp_path):
    """Hypothesis and W3C tags are free text: ``Politique, société`` must arrive as one tag,
    typed back in the reader as one, not be refused (the import would lose the coding)."""
    text = (indexed.articles / "004_82fd22c88201b152.txt").read_text("utf-8")
    start = text.index("Grok")
    collection = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "AnnotationCollection",
        "first": {
            "type": "AnnotationPage",
            "items": [
                {
                    "id": "urn:uuid:6f1c2d3e-0000-4000-8000-000000000001",
                    "type": "Annotation",
                    "body": [{"type": "TextualBody", "purpose": "tagging", "value": "Politique, société"}],
                    "target": {
                        "source": "glose:004_82fd22c88201b152.txt",
                        "selector": [
                            {"type": "TextPositionSelector", "start": start, "end": start + 4},
                            {"type": "TextQuoteSelector", "exact": "Grok"},
                        ],
                    },
                }
            ],
        },
    }
    path = tmp_path / "w3c.json"
    path.write_text(json.dumps(collection), "utf-8")
    result = cli(indexed, "import", str(path), "--article", "004")
    assert result.exit_code == 0, result.output
    with Library(indexed) as lib:
        (ann,) = lib.annotations.find()
        assert ann.tags == (f"Politique{COMMA_IN_FOREIGN_TAG} société",)
