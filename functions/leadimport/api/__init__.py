"""The HTTP functions the Sheets add-on calls: each verifies the caller, validates its body, answers JSON."""
