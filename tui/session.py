"""Where the coder was: the articles open in each reader, where the cursor stood in each
article read, the split and the query, so that relaunching Glose puts them back there.

It is one person's view, not the corpus's data: kept per user under ``$XDG_STATE_HOME``
(``~/.local/state/glose/``), one small JSON file per workspace, never in the workspace (a
shared folder or a team's store must not carry one reader's place). Reading it never fails:
a missing, unreadable or foreign file is an empty session.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

MAX_POSITIONS = 200  # articles whose place is remembered (the most recent)


@dataclass
class Session:
    left: str | None = None
    right: str | None = None
    split: bool = False
    active: str = "left"
    query: str = ""
    positions: dict[str, tuple[int, float]] = field(default_factory=dict)  # article → cursor, scroll


def state_dir() -> Path:
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "glose" / "sessions"


def session_path(root: Path) -> Path:
    key = hashlib.sha256(str(Path(root).absolute()).encode("utf-8", "surrogateescape")).hexdigest()[:24]
    return state_dir() / f"{key}.json"


def load(root: Path) -> Session:
    try:
        data = json.loads(session_path(root).read_text("utf-8"))
        positions = {
            str(k): (int(v[0]), float(v[1]))
            for k, v in dict(data.get("positions", {})).items()
            if isinstance(v, list) and len(v) == 2
        }
        return Session(
            left=_str_or_none(data.get("left")),
            right=_str_or_none(data.get("right")),
            split=bool(data.get("split", False)),
            active="right" if data.get("active") == "right" else "left",
            query=str(data.get("query", ""))[:1000],
            positions=positions,
        )
    except (OSError, ValueError, TypeError, AttributeError):
        return Session()


def save(root: Path, session: Session) -> None:
    """Write atomically (a crash mid-write leaves the previous session); failures are
    silent: losing one's place is a nuisance, never a reason to fail a quit."""
    positions = dict(list(session.positions.items())[-MAX_POSITIONS:])
    data = asdict(session) | {"positions": positions}
    path = session_path(root)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
        os.replace(tmp, path)
    except OSError:
        pass


def _str_or_none(value) -> str | None:
    return value if isinstance(value, str) and value else None
