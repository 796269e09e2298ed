"""Render docs/screenshot.svg: two sample articles side by side, with annotations.

    python scripts/screenshot.py [OUTPUT.svg] [--size 140x40]

It builds a throwaway workspace from articles/, annotates the UK government's statement in
two articles through the same Library calls the CLI makes, then drives the real app under
Textual's Pilot and saves what the screen shows.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import tempfile
from pathlib import Path

from tui.api import Passage

ROOT = Path(__file__).resolve().parent.parent


async def shoot(output: Path, size: tuple[int, int]) -> None:
    from tui.api import Library
    from tui.ui.app import GloseApp
    from tui.workspace import Workspace

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "presse-grok"
        shutil.copytree(ROOT / "articles", root / "articles")
        ws = Workspace.resolve(root)
        statement = "la création d'images illégales en un service premium"
        with Library(ws) as lib:
            lib.index.update()
            lib.annotations.annotate(
                Passage("004", quote=statement),
                tags=["réaction/politique"],
                note="Downing Street, repris par l'ATS.",
            )
            lib.annotations.annotate(
                Passage("002", quote=statement),
                tags=["réaction/politique"],
                note="Même déclaration, citée entre guillemets droits.",
            )
            lib.annotations.annotate(Passage("004", quote="Thomas Régnier"), tags=["acteurs/UE"])
            lib.annotations.annotate(
                Passage("002", quote="AI Forensics"),
                tags=["acteurs/ONG"],
                note="53 % d'images de personnes légèrement vêtues.",
            )
        lib = Library(ws, frontend="tui")
        app = GloseApp(lib)
        async with app.run_test(size=size) as pilot:
            while not app.indexer.ready:
                await pilot.pause(0.05)
            await pilot.press(*'"service premium"')
            await pilot.pause(0.5)
            app.open_article("004_82fd22c88201b152.txt", "left")  # as enter on that result does
            await pilot.pause(0.5)
            app.action_toggle_split()
            app.open_article("002_00db0d28d759d443.txt", "right")  # as o on that result does
            for _ in range(100):  # both readers hold their article
                await pilot.pause(0.05)
                if all(p.reader.article_id and p.reader.layout_ for p in app.reader_panes.values()):
                    break
            await pilot.pause(0.3)
            for name, quote in (("left", "transforme simplement"), ("right", "Cette mesure")):
                reader = app.query_one(f"#{name}-reader")
                at = reader.text.index(quote)
                reader.reveal(at, at + len(quote))  # in the middle of the reader, marked
            await pilot.pause(0.2)
            app.clear_notifications()
            await pilot.pause(0.1)
            app.save_screenshot(str(output.name), path=str(output.parent))
        lib.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", nargs="?", default=str(ROOT / "docs" / "screenshot.svg"))
    parser.add_argument("--size", default="140x40", help="COLUMNSxROWS")
    args = parser.parse_args()
    columns, rows = (int(x) for x in args.size.lower().split("x"))
    output = Path(args.output).resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    asyncio.run(shoot(output, (columns, rows)))
    print(output)


if __name__ == "__main__":
    main()
