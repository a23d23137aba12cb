"""Triples: a document with its paragraphs, footnotes and citations (``documents``), what the
documents tell in prose (``entities``) and the curated reference tables (``reference``), each
fact with its provenance. The IRIs themselves come from ``graph.iris``.
"""
