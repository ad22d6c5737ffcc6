"""The `leadimport` command line: keep the names and JSON shapes of design.md's contract."""
