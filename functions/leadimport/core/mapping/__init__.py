"""The map stage: which lead field each column of the file holds (`suggest`), from its header (`headers`) and
its values (`contents`), against the fields we know (`catalog`).

Nothing is imported here: the catalog and the header matcher are wanted without the whole mapper (the
inbound mail's options), and a package's `__init__` runs on every import of a module in it.
"""
