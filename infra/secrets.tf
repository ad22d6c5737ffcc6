# Secrets are created empty: add their values once, outside Terraform, so they never sit in its state:
#   printf %s "$PASSWORD" | gcloud secrets versions add leadimport-smtp-password --data-file=-
#   openssl rand -base64 32 | tr -d '\n' | gcloud secrets versions add leadimport-inbound-secret --data-file=-

resource "google_secret_manager_secret" "smtp_password" {
  secret_id = "leadimport-smtp-password"
  replication {
    auto {}
  }
  depends_on = [google_project_service.apis]
}

resource "google_secret_manager_secret" "inbound_secret" {
  secret_id = "leadimport-inbound-secret"
  replication {
    auto {}
  }
  depends_on = [google_project_service.apis]
}

locals {
  # environment variable → the secret behind it, and the functions that may read it
  secrets = {
    SMTP_PASSWORD = {
      secret    = google_secret_manager_secret.smtp_password.secret_id
      functions = ["report_result", "inbound_email"] # the reports, and answers to refused mail
    }
    LEADIMPORT_INBOUND_SECRET = {
      secret    = google_secret_manager_secret.inbound_secret.secret_id
      functions = ["inbound_email"]
    }
  }
  secret_readers = merge([
    for variable, secret in local.secrets : {
      for function in secret.functions : "${variable}/${function}" => { secret = secret.secret, function = function }
    }
  ]...)
}

resource "google_secret_manager_secret_iam_member" "readers" {
  for_each  = local.secret_readers
  secret_id = each.value.secret
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${google_service_account.function[each.value.function].email}"
}
