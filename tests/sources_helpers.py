"""Helpers shared by test_sources.py and test_sources_add.py."""

from __future__ import annotations

from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "sources"

SAMPLES = Path(__file__).resolve().parent.parent / "articles"


def fixture(name: str) -> Path:
    return FIXTURES / name


PDF_LINES = [
    "Le fonds Knight Vinke referme le dossier Suez",
    "",
    "C'est une page qui se tourne dans le dossier Suez. L'investisseur financier Eric Knight,",
    "l'un des actionnaires les plus critiques du groupe, a indiqué avoir vendu sa participation.",
    "",
    "Les patrons de Suez et de Gaz de France doivent pousser un soupir de soulagement.",
]
