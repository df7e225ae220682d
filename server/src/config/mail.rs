//! Mail settings: where mail leaves this node (`KINDRED_SMTP_URL`, or `.eml` files under
//! the data directory), the `From:` address, and the sender's timing.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::error::Error;

/// Where and how mail leaves this node.
#[derive(Clone, Debug)]
pub struct MailSettings {
    pub transport: MailTransport,
    /// `From:`, checked to be one mailbox with no line breaks.
    pub from: String,
    /// How long a claimed row belongs to the node that claimed it; past it, another
    /// node (or this one after a restart) may send it again.
    pub claim_lease: Duration,
    /// How long one SMTP exchange may take.
    pub smtp_timeout: Duration,
    /// First retry delay; each further failure doubles it, up to `max_retry_delay`.
    pub first_retry_delay: Duration,
    pub max_retry_delay: Duration,
    /// A mail still unsent this long after it was written is marked failed.
    pub give_up_after: Duration,
    /// How often the sender looks for due mail when no commit woke it.
    pub poll_interval: Duration,
    /// How often the notification-mail job runs (immediate mail and digests); `None`
    /// turns the job off (tests run it by hand with a chosen "now").
    pub notify_interval: Option<Duration>,
    /// How long a notification waits before it is mailed on its own, so that a member
    /// reading the forum at that moment is not mailed about what they just saw.
    pub notify_grace: Duration,
    /// New members must confirm their address before posting or joining
    /// (`KINDRED_REQUIRE_EMAIL_VERIFICATION`).
    pub require_email_verification: bool,
}

#[derive(Clone)]
pub enum MailTransport {
    Smtp(SmtpUrl),
    /// `.eml` files in this directory.
    Files(PathBuf),
}

impl std::fmt::Debug for MailTransport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MailTransport::Smtp(url) => f.write_str(&url.describe()),
            MailTransport::Files(dir) => write!(f, ".eml files in {}", dir.display()),
        }
    }
}

/// How to reach the SMTP server. Holds the password: never printed (see `describe`).
#[derive(Clone)]
pub struct SmtpUrl {
    pub host: String,
    pub port: u16,
    pub security: SmtpSecurity,
    pub user: Option<String>,
    password: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SmtpSecurity {
    /// `smtp://`: plain connection upgraded with STARTTLS, refused without it.
    StartTls,
    /// `smtps://`: TLS from the first byte.
    Implicit,
    /// `smtp://…?tls=none`: for a relay on the same host or network only.
    None,
}

impl SmtpUrl {
    pub fn parse(raw: &str) -> Result<SmtpUrl, Error> {
        let bad = |why: &str| Error::Config(format!("KINDRED_SMTP_URL: {why}"));
        let url = url::Url::parse(raw.trim())
            .map_err(|_| bad("not a URL like smtp://user:pass@host:587 or smtps://host:465"))?;
        let mut security = match url.scheme() {
            "smtp" => SmtpSecurity::StartTls,
            "smtps" => SmtpSecurity::Implicit,
            _ => return Err(bad("must start with smtp:// or smtps://")),
        };
        for (key, value) in url.query_pairs() {
            match (key.as_ref(), value.as_ref(), security) {
                ("tls", "none", SmtpSecurity::StartTls) => security = SmtpSecurity::None,
                ("tls", "starttls" | "required", SmtpSecurity::StartTls) => {}
                _ => {
                    return Err(bad(
                        "the only option is ?tls=none (smtp:// only) or ?tls=starttls",
                    ))
                }
            }
        }
        let host = url
            .host_str()
            .filter(|h| !h.is_empty())
            .ok_or_else(|| bad("needs a host"))?
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_owned();
        let port = url.port().unwrap_or(match security {
            SmtpSecurity::Implicit => 465,
            SmtpSecurity::StartTls => 587,
            SmtpSecurity::None => 25,
        });
        let decode = |s: &str| {
            url::form_urlencoded::parse(format!("x={s}").as_bytes())
                .next()
                .map(|(_, v)| v.into_owned())
                .unwrap_or_default()
        };
        let user = Some(url.username())
            .filter(|u| !u.is_empty())
            .map(|u| decode(&u.replace('+', "%2B")));
        let password = url.password().map(|p| decode(&p.replace('+', "%2B")));
        if password.is_some() && user.is_none() {
            return Err(bad("a password needs a user name"));
        }
        Ok(SmtpUrl {
            host,
            port,
            security,
            user,
            password,
        })
    }

