"""The storage adapters: Firestore documents (tenants, key documents, jobs and their leases, saved mappings,
delivery claims) and Cloud Storage objects (chunk files, signed upload URLs). No decisions about leads."""
