"""Extract: a report in, the events it tells out, every value with the words it came from.

Stages (one module each): nlp (spaCy base) -> figures -> dates -> places (gazetteer) ->
actors -> events (assembly and flags). ``Extractor`` runs them; ``extract`` is the shortcut.
"""

from tollbook.extract.pipeline import ExtractOptions, Extractor, extract

__all__ = ["ExtractOptions", "Extractor", "extract"]
