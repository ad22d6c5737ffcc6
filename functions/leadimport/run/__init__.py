"""The job lifecycle: a job begun (store/jobs.py), its rows imported inline (pipeline → import_rows → match
→ write) or fanned out (fanout → chunk_import), and ended once (lifecycle.end_job); reassign and undo are
jobs too."""
