"""Lead Import: bulk-import leads from sheets and files into a Firestore CRM."""
