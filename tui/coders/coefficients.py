"""Percent agreement, Cohen's and Fleiss' kappa and Krippendorff's alpha on binary units
(the characters of articles, coded with a tag or not), with missing values: the arithmetic
:mod:`tui.coders.agreement` reports, counted from tallies of units, never unit by unit.

A :class:`Group` holds units every one of its coders valued (complete data); a
:class:`Tally` holds one group per set of coders, which is how missing values enter:
Krippendorff's alpha pools every pairable value (a unit's values weigh 1/(m_u − 1) in the
coincidences), a pair's Cohen's kappa counts the units both coders valued, and Fleiss' kappa
the units every coder valued.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import combinations


@dataclass
class Group:
    """How the units that every one of ``coders`` valued fall (complete data): ``by_k[k]``
    units that exactly ``k`` of them coded, each one's coded units, and for each pair (by
    index) the units both coded, only the first, only the second. Sums of groups pool units."""

    coders: tuple[str, ...]
    units: int = 0
    by_k: list[int] = field(default_factory=list)
    coded: list[int] = field(default_factory=list)
    pairs: dict[tuple[int, int], list[int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        m = len(self.coders)
        self.by_k = self.by_k or [0] * (m + 1)
        self.coded = self.coded or [0] * m
        self.pairs = self.pairs or {p: [0, 0, 0] for p in combinations(range(m), 2)}

    def add(self, units: int, covered: Iterable[tuple[int, frozenset[str]]]) -> None:
        """``units`` more units, of which each (length, coders) run is coded by those coders
        (the rest by nobody)."""
        index = {c: i for i, c in enumerate(self.coders)}
        self.units += units
        nobody = units
        for length, who in covered:
            on = sorted(index[c] for c in who if c in index)
            if not on:
                continue
            nobody -= length
            self.by_k[len(on)] += length
            for i in on:
                self.coded[i] += length
            for (i, j), counts in self.pairs.items():
                a, b = i in on, j in on
                if a or b:
                    counts[0 if a and b else 1 if a else 2] += length
        self.by_k[0] += nobody

    def __add__(self, other: Group) -> Group:
        return Group(
            self.coders,
            self.units + other.units,
            [a + b for a, b in zip(self.by_k, other.by_k, strict=True)],
            [a + b for a, b in zip(self.coded, other.coded, strict=True)],
            {p: [a + b for a, b in zip(c, other.pairs[p], strict=True)] for p, c in self.pairs.items()},
        )

    def percent(self) -> float | None:
        """Share of units on which every coder says the same."""
        if not self.units:
            return None
        return (self.by_k[0] + self.by_k[-1]) / self.units

    def pair(self, i: int, j: int) -> tuple[float | None, float | None]:
        """Percent agreement and Cohen's kappa of coders ``i`` and ``j``."""
        if i < j:
            both, first, second = self.pairs[(i, j)]
        else:
            both, second, first = self.pairs[(j, i)]
        n = self.units
        if not n:
            return None, None
        po = 1 - (first + second) / n
        p_i, p_j = (both + first) / n, (both + second) / n
        pe = p_i * p_j + (1 - p_i) * (1 - p_j)
        return po, (None if pe >= 1 else (po - pe) / (1 - pe))

    def fleiss(self) -> float | None:
        """Fleiss' kappa (with two coders: Scott's pi)."""
        m, n = len(self.coders), self.units
        if m < 2 or not n:
            return None
        pairs_agreeing = sum(c * (k * (k - 1) + (m - k) * (m - k - 1)) for k, c in enumerate(self.by_k))
        p_bar = pairs_agreeing / (n * m * (m - 1))
        p1 = sum(k * c for k, c in enumerate(self.by_k)) / (n * m)
        pe = p1 * p1 + (1 - p1) * (1 - p1)
        return None if pe >= 1 else (p_bar - pe) / (1 - pe)


