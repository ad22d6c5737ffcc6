output "backend_url" {
  description = "The add-on's BACKEND_URL script property: each HTTP function is at <backend_url>/<name>."
  value       = "https://${var.region}-${var.project}.cloudfunctions.net"
}

output "http_function_urls" {
  value = { for name, function in google_cloudfunctions2_function.function : name => function.url
  if contains(keys(local.http_functions), name) }
}

output "inbound_webhook_url" {
  description = "Give this to the mail provider, with the secret in leadimport-inbound-secret."
  value       = google_cloudfunctions2_function.function["inbound_email"].url
}

output "sheets_writer" {
  description = "The account report_result writes back as: the add-on asks users to share their sheet with it."
  value       = google_service_account.function["report_result"].email
}
