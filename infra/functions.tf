# Every entry point of functions/main.py, 2nd gen, Python 3.11. tests/unit/test_infra.py checks
# this agrees with the code: each entry point deployed once with its trigger, every setting given.

locals {
  # Storage-triggered functions. Retried on failure (the code raises only what a retry can mend,
  # and bounds its own attempts: a poison file fails its job after 4), one event per instance.
  event_functions = {
    # reads and checks a whole file in one pass, a big one on both vCPUs (LEADIMPORT_CHECK_WORKERS
    # below; 1.7-1.8x one vCPU on a million csv rows, docs/performance.md): about 190 MB for the
    # reading process and 60 MB a worker; 2 GiB leaves room for calamine on sheets up to 128 MB
    process_upload = { bucket = "drop", memory = "2Gi", cpu = "2", timeout = 540, max_instances = 20, concurrency = 1 }
    # one 25,000-row chunk: mostly Firestore waits, about 300 MB; the instance count is the
    # throttle on the database's write rate (var.chunk_max_instances, docs/performance.md)
    import_chunk = { bucket = "work", memory = "1Gi", cpu = "1", timeout = 540, max_instances = var.chunk_max_instances, concurrency = 1 }
    # one email (and a sheet's write-back, which reads the whole results.json)
    report_result = { bucket = "reports", memory = "1Gi", cpu = "1", timeout = 300, max_instances = 10, concurrency = 1 }
  }

  # HTTP functions: short calls from the add-on (an ID token each) and the mail provider (the secret).
  # (bucket = "": no trigger. Every function's settings have one shape, so that local.functions is a
  # map Terraform can for_each over.)
  http_functions = {
    suggest_mapping = { bucket = "", memory = "512Mi", cpu = "1", timeout = 60, max_instances = 20, concurrency = 4 }
    preview_import  = { bucket = "", memory = "1Gi", cpu = "1", timeout = 120, max_instances = 20, concurrency = 1 }
    start_import    = { bucket = "", memory = "512Mi", cpu = "1", timeout = 60, max_instances = 20, concurrency = 4 }
    job_status      = { bucket = "", memory = "512Mi", cpu = "1", timeout = 60, max_instances = 20, concurrency = 8 }
    list_imports    = { bucket = "", memory = "512Mi", cpu = "1", timeout = 60, max_instances = 10, concurrency = 8 }
    undo_import     = { bucket = "", memory = "1Gi", cpu = "1", timeout = 540, max_instances = 5, concurrency = 1 }
    bulk_reassign   = { bucket = "", memory = "1Gi", cpu = "1", timeout = 540, max_instances = 5, concurrency = 1 }
    import_template = { bucket = "", memory = "512Mi", cpu = "1", timeout = 60, max_instances = 10, concurrency = 4 }
    # a whole message with its attachments, up to LEADIMPORT_INBOUND_MAX_BYTES
    inbound_email = { bucket = "", memory = "1Gi", cpu = "1", timeout = 120, max_instances = 10, concurrency = 1 }
  }

  # Every setting functions/leadimport/settings.py reads. Left out on purpose: the emulator hosts,
  # LEADIMPORT_SHEETS_ENDPOINT (a test double), LEADIMPORT_ID_CERTS_URL (Google's is the default),
  # LEADIMPORT_SIGNER_KEY_FILE (the runtime account signs) and SMTP_CA_FILE (a private relay's CA).
  environment = {
    GOOGLE_CLOUD_PROJECT           = var.project
    LEADIMPORT_DROP_BUCKET         = google_storage_bucket.drop.name
    LEADIMPORT_REPORTS_BUCKET      = google_storage_bucket.reports.name
    LEADIMPORT_WORK_BUCKET         = google_storage_bucket.work.name
    LEADIMPORT_CHUNK_ROWS          = tostring(var.chunk_rows)
    LEADIMPORT_CHUNK_LEASE_SECONDS = "120"
    # process_upload checks a file of 8 MB or more on one worker process per vCPU it has
    LEADIMPORT_CHECK_WORKERS            = local.event_functions.process_upload.cpu
    LEADIMPORT_CHECK_WORKERS_FROM_BYTES = "8388608"
    LEADIMPORT_MAX_UPLOAD_BYTES         = tostring(var.max_upload_bytes)
    LEADIMPORT_MAIL_ATTACH_MAX_BYTES    = tostring(var.mail_attach_max_bytes)
    LEADIMPORT_UPLOAD_URL_MINUTES       = "30"
    LEADIMPORT_ID_AUDIENCES             = join(",", var.id_audiences)
    LEADIMPORT_SHEETS_WRITER            = google_service_account.function["report_result"].email
    LEADIMPORT_INBOUND_LOCAL            = "import"
    LEADIMPORT_INBOUND_DOMAIN           = var.inbound_domain
    LEADIMPORT_INBOUND_MAX_BYTES        = "52428800"
    LEADIMPORT_INBOUND_AUTHSERV_ID      = var.inbound_authserv_id
    SMTP_HOST                           = var.smtp_host
    SMTP_PORT                           = tostring(var.smtp_port)
    SMTP_USERNAME                       = var.smtp_username
    SMTP_STARTTLS                       = var.smtp_ssl ? "false" : "true"
    SMTP_SSL                            = var.smtp_ssl ? "true" : "false"
    MAIL_FROM                           = var.mail_from
  }
}

