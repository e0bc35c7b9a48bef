//! The one error type of the engine.
//!
//! Messages are part of the product: they are shown to users as they are, so each one says what
//! was expected and what was found, in lower case, with a line and column for JSON.

use std::fmt;

/// Why a file could not be read at all. Problems with single records are not errors but
/// counted warnings (see [`crate::ingest::ImportReport`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// The file has no bytes, or only whitespace.
    Empty,
    /// The bytes are not UTF-8 text (UTF-16, or invalid UTF-8 at a byte offset).
    Encoding(String),
    /// The text is not valid JSON (or NDJSON) at `line`:`column` (1-based).
    Syntax {
        /// 1-based line of the problem.
        line: usize,
        /// 1-based column of the problem.
        column: usize,
        /// What the parser expected and found there.
        message: String,
    },
    /// Valid JSON, but not a shape that holds tickets.
    Shape(String),
    /// The JSON had the right shape but not a single usable ticket.
    NoTickets(String),
    /// A setting passed by the page (timezone, period, bucket…) is not valid.
    Option(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Empty => f.write_str("the file is empty: expected ticket JSON"),
            Error::Encoding(m) | Error::Shape(m) | Error::NoTickets(m) | Error::Option(m) => {
                f.write_str(m)
            }
            Error::Syntax {
                line,
                column,
                message,
            } => write!(
                f,
                "not valid JSON at line {line}, column {column}: {message}"
            ),
        }
    }
}

impl std::error::Error for Error {}

impl Error {
    /// Builds a syntax error from serde_json's error, dropping its own " at line …" suffix so
    /// the position is said once, our way.
    pub fn from_json(err: &serde_json::Error, line_offset: usize) -> Error {
        let text = err.to_string();
        let message = match text.rfind(" at line ") {
            Some(i) => text[..i].to_string(),
            None => text,
        };
        Error::Syntax {
            line: err.line() + line_offset,
            column: err.column(),
            message: describe_serde_message(&message),
        }
    }
}

/// serde_json's wording is terse ("EOF while parsing a list"); say it the way a user reads it.
fn describe_serde_message(m: &str) -> String {
    if let Some(rest) = m.strip_prefix("EOF while parsing ") {
        return format!(
            "the file ends in the middle of {} (is it truncated?)",
            article(rest)
        );
    }
    m.to_string()
}

fn article(what: &str) -> String {
    match what {
        "a list" | "a value" | "a string" | "an object" => what.to_string(),
        other => format!("a {other}"),
    }
}

/// Result alias for the engine.
pub type Result<T> = std::result::Result<T, Error>;