    pub fn password(&self) -> Option<&str> {
        self.password.as_deref()
    }

    /// For logs and messages: no user name or password.
    pub fn describe(&self) -> String {
        let tls = match self.security {
            SmtpSecurity::StartTls => "STARTTLS",
            SmtpSecurity::Implicit => "TLS",
            SmtpSecurity::None => "no TLS",
        };
        format!("SMTP server {}:{} ({tls})", self.host, self.port)
    }
}

impl MailSettings {
    pub(super) fn load(
        smtp_url: Option<&str>,
        from: Option<&str>,
        require_email_verification: Option<&str>,
        data_dir: &Path,
        public_url: &str,
    ) -> Result<MailSettings, Error> {
        let transport = match smtp_url.map(str::trim).filter(|u| !u.is_empty()) {
            Some(raw) => MailTransport::Smtp(SmtpUrl::parse(raw)?),
            None => MailTransport::Files(data_dir.join("mail")),
        };
        let from = if let Some(raw) = from {
            raw.trim().to_owned()
        } else {
            let host = url::Url::parse(public_url)
                .ok()
                .and_then(|u| u.host_str().map(str::to_owned))
                .filter(|h| h.contains('.') && !h.chars().all(|c| c.is_ascii_digit() || c == '.'))
                .unwrap_or_else(|| "localhost.localdomain".into());
            format!("Kindred <no-reply@{host}>")
        };
        if from.chars().any(char::is_control) || from.parse::<lettre::message::Mailbox>().is_err() {
            return Err(Error::Config(format!(
                "KINDRED_MAIL_FROM: {from:?} is not one address like Kindred <no-reply@example.org>"
            )));
        }
        let require_email_verification = match require_email_verification
            .map(|raw| raw.trim().to_ascii_lowercase())
            .as_deref()
        {
            None | Some("" | "false" | "0" | "no" | "off") => false,
            Some("true" | "1" | "yes" | "on") => true,
            Some(other) => {
                return Err(Error::Config(format!(
                    "KINDRED_REQUIRE_EMAIL_VERIFICATION: {other:?} is neither true nor false"
                )))
            }
        };
        Ok(MailSettings {
            require_email_verification,
            transport,
            from,
            claim_lease: Duration::from_secs(120),
            smtp_timeout: Duration::from_secs(20),
            first_retry_delay: Duration::from_secs(30),
            max_retry_delay: Duration::from_secs(3600),
            give_up_after: Duration::from_secs(24 * 3600),
            poll_interval: Duration::from_secs(5),
            notify_interval: Some(Duration::from_secs(30)),
            notify_grace: Duration::from_secs(60),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smtp_urls() {
        let starttls = SmtpUrl::parse("smtp://me%40x.org:p%2Fw@mail.example.org").ok();
        let starttls = starttls.expect("parses");
        assert_eq!(starttls.security, SmtpSecurity::StartTls);
        assert_eq!(starttls.port, 587);
        assert_eq!(starttls.user.as_deref(), Some("me@x.org"));
        assert_eq!(starttls.password(), Some("p/w"));
        assert!(!starttls.describe().contains("p/w"));
        let implicit = SmtpUrl::parse("smtps://mail.example.org").expect("parses");
        assert_eq!(
            (implicit.security, implicit.port),
            (SmtpSecurity::Implicit, 465)
        );
        let relay = SmtpUrl::parse("smtp://127.0.0.1:2525?tls=none").expect("parses");
        assert_eq!((relay.security, relay.port), (SmtpSecurity::None, 2525));
        for bad in [
            "http://x",
            "smtps://x?tls=none",
            "smtp://x?tls=maybe",
            "smtp://",
        ] {
            assert!(SmtpUrl::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn mail_from_is_one_clean_address() {
        let dir = Path::new("/tmp");
        let ok = MailSettings::load(None, Some("Kindred <a@b.org>"), None, dir, "http://x");
        assert!(ok.is_ok());
        for bad in ["Kindred <a@b.org>\r\nBcc: c@d.org", "not an address"] {
            assert!(
                MailSettings::load(None, Some(bad), None, dir, "http://x").is_err(),
                "{bad}"
            );
        }
    }
}
