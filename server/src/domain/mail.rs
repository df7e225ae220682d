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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_strings_round_trip_and_unknown_ones_are_errors() {
        for &status in MailStatus::ALL {
            assert_eq!(MailStatus::parse(status.as_str()).ok(), Some(status));
        }
        assert!(MailStatus::try_from("bounced".to_owned()).is_err());
    }
}
