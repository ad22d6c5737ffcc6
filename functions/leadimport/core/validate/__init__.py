"""The validate stage: rows become normalised lead fields, dedup keys and row issues (`row`).

Nothing is imported here: the mapper wants the date, identity and pick-list parsers without the whole row
check, and a package's `__init__` runs on every import of a module in it.
"""
