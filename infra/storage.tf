# Three private buckets: nothing public, access by IAM only (uniform access), lifecycle rules that
# keep personal data no longer than it is useful.

resource "google_storage_bucket" "drop" {
  #checkov:skip=CKV_GCP_62:Access is logged by the project's Data Access audit logs for Cloud Storage (iam.tf), not by a usage-log bucket
  #checkov:skip=CKV_GCP_78:No versioning: the lifecycle rule deletes leads' personal data on schedule, and old versions would keep it (infra/README.md)
  name                        = var.drop_bucket
  location                    = var.region
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = false

  lifecycle_rule {
    condition {
      age = var.upload_retention_days
    }
    action {
      type = "Delete"
    }
  }

  # A browser may PUT to a signed upload URL (the URL is the credential, so any origin may use it).
  cors {
    origin          = ["*"]
    method          = ["PUT"]
    response_header = ["Content-Type", "x-goog-content-length-range"]
    max_age_seconds = 3600
  }

  depends_on = [google_project_service.apis]
}

resource "google_storage_bucket" "reports" {
  #checkov:skip=CKV_GCP_62:Access is logged by the project's Data Access audit logs for Cloud Storage (iam.tf), not by a usage-log bucket
  #checkov:skip=CKV_GCP_78:No versioning: the lifecycle rule deletes leads' personal data on schedule, and old versions would keep it (infra/README.md)
  name                        = var.reports_bucket
  location                    = var.region
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"

  lifecycle_rule {
    condition {
      age = var.report_retention_days
    }
    action {
      type = "Delete"
    }
  }

  depends_on = [google_project_service.apis]
}

resource "google_storage_bucket" "work" {
  #checkov:skip=CKV_GCP_62:Access is logged by the project's Data Access audit logs for Cloud Storage (iam.tf), not by a usage-log bucket
  #checkov:skip=CKV_GCP_78:No versioning: the lifecycle rule deletes leads' personal data on schedule, and old versions would keep it (infra/README.md)
  name                        = var.work_bucket
  location                    = var.region
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"

  # chunk files and per-part results matter only while their job runs
  lifecycle_rule {
    condition {
      age = 2
    }
    action {
      type = "Delete"
    }
  }

  depends_on = [google_project_service.apis]
}
