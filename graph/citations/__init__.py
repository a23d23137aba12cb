"""Citations: from the clean text of a paragraph or footnote to what it cites.

``patterns`` (the regular expressions, with examples) -> ``tokenizers`` (tokens with spans) ->
``find`` (typed citations, ``models``) -> ``resolve`` (who issued it, which session and number)
-> ``references`` (per document, with where each citation was made and its verb, ``verbs``).
Nothing here reads files or writes triples.
"""
