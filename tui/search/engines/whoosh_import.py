"""Importing Whoosh without the two standard-library packages it loads for nothing.

``whoosh.compat`` does ``from urllib.request import urlretrieve`` (which pulls in
``http.client``, ``email``, ``ssl`` and ``socket``), ``whoosh.reading`` takes its
``cached_property`` from the package of that name, which imports ``asyncio``, and
``whoosh.query`` imports ``whoosh.lang.morph_en``, whose English word lists compile into large
regular expressions (~8 ms), for the ``Variations`` query Glose never makes. None is used on
any path of Glose's: ``urlretrieve`` by no module of Whoosh's at all, and the descriptor only
for a plain method (``deleted_docs_set``). Together they were about 35 ms of the 0.3 s a
one-shot ``glose search`` on a Whoosh index may take (measured with ``-X importtime``).

:func:`load` imports those modules of Whoosh's while stand-ins for the three names are in
``sys.modules`` (under the import lock, so no other thread can see them), then takes the
stand-ins out: whoever imports ``urllib.request`` or ``cached_property`` later gets the real
ones. A stand-in is used only when the real module is not loaded already (the reader has
``asyncio``: Textual runs on it).
"""

from __future__ import annotations

import sys
import types
from importlib import import_module

_loaded = False


def _urlretrieve(*args, **kwargs):
    """``whoosh.compat.urlretrieve``, the real one imported when (if ever) it is called."""
    from urllib.request import urlretrieve

    return urlretrieve(*args, **kwargs)


class _cached_property:
    """The ``cached_property`` package's descriptor for a plain method (the only kind Whoosh
    decorates): computed once, then an ordinary attribute of the instance."""

    def __init__(self, func):
        self.__doc__ = func.__doc__
        self.func = func

    def __get__(self, obj, cls):
        if obj is None:
            return self
        value = obj.__dict__[self.func.__name__] = self.func(obj)
        return value


def _variations(*args, **kwargs):
    """``whoosh.lang.morph_en.variations``, the real one imported when (if ever) it is called."""
    from whoosh.lang.morph_en import variations

    return variations(*args, **kwargs)


def _stand_ins() -> dict[str, types.ModuleType]:
    made = {}
    if "urllib.request" not in sys.modules:
        request = types.ModuleType("urllib.request")
        request.urlretrieve = _urlretrieve  # type: ignore[attr-defined]
        made["urllib.request"] = request
    if "cached_property" not in sys.modules and "asyncio" not in sys.modules:
        module = types.ModuleType("cached_property")
        module.cached_property = _cached_property  # type: ignore[attr-defined]
        made["cached_property"] = module
    if "whoosh.lang.morph_en" not in sys.modules:
        morph = types.ModuleType("whoosh.lang.morph_en")
        morph.variations = _variations  # type: ignore[attr-defined]
        made["whoosh.lang.morph_en"] = morph
    return made


def load() -> None:
    """Import Whoosh's core (``whoosh.compat``, ``whoosh.reading``, ``whoosh.query``) without
    ``urllib.request``, ``asyncio`` and the English morphology; once per process, before any
    other Whoosh import of the engine's."""
    global _loaded
    if _loaded:
        return
    import _imp

    _imp.acquire_lock()
    try:
        if "whoosh.reading" not in sys.modules:
            made = _stand_ins()
            sys.modules.update(made)
            try:
                import_module("whoosh.compat")
                import_module("whoosh.reading")
                import_module("whoosh.query")
            finally:
                for name, module in made.items():
                    if sys.modules.get(name) is module:
                        del sys.modules[name]
        _loaded = True
    finally:
        _imp.release_lock()
