"""Test doubles, for the services no local server exists for (the Google Sheets API)."""
