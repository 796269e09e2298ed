"""Lexicometry: counting the words of the corpus the way TXM and IRaMuTeQ do, next to the
reading. Tokens and units (:mod:`.tokens`), Lafon's specificities (:mod:`.lafon`), frequency
lists and specificities over count vectors (:mod:`.tables`), collocates and repeated segments
over token streams (:mod:`.context`), the form counts kept beside the index (:mod:`.kept`,
packed by :mod:`.packing`), the tables as the commands print them (:mod:`.results`) and
the corpus exports for IRaMuTeQ and TXM (:mod:`.exports`). A core package: no Textual, no
engine, no store; the API (``lib.lexicon``) feeds it texts, ids and variables."""
