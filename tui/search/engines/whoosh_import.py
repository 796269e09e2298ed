"""Importing Whoosh without the two standard-library packages it loads for nothing.

``whoosh.compat`` does ``from urllib.request import urlretrieve`` (which pulls in
``http.client``, ``email``, ``ssl`` and ``socket``), and ``whoosh.reading`` takes its
``cached_property`` from the package of that name, which imports ``asyncio``. Neither is used
on any path of Glose's: ``urlretrieve`` by no module of Whoosh's at all, and the descriptor
only for a plain method (``deleted_docs_set``). Together they were about 30 ms of the 0.3 s a
one-shot ``glose search`` on a Whoosh index may take (measured with ``-X importtime``).

:func:`load` imports those two modules of Whoosh's while stand-ins for the two names are in
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
    return made


def load() -> None:
    """Import Whoosh's core (``whoosh.compat``, ``whoosh.reading``) without ``urllib.request``
    and ``asyncio``; once per process, before any other Whoosh import of the engine's."""
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
            finally:
                for name, module in made.items():
                    if sys.modules.get(name) is module:
                        del sys.modules[name]
        _loaded = True
    finally:
        _imp.release_lock()
