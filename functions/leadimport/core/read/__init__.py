"""The read stage: a file on disk becomes a Table of numbered rows, whatever its format (`files.read_table`).

Nothing is imported here: the row check wants `table.SheetRow` without the readers, and a package's
`__init__` runs on every import of a module in it.
"""