# The source: functions/ (main.py, the leadimport package, requirements.txt), zipped.
data "archive_file" "source" {
  type        = "zip"
  source_dir  = var.source_dir
  output_path = "${path.module}/.build/functions.zip"
  excludes    = ["leadimport.egg-info", "leadimport.egg-info/**", "**/__pycache__/**"]
}

resource "google_storage_bucket" "source" {
  #checkov:skip=CKV_GCP_62:Access is logged by the project's Data Access audit logs for Cloud Storage (iam.tf), not by a usage-log bucket
  name                        = "${var.project}-leadimport-source"
  location                    = var.region
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  versioning {
    enabled = true # the code each deploy ran, kept (it holds no personal data)
  }
  depends_on = [google_project_service.apis]
}

resource "google_storage_bucket_object" "source" {
  name   = "functions-${data.archive_file.source.output_md5}.zip"
  bucket = google_storage_bucket.source.name
  source = data.archive_file.source.output_path
}

resource "google_cloudfunctions2_function" "function" {
  for_each = local.functions
  name     = replace(each.key, "_", "-")
  location = var.region

  build_config {
    runtime     = "python311"
    entry_point = each.key
    source {
      storage_source {
        bucket = google_storage_bucket.source.name
        object = google_storage_bucket_object.source.name
      }
    }
  }

  service_config {
    available_memory      = each.value.memory
    available_cpu         = each.value.cpu
    timeout_seconds       = each.value.timeout
    max_instance_count    = each.value.max_instances
    service_account_email = google_service_account.function[each.key].email
    environment_variables = local.environment
    # event functions take one event per instance and only Eventarc's (internal) traffic
    max_instance_request_concurrency = each.value.concurrency
    ingress_settings                 = each.value.bucket != "" ? "ALLOW_INTERNAL_ONLY" : "ALLOW_ALL"

    dynamic "secret_environment_variables" {
      for_each = { for variable, secret in local.secrets : variable => secret if contains(secret.functions, each.key) }
      content {
        key        = secret_environment_variables.key
        project_id = var.project
        secret     = secret_environment_variables.value.secret
        version    = "latest"
      }
    }
  }

  dynamic "event_trigger" {
    for_each = each.value.bucket != "" ? [each.value.bucket] : []
    content {
      trigger_region        = var.region
      event_type            = "google.cloud.storage.object.v1.finalized"
      retry_policy          = "RETRY_POLICY_RETRY"
      service_account_email = google_service_account.events.email
      event_filters {
        attribute = "bucket"
        value     = local.bucket_names[event_trigger.value]
      }
    }
  }

  depends_on = [google_project_iam_member.events_receiver, google_project_iam_member.gcs_publishes_events,
  google_secret_manager_secret_iam_member.readers]
}
