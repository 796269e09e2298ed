"""``python -m tui.cli``: the ``glose`` command without the installed script."""

from .main import main

if __name__ == "__main__":  # pragma: no cover
    main()
