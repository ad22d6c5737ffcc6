"""The map stage: which lead field each column of the file holds."""

from leadimport.mapping.suggest import fold, suggest_mapping

__all__ = ["fold", "suggest_mapping"]
