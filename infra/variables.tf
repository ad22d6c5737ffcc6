variable "project" {
  description = "The Google Cloud project to deploy into (an empty one is fine)."
  type        = string
}

variable "region" {
  description = "Region of the functions and buckets. Firestore goes to var.firestore_location."
  type        = string
  default     = "us-central1"
}

variable "firestore_location" {
  description = "Firestore database location: a region (cheaper) or a multi-region such as nam5 or eur3."
  type        = string
  default     = "nam5"
}

variable "drop_bucket" {
  description = "Where files to import arrive: uploads/{tenant}/{upload id}/{file name}."
  type        = string
}

variable "reports_bucket" {
  description = "Each job's results.json and error files, and the job-finished markers."
  type        = string
}

variable "work_bucket" {
  description = "A big file's chunks and their results while it imports (the fan-out)."
  type        = string
}

variable "upload_retention_days" {
  description = "Uploaded files are deleted this many days after they arrive."
  type        = number
  default     = 7
}

variable "report_retention_days" {
  description = "Reports (results and error files) are deleted this many days after the import."
  type        = number
  default     = 90
}

variable "mail_from" {
  description = "Sender of the reports, e.g. 'Lead Import <imports@example.com>' (a tenant's own mail_from wins)."
  type        = string
}

variable "smtp_host" {
  description = "The SMTP relay that sends the reports (SendGrid, Mailgun, Workspace relay...)."
  type        = string
}

variable "smtp_port" {
  type    = number
  default = 587
}

variable "smtp_username" {
  type    = string
  default = ""
}

variable "smtp_ssl" {
  description = "Implicit TLS (port 465) instead of STARTTLS."
  type        = bool
  default     = false
}

variable "id_audiences" {
  description = "OAuth client ids whose Google ID tokens the HTTP functions accept (the add-on's)."
  type        = list(string)
}

variable "inbound_domain" {
  description = "The domain of the import address import+<tenant>@<domain> the mail provider posts to inbound_email."
  type        = string
}

variable "inbound_authserv_id" {
  description = <<-EOT
    The authserv-id of the mail provider's own Authentication-Results header (e.g. "mx.google.com" for a
    Google Workspace route, the hostname an OpenDMARC milter stamps): only that header proves an emailed
    file's sender. Empty for SendGrid Inbound Parse, whose own `dkim` field is read instead. Set it only
    for a provider that stamps every message it receives.
  EOT
  type        = string
  default     = ""
}

variable "max_upload_bytes" {
  type    = number
  default = 209715200
}

variable "mail_attach_max_bytes" {
  description = "The report email attaches its error files up to this size together; past it, it links them."
  type        = number
  default     = 10485760
}

variable "chunk_rows" {
  description = "A file with more rows is cut into chunks of this many, imported side by side."
  type        = number
  default     = 25000
}

variable "chunk_max_instances" {
  description = "How many chunks import at once: the throttle on Firestore's write rate (docs/performance.md)."
  type        = number
  default     = 4
}

variable "source_dir" {
  description = "The functions' source: the repository's functions/ folder."
  type        = string
  default     = "../functions"
}
