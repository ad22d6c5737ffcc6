"""The map stage: which lead field each column of the file holds."""

from leadimport.mapping.headers import is_known_header
from leadimport.mapping.suggest import restrict_mapping, suggest_mapping
from leadimport.text import fold

__all__ = ["fold", "is_known_header", "restrict_mapping", "suggest_mapping"]