@dataclass
class Tally:
    """How the units fall, for one tag or pooled over tags, in :class:`Group` s keyed by the
    indices of the coders who valued them; a unit valued by fewer than two coders cannot be
    paired and is not tallied. Sums of tallies pool units."""

    coders: tuple[str, ...]
    groups: dict[tuple[int, ...], Group] = field(default_factory=dict)

    def add(
        self,
        units: int,
        covered: Iterable[tuple[int, frozenset[str]]],
        present: tuple[int, ...] | None = None,
    ) -> None:
        """``units`` more units valued by the coders of index ``present`` (default: all), of
        which each (length, coders) run is coded by those coders (the rest by nobody)."""
        present = tuple(range(len(self.coders))) if present is None else present
        if len(present) < 2:
            return
        if present not in self.groups:
            self.groups[present] = Group(tuple(self.coders[i] for i in present))
        self.groups[present].add(units, covered)

    def __add__(self, other: Tally) -> Tally:
        keys = dict.fromkeys([*self.groups, *other.groups])
        return Tally(
            self.coders,
            {
                k: self.groups[k] + other.groups[k]
                if k in self.groups and k in other.groups
                else self.groups.get(k) or other.groups[k]
                for k in keys
            },
        )

    @property
    def units(self) -> int:
        """The units valued by two coders or more."""
        return sum(g.units for g in self.groups.values())

    @property
    def coded(self) -> list[int]:
        """Each coder's coded units (among those tallied)."""
        out = [0] * len(self.coders)
        for present, g in self.groups.items():
            for i, n in zip(present, g.coded, strict=True):
                out[i] += n
        return out

    @property
    def coded_by_all(self) -> int:
        """The units every coder who valued them coded."""
        return sum(g.by_k[-1] for g in self.groups.values())

    def percent(self) -> float | None:
        """Share of units on which every coder who valued them says the same."""
        if not self.units:
            return None
        return sum(g.by_k[0] + g.by_k[-1] for g in self.groups.values()) / self.units

    def pair_units(self, i: int, j: int) -> int:
        """The units both coders ``i`` and ``j`` valued."""
        return sum(g.units for present, g in self.groups.items() if i in present and j in present)

    def pair(self, i: int, j: int) -> tuple[float | None, float | None]:
        """Percent agreement and Cohen's kappa of coders ``i`` and ``j``, over the units
        both valued."""
        both = Group((self.coders[i], self.coders[j]))
        for present, g in self.groups.items():
            if i in present and j in present:
                a, b = present.index(i), present.index(j)
                counts = g.pairs[(a, b)] if a < b else [*(g.pairs[(b, a)][k] for k in (0, 2, 1))]
                both.units += g.units
                for k in range(3):
                    both.pairs[(0, 1)][k] += counts[k]
        return both.pair(0, 1)

    def fleiss(self) -> float | None:
        """Fleiss' kappa (with two coders: Scott's pi), over the units every coder valued."""
        full = self.groups.get(tuple(range(len(self.coders))))
        return None if full is None else full.fleiss()

    def alpha(self) -> float | None:
        """Krippendorff's alpha, nominal (binary), with missing values: 1 − (n − 1) · o₀₁ /
        (n₀ · n₁), n the pairable values (Σ over units of the m_u coders who valued it), n₁
        the 1s, o₀₁ the 0–1 coincidences, Σ over units of k(m_u − k)/(m_u − 1) (k of its
        values 1). With every coder valuing every unit, m_u = m. None when nothing varies."""
        n = n1 = 0
        o01 = Fraction(0)
        for g in self.groups.values():
            m = len(g.coders)
            n += g.units * m
            n1 += sum(k * c for k, c in enumerate(g.by_k))
            o01 += Fraction(sum(c * k * (m - k) for k, c in enumerate(g.by_k)), m - 1)
        n0 = n - n1
        if len(self.coders) < 2 or not n0 or not n1:
            return None
        return float(1 - (n - 1) * o01 / (n0 * n1))

    def kappa(self) -> float | None:
        """Cohen's kappa for two coders, Fleiss' for more."""
        return self.pair(0, 1)[1] if len(self.coders) == 2 else self.fleiss()
