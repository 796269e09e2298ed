"""Krippendorff's alpha for unitized data, uα, for one category on a continuum.

Krippendorff (1995, "On the reliability of unitizing continuous data", Sociological
Methodology 25) and (2004, *Content Analysis*, 2nd ed., §11.6): each coder's continuum is cut
into segments, the units the coder marked and the gaps between them. The observed
disagreement sums, over pairs of coders and pairs of their segments that overlap, a squared
distance: (Δbegin)² + (Δend)² for two units, the unit's length² for a unit lying inside the
other coder's gap, else 0. The expected disagreement is the same distance averaged over every
way the units and gaps of all coders could have been laid out. Ported from the established
implementation, DKPro Agreement's ``KrippendorffAlphaUnitizingAgreement`` (dkpro/dkpro-statistics
at f7f4f891), which reproduces Krippendorff's published examples; the figures are the same.

A corpus is many continua (articles): they are laid end to end, but a gap ends where its
article ends, so that no unit is ever imagined straddling two articles and the result does not
depend on the order of the articles. Everything is counted from segment boundaries, so the
cost is that of the units, not of the characters.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import combinations

Segment = tuple[int, int, bool]  # [start, end), coded or a gap


def segments(units: Iterable[tuple[int, int]], length: int) -> list[Segment]:
    """A coder's cut of ``[0, length)``: their units and the gaps between them. Units that
    overlap are one unit (uα assumes a coder's units of one category never overlap); units that
    only touch stay two; the parts beyond ``length`` do not count."""
    merged: list[list[int]] = []
    for start, end in sorted(units):
        end = min(end, length)
        if end <= start:
            continue
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out: list[Segment] = []
    here = 0
    for start, end in merged:
        if start > here:
            out.append((here, start, False))
        out.append((start, end, True))
        here = end
    if here < length:
        out.append((here, length, False))
    return out


def distance(a: Segment, b: Segment) -> int:
    """Krippendorff's squared distance between two overlapping segments of two coders."""
    (b1, e1, coded1), (b2, e2, coded2) = a, b
    if coded1 and coded2:
        return (b1 - b2) ** 2 + (e1 - e2) ** 2
    if coded1 and not coded2 and b2 <= b1 and e1 <= e2:
        return (e1 - b1) ** 2
    if coded2 and not coded1 and b1 <= b2 and e2 <= e1:
        return (e2 - b2) ** 2
    return 0


def observed(a: Sequence[Segment], b: Sequence[Segment]) -> int:
    """Σ of the distances between the overlapping segments of two cuts of one continuum."""
    total = i = j = 0
    while i < len(a) and j < len(b):
        if a[i][0] < b[j][1] and b[j][0] < a[i][1]:
            total += distance(a[i], b[j])
        if a[i][1] <= b[j][1]:
            i += 1
        else:
            j += 1
    return total


@dataclass
class Unitizing:
    """The sums uα needs for one category over continua added one by one: ``coders`` the
    number of coders m, ``length`` L, ``values`` n (Σ over continua of the coders who cut it ×
    its length: mL when every coder cut every continuum), ``disagreement`` Σ over unordered
    pairs of coders of the observed distances (``weighted``: each continuum's divided by the
    number of its coders less one), the lengths of every coder's units and of every gap.

    Missing data (a coder who did not code an article) are handled as Krippendorff's alpha
    handles missing values: a continuum counts with the coders who cut it, its pairs weighted
    by 1/(m_a − 1), and the expected disagreement pools the units and gaps of the n values
    there are; a continuum cut by fewer than two coders cannot be paired and does not count."""

    coders: int
    length: int = 0
    values: int = 0
    disagreement: int = 0
    weighted: Fraction = Fraction(0)
    units: Counter[int] = field(default_factory=Counter)
    gaps: Counter[int] = field(default_factory=Counter)

    def add(self, cuts: Sequence[Sequence[Segment]], length: int) -> None:
        """One continuum of ``length``, as each coder who coded it cut it (``segments``)."""
        if len(cuts) < 2:
            return
        self.length += length
        self.values += len(cuts) * length
        for cut in cuts:
            for start, end, coded in cut:
                (self.units if coded else self.gaps)[end - start] += 1
        found = sum(observed(a, b) for a, b in combinations(cuts, 2))
        self.disagreement += found
        self.weighted += Fraction(found, len(cuts) - 1)

    def add_blank(self, length: int, times: int = 1, coders: int | None = None) -> None:
        """``times`` continua of ``length`` where none of their ``coders`` (default: all)
        marked anything: one gap each."""
        m = self.coders if coders is None else coders
        if m < 2:
            return
        self.length += length * times
        self.values += m * length * times
        self.gaps[length] += m * times

    def count(self) -> int:
        """The units of every coder (the number reported with uα)."""
        return sum(self.units.values())

    def observed(self) -> float:
        """uDo = 2 · Σ pairs / (m(m − 1) L²); with missing data 2 · Σ_a (Σ pairs_a / (m_a − 1))
        / (n L), the same when every coder coded every continuum (n = mL)."""
        if not self.values or not self.length:
            return 0.0
        return float(2 * self.weighted / (self.values * self.length))

    def expected(self) -> float:
        """uDe = (2/L) Σ over units u of [(N − 1)(2l³ − 3l² + l)/3 + l² Σ over gaps g ≥ l of
        (g − l + 1)] / (n(n − 1) − Σ over units of l(l − 1)), l the unit's length, N the
        number of units and n = mL the values (Krippendorff 2004, as DKPro computes it)."""
        size, values = self.length, self.values
        n = self.count()
        if not values or not size or not n:
            return 0.0
        # Σ and count of the gaps at least as long as each gap length: suffix sums, by bisection
        lengths = sorted(self.gaps)
        above, mass = [0] * (len(lengths) + 1), [0] * (len(lengths) + 1)
        for k in reversed(range(len(lengths))):
            gap = lengths[k]
            above[k] = above[k + 1] + self.gaps[gap]
            mass[k] = mass[k + 1] + gap * self.gaps[gap]
        total = 0
        for unit, times in self.units.items():
            k = bisect_left(lengths, unit)
            placed = mass[k] - above[k] * (unit - 1)  # Σ (g − l + 1) over the gaps g ≥ l
            total += times * ((n - 1) * unit * (unit - 1) * (2 * unit - 1) // 3 + unit * unit * placed)
        within = sum(times * unit * (unit - 1) for unit, times in self.units.items())
        return 2 * total / (size * (values * (values - 1) - within))

    def alpha(self) -> float | None:
        """uα = 1 − uDo / uDe; None when there is nothing to compare (no unit, one coder)."""
        return pooled_alpha([self])


def pooled_alpha(categories: Iterable[Unitizing]) -> float | None:
    """1 − Σ uDo / Σ uDe over categories: DKPro's coefficient over several categories (the mean
    observed over the mean expected disagreement); for one category, its uα."""
    categories = list(categories)
    expected = sum(c.expected() for c in categories)
    if not expected:
        return None
    return 1 - sum(c.observed() for c in categories) / expected
