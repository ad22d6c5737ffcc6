"""The pure core of an import, with no I/O and nothing from google.cloud (tests/unit/test_layout.py):
read/ → mapping/ → validate/ → dedup (in the file) → keys (what a row or lead holds) → matching (which stored
lead a row is) → decide (create, update which fields, skip or refuse), with plan.py driving the first four
over a table. history.py is the one format of a lead's trail and undo's before-image."""
