"""The validate stage: rows become normalised lead fields, dedup keys and row issues."""

from leadimport.core.validate.row import RowValidator, ValidatedRow

__all__ = ["RowValidator", "ValidatedRow"]
