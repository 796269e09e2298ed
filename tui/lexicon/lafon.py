"""Lafon's specificity score, as TXM computes it, exact for large corpora.

A part of ``t`` tokens is drawn from a corpus of ``T`` tokens of which ``F`` are the word; the
count ``X`` of the word in the part is hypergeometric (T, F, t). Seen ``f`` times, the word's
score is ``-log10 P(X ≥ f)`` when ``f`` is at least its expected count ``t·F/T`` (the word is
over-represented: a positive score, the larger the rarer such a count), else
``log10 P(X ≤ f)`` (under-represented: negative).

The probabilities are tail sums of hypergeometric terms that underflow a float long before a
corpus is large (``P(X ≥ f)`` of a word thirty times over-represented is far below 1e-308), so
they are summed in log space: the first term's logarithm from ``lgamma``, the next ones as
ratios to it by the recurrence of consecutive terms, until they no longer change the sum. The
tests check the scores against scipy's ``hypergeom`` (computed another way)."""

from __future__ import annotations

from math import lgamma, log

_LN10 = log(10.0)
_EPSILON = 1e-17  # a term this small next to the sum no longer changes it


def _lchoose(n: int, k: int) -> float:
    return lgamma(n + 1) - lgamma(k + 1) - lgamma(n - k + 1)


def log_pmf(k: int, T: int, F: int, t: int) -> float:
    """ln P(X = k), X hypergeometric (T, F, t); -inf outside the support."""
    if k < max(0, t - (T - F)) or k > min(F, t):
        return float("-inf")
    return _lchoose(F, k) + _lchoose(T - F, t - k) - _lchoose(T, t)


def log_upper(f: int, T: int, F: int, t: int) -> float:
    """ln P(X ≥ f)."""
    low, high = max(0, t - (T - F)), min(F, t)
    if f <= low:
        return 0.0
    if f > high:
        return float("-inf")
    total, term, k = 1.0, 1.0, f
    rest = T - F - t
    while k < high:
        ratio = (F - k) * (t - k) / ((k + 1) * (rest + k + 1))
        term *= ratio
        total += term
        k += 1
        if ratio < 1.0 and term < total * _EPSILON:
            break
    return min(0.0, log_pmf(f, T, F, t) + log(total))


def log_lower(f: int, T: int, F: int, t: int) -> float:
    """ln P(X ≤ f)."""
    low, high = max(0, t - (T - F)), min(F, t)
    if f >= high:
        return 0.0
    if f < low:
        return float("-inf")
    total, term, k = 1.0, 1.0, f
    rest = T - F - t
    while k > low:
        ratio = k * (rest + k) / ((F - k + 1) * (t - k + 1))
        term *= ratio
        total += term
        k -= 1
        if ratio < 1.0 and term < total * _EPSILON:
            break
    return min(0.0, log_pmf(f, T, F, t) + log(total))


def specificity(f: int, t: int, F: int, T: int) -> float:
    """The word's score in the part (see the module's docstring); 0 where there is nothing to
    compare (an empty part or corpus, a word the corpus lacks)."""
    if T <= 0 or t <= 0 or F <= 0:
        return 0.0
    if f * T >= t * F:  # f ≥ t·F/T, in integers
        return -log_upper(f, T, F, t) / _LN10 + 0.0  # + 0.0: no -0.0
    return log_lower(f, T, F, t) / _LN10 + 0.0


# --- the same, for every word of a part at once ----------------------------------------------

_SMALL = 1024


def _log_factorial(n):
    """ln n! for an array of integers ≥ 0: a table below 1024, Stirling's series above (its
    error there is below a float's)."""
    import numpy as np

    table = _factorials()
    n = np.asarray(n, dtype=np.float64)
    small = n < _SMALL
    out = np.empty_like(n)
    out[small] = table[n[small].astype(np.int64)]
    x = n[~small] + 1.0
    inv = 1.0 / x
    inv2 = inv * inv
    out[~small] = (
        (x - 0.5) * np.log(x)
        - x
        + 0.5 * np.log(2 * np.pi)
        + inv * (1 / 12 - inv2 * (1 / 360 - inv2 * (1 / 1260 - inv2 / 1680)))
    )
    return out


_TABLE: list = []


def _factorials():
    if not _TABLE:
        import numpy as np

        _TABLE.append(np.array([lgamma(k + 1) for k in range(_SMALL)]))
    return _TABLE[0]


def scores(f, t: int, F, T: int):
    """:func:`specificity` of every word of one part: ``f`` and ``F`` arrays (the words'
    counts in the part and in the corpus), ``t`` and ``T`` the part's and the corpus's tokens.
    The tail sums run for all words at once, each until its own terms stop counting."""
    import numpy as np

    f = np.asarray(f, dtype=np.int64)
    F = np.asarray(F, dtype=np.int64)
    out = np.zeros(f.shape, dtype=np.float64)
    if T <= 0 or t <= 0:
        return out
    rest = T - t - F  # the other words of the rest of the corpus, per word
    low = np.maximum(0, t - (T - F))
    high = np.minimum(F, t)
    lnp = (
        _log_factorial(F)
        - _log_factorial(f)
        - _log_factorial(F - f)
        + _log_factorial(T - F)
        - _log_factorial(t - f)
        - _log_factorial(T - F - t + f)
        - (
            _log_factorial(np.array([T]))[0]
            - _log_factorial(np.array([t]))[0]
            - _log_factorial(np.array([T - t]))[0]
        )
    )
    over = (f * T >= t * F) & (F > 0)
    under = ~over & (F > 0)
    for side, sign in ((over, 1), (under, -1)):
        idx = np.nonzero(side & ((f < high) if sign == 1 else (f > low)))[0]
        total = np.ones(idx.size)
        term = np.ones(idx.size)
        k = f[idx].astype(np.float64)
        FF, rr, hh, ll = F[idx].astype(np.float64), rest[idx].astype(np.float64), high[idx], low[idx]
        where = np.arange(idx.size)
        while where.size:
            kk = k[where]
            if sign == 1:
                ratio = (FF[where] - kk) * (t - kk) / ((kk + 1) * (rr[where] + kk + 1))
                k[where] = kk + 1
            else:
                ratio = kk * (rr[where] + kk) / ((FF[where] - kk + 1) * (t - kk + 1))
                k[where] = kk - 1
            term[where] *= ratio
            total[where] += term[where]
            going = (k[where] < hh[where]) if sign == 1 else (k[where] > ll[where])
            going &= ~((ratio < 1.0) & (term[where] < total[where] * _EPSILON))
            where = where[going]
        logp = np.minimum(0.0, lnp[idx] + np.log(total))
        out[idx] = (-logp if sign == 1 else logp) / _LN10
    return out + 0.0


__all__ = ["log_lower", "log_pmf", "log_upper", "scores", "specificity"]
