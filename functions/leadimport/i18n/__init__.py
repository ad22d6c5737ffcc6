"""Every text a person reads, from one gettext catalog (catalog.py, locales/*/LC_MESSAGES/leadimport.po)."""
