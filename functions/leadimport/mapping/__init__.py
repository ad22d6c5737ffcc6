"""The map stage: which lead field each column of the file holds."""

from leadimport.mapping.headers import is_known_header
from leadimport.mapping.suggest import suggest_mapping
from leadimport.text import fold

__all__ = ["fold", "is_known_header", "suggest_mapping"]
