"""What a finished job gives back: results and error files in the reports bucket, the report email
(notify → mail/), the statuses written back into the Google Sheet, and the import templates."""
