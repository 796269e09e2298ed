"""Wire families: the copies of one dispatch grouped, the source named, what each copy
changed (:mod:`.changes`), the source's codings found again in the copies (:mod:`.carrying`).
Core: no front end, no store; texts and metadata come in as functions."""

from .grouping import DEFAULT_MIN_SHARE, Family, Member, Meta, family_id, find_families

__all__ = ["DEFAULT_MIN_SHARE", "Family", "Member", "Meta", "family_id", "find_families"]
