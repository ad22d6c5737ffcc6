# One service account per function, with the least it needs. Firestore's IAM stops at the database:
# no role or IAM condition can name a collection or a document (Security Rules can, but server
# libraries bypass them), so tenant isolation is the code's (every path goes through tenants/{tenant},
# taken from a verified identity or the object's own path). What IAM can do, it does: the functions
# that only read get datastore.viewer, and only those that write get datastore.user.

locals {
  functions = merge(local.event_functions, local.http_functions)

  # bucket roles: function → { bucket key → role }
  bucket_roles = {
    process_upload  = { drop = "roles/storage.objectViewer", work = "roles/storage.objectUser", reports = "roles/storage.objectUser" }
    import_chunk    = { work = "roles/storage.objectUser", reports = "roles/storage.objectUser" }
    report_result   = { reports = "roles/storage.objectViewer" }
    start_import    = { drop = "roles/storage.objectCreator" }   # what the signed upload URL lets the add-on do
    job_status      = { reports = "roles/storage.objectViewer" } # signed download URLs of the error files
    bulk_reassign   = { reports = "roles/storage.objectUser" }   # its report
    inbound_email   = { drop = "roles/storage.objectCreator" }   # the attachments
    undo_import     = {}
    suggest_mapping = {}
    preview_import  = {}
    list_imports    = {}
    import_template = {}
  }
  bucket_names = {
    drop    = google_storage_bucket.drop.name
    work    = google_storage_bucket.work.name
    reports = google_storage_bucket.reports.name
  }
  bucket_grants = merge([
    for function, grants in local.bucket_roles : {
      for bucket, role in grants : "${function}/${bucket}" => { function = function, bucket = bucket, role = role }
    }
  ]...)
  # functions that sign URLs with their own account (IAM signBlob: no key file anywhere)
  # (report_result links the error files of a report too big to attach)
  signers = ["start_import", "job_status", "report_result"]
  # functions that never write to Firestore (preview_import is an import with writes off)
  firestore_readers = ["suggest_mapping", "preview_import", "job_status", "list_imports", "import_template"]
}

resource "google_service_account" "function" {
  for_each     = local.functions
  account_id   = "li-${replace(each.key, "_", "-")}"
  display_name = "Lead Import: ${each.key}"
}

resource "google_project_iam_member" "firestore" {
  for_each = local.functions
  project  = var.project
  role     = contains(local.firestore_readers, each.key) ? "roles/datastore.viewer" : "roles/datastore.user"
  member   = "serviceAccount:${google_service_account.function[each.key].email}"
}

resource "google_storage_bucket_iam_member" "functions" {
  for_each = local.bucket_grants
  bucket   = local.bucket_names[each.value.bucket]
  role     = each.value.role
  member   = "serviceAccount:${google_service_account.function[each.value.function].email}"
}

resource "google_service_account_iam_member" "sign_own_urls" {
  for_each           = toset(local.signers)
  service_account_id = google_service_account.function[each.key].name
  role               = "roles/iam.serviceAccountTokenCreator"
  member             = "serviceAccount:${google_service_account.function[each.key].email}"
}

# Data Access audit logs: who read or wrote which object and document (the buckets' access log).
resource "google_project_iam_audit_config" "data_access" {
  for_each = toset(["storage.googleapis.com", "datastore.googleapis.com"])
  project  = var.project
  service  = each.value
  audit_log_config {
    log_type = "DATA_READ"
  }
  audit_log_config {
    log_type = "DATA_WRITE"
  }
}

# Eventarc: its own account receives the events and invokes only the event functions.
resource "google_service_account" "events" {
  account_id   = "li-events"
  display_name = "Lead Import: Eventarc triggers"
}

resource "google_project_iam_member" "events_receiver" {
  project = var.project
  role    = "roles/eventarc.eventReceiver"
  member  = "serviceAccount:${google_service_account.events.email}"
}

resource "google_cloud_run_service_iam_member" "events_invoke" {
  for_each = local.event_functions
  location = var.region
  service  = google_cloudfunctions2_function.function[each.key].service_config[0].service
  role     = "roles/run.invoker"
  member   = "serviceAccount:${google_service_account.events.email}"
}

# Cloud Storage publishes object events to Eventarc's Pub/Sub topics as its service agent.
data "google_storage_project_service_account" "gcs" {}

resource "google_project_iam_member" "gcs_publishes_events" {
  project = var.project
  role    = "roles/pubsub.publisher"
  member  = "serviceAccount:${data.google_storage_project_service_account.gcs.email_address}"
}

# The HTTP functions check a Google ID token (the add-on's) or the webhook secret themselves, so
# anyone may reach them; without valid credentials they answer 401 and touch nothing.
resource "google_cloud_run_service_iam_member" "http_public" {
  #checkov:skip=CKV_GCP_102:The add-on's callers are any Google user and the mail provider, not IAM principals; each function checks an ID token or the webhook secret (infra/README.md)
  for_each = local.http_functions
  location = var.region
  service  = google_cloudfunctions2_function.function[each.key].service_config[0].service
  role     = "roles/run.invoker"
  member   = "allUsers"
}
