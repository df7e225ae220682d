//! The states of a mail in the outbox (`store::mail`).

use super::text_enum;

text_enum! {
    /// `pending` until the SMTP server accepted it (`sent`) or the sender gave up on it
    /// (`failed`, after a day of retries or a permanent refusal).
    MailStatus, "status" {
        Pending => "pending",
        Sent => "sent",
        Failed => "failed",
    }
}
