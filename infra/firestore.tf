# The database, and the field settings the code relies on. Every query the code makes is on one
# field (import history by created_at, undo by created_by_job, a job's chunks by done), so no
# composite index is needed; tests/unit/test_infra.py keeps that true.

resource "google_firestore_database" "main" {
  name                    = "(default)"
  location_id             = var.firestore_location
  type                    = "FIRESTORE_NATIVE"
  concurrency_mode        = "OPTIMISTIC"
  delete_protection_state = "DELETE_PROTECTION_ENABLED"
  # any moment of the last 7 days can be read back: undo is not the only way back from a bad import
  point_in_time_recovery_enablement = "POINT_IN_TIME_RECOVERY_ENABLED"
  depends_on                        = [google_project_service.apis]
}

locals {
  # Job details deleted by TTL once their expire_at passes (leadimport/store/retention.py sets it):
  # delivery attempts, chunk checkpoints and finish leases after 30 days, before-images (undo) after 90,
  # a tenant's daily counts of unproven inbound mail and the daily answers spent on a sender after 30.
  ttl_collections = ["attempts", "chunks", "finish", "before", "inbound_refusals", "inbound_reply_budget"]

  # Fields no query uses, kept out of the automatic single-field indexes. Timestamps that only grow
  # would cap writes to their collection at about 500 a second (Firestore's limit for sequential
  # indexed values), and the arrays cost index writes on every lead.
  unindexed_fields = {
    "leads/created_at"     = { collection = "leads", field = "created_at" }
    "leads/updated_at"     = { collection = "leads", field = "updated_at" }
    "leads/changes"        = { collection = "leads", field = "changes" }
    "leads/source_jobs"    = { collection = "leads", field = "source_jobs" }
    "lead_keys/claimed_at" = { collection = "lead_keys", field = "claimed_at" }
  }
}

resource "google_firestore_field" "ttl" {
  for_each   = toset(local.ttl_collections)
  database   = google_firestore_database.main.name
  collection = each.value
  field      = "expire_at"
  ttl_config {}
  index_config {}
}

resource "google_firestore_field" "unindexed" {
  for_each   = local.unindexed_fields
  database   = google_firestore_database.main.name
  collection = each.value.collection
  field      = each.value.field
  index_config {}
}
