//! Logging: `tracing` with an `EnvFilter`, text or JSON, and a last line of defence that
//! masks anything shaped like an email address or a phone number before a log line is
//! written. Code should never log personal data in the first place (the domain types'
//! `Debug` is masked); this catches what slips through, such as an upstream error message.

use crate::config::{LogFormat, Settings};
use regex::Regex;
use std::io::{self, Write};
use std::sync::LazyLock;
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::EnvFilter;

static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"([A-Za-z0-9._%+\-])[A-Za-z0-9._%+\-]*@([A-Za-z0-9.\-]+\.[A-Za-z]{2,})")
        .expect("valid regex")
});
// A `+` and 7–15 digits, or 9+ digits with common separators: E.164 and most national forms.
// UUIDs, timestamps and durations do not match (they contain letters, `:` or too few digits
// per run), and a false positive only costs a masked number in a log line.
static PHONE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\+\d[\d \-().]{6,18}\d|\b\d{3}[ \-.]?\d{3}[ \-.]?\d{3,4}\b").expect("valid regex")
});

/// Masks emails and phone numbers in one piece of text.
pub fn redact(text: &str) -> String {
    let text = EMAIL.replace_all(text, "$1***@$2");
    PHONE
        .replace_all(&text, |caps: &regex::Captures<'_>| {
            let m = caps.get(0).map(|m| m.as_str()).unwrap_or("");
            let digits: Vec<char> = m.chars().filter(char::is_ascii_digit).collect();
            let tail: String = digits[digits.len().saturating_sub(2)..].iter().collect();
            format!("***{tail}")
        })
        .into_owned()
}

/// A writer that redacts each formatted event before passing it on.
pub struct RedactingWriter<W: Write> {
    inner: W,
    buf: Vec<u8>,
}

impl<W: Write> Write for RedactingWriter<W> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(data);
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if !self.buf.is_empty() {
            let text = String::from_utf8_lossy(&self.buf);
            self.inner.write_all(redact(&text).as_bytes())?;
            self.buf.clear();
        }
        self.inner.flush()
    }
}

impl<W: Write> Drop for RedactingWriter<W> {
    fn drop(&mut self) {
        let _ = self.flush();
    }
}

#[derive(Clone)]
pub struct Redacting<M>(pub M);

impl<'a, M: MakeWriter<'a>> MakeWriter<'a> for Redacting<M> {
    type Writer = RedactingWriter<M::Writer>;

    fn make_writer(&'a self) -> Self::Writer {
        RedactingWriter {
            inner: self.0.make_writer(),
            buf: Vec::with_capacity(256),
        }
    }
}

/// Installs the global subscriber. Call once, first thing in `main`.
pub fn init(settings: &Settings) -> anyhow::Result<()> {
    let filter = EnvFilter::try_new(&settings.log_filter)
        .map_err(|e| anyhow::anyhow!("TRACKLIGHT_LOG: {e}"))?;
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(Redacting(io::stderr));
    match settings.log_format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
    }
    .map_err(|e| anyhow::anyhow!("installing the log subscriber: {e}"))
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn emails_and_phones_are_masked() {
        let line = "upstream said: customer ana.lopez@example.com phone +1 415-555-2671 (or 4155552671) rejected";
        let out = redact(line);
        assert!(!out.contains("ana.lopez"), "{out}");
        assert!(
            !out.contains("555-2671") && !out.contains("5552671"),
            "{out}"
        );
        assert!(out.contains("a***@example.com"), "{out}");
        assert!(out.contains("***71"), "{out}");
    }

    /// Emits one event through a `Redacting` writer and returns what was written.
    fn capture(json: bool) -> String {
        use std::sync::{Arc, Mutex};

        #[derive(Clone, Default)]
        struct Buffer(Arc<Mutex<Vec<u8>>>);
        impl std::io::Write for Buffer {
            fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
                self.0.lock().unwrap().extend_from_slice(data);
                Ok(data.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }

        let out = Buffer::default();
        let sink = out.clone();
        let builder = tracing_subscriber::fmt()
            .with_writer(super::Redacting(move || sink.clone()))
            .with_ansi(false);
        let emit = || {
            tracing::warn!(
                upstream = "rejected +14155552671",
                "customer ana.lopez@example.com"
            )
        };
        if json {
            tracing::subscriber::with_default(builder.json().finish(), emit);
        } else {
            tracing::subscriber::with_default(builder.finish(), emit);
        }
        let bytes = out.0.lock().unwrap().clone();
        String::from_utf8(bytes).unwrap()
    }

    #[test]
    fn events_are_redacted_on_their_way_out() {
        for json in [false, true] {
            let text = capture(json);
            assert!(text.contains("a***@example.com"), "{text}");
            assert!(
                !text.contains("ana.lopez") && !text.contains("5552671"),
                "{text}"
            );
        }
    }

    #[test]
    fn ordinary_log_content_survives() {
        for line in [
            "request finished status=200 latency=12 ms path=/t/AbCdEfGhIjKlMnOpQr-_09",
            "order 1001 upserted at 2026-11-24T14:05:00Z id=6f1c2a9e-3b4d-4e5f-8a7b-1c2d3e4f5a6b",
        ] {
            assert_eq!(redact(line), line);
        }
    }
}
