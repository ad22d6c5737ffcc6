"""The map stage: which lead field each column of the file holds."""

from leadimport.core.mapping.headers import is_known_header
from leadimport.core.mapping.suggest import by_letter, keep_unrecognised, restrict_mapping, suggest_mapping
from leadimport.core.text import fold

__all__ = ["by_letter", "fold", "is_known_header", "keep_unrecognised", "restrict_mapping", "suggest_mapping"]
