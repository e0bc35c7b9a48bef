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
    /// The input is larger than the engine reads (see
    /// [`crate::ingest::MAX_INPUT_BYTES`]); refused before any byte is parsed.
    TooLarge {
        /// Size of the input in bytes (all files together when several are given).
        bytes: u64,
        /// The largest size accepted, in bytes.
        limit: u64,
        /// How many files the size is of.
        files: usize,
    },
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
            Error::TooLarge {
                bytes,
                limit,
                files,
            } => {
                // The size is rounded up and the limit down, so the one never reads as equal to
                // the other ("1.5 GB: … up to 1.5 GB").
                let (size, max) = (format_size(*bytes, true), format_size(*limit, false));
                if *files > 1 {
                    write!(
                        f,
                        "the {files} files are {size} together: the widget can read up to {max} \
                         at once"
                    )
                } else {
                    write!(
                        f,
                        "the file is {size}: the widget can read files up to {max}"
                    )
                }
            }
        }
    }
}

impl std::error::Error for Error {}

impl Error {
    /// Builds a syntax error from serde_json's error, dropping its own " at line …" suffix so
    /// the position is said once, our way.
    ///
    /// Two kinds of serde_json errors are not syntax errors and are not called so: JSON nested
    /// deeper than the parser's limit of 128 levels where the engine builds a tree (the
    /// dataset's targets, a vendor file), and well-formed JSON of the wrong type where tickets
    /// were expected (`{"tickets": 5}`).
    pub fn from_json(err: &serde_json::Error, line_offset: usize) -> Error {
        Error::from_json_at(err, err.line() + line_offset, err.column())
    }

    /// [`Error::from_json`] at a position the caller worked out (the streaming reader parses
    /// the rest of a file behind a prefix and maps serde's position back into the file).
    pub fn from_json_at(err: &serde_json::Error, line: usize, column: usize) -> Error {
        let text = err.to_string();
        let message = match text.rfind(" at line ") {
            Some(i) => text[..i].to_string(),
            None => text,
        };
        if message == "recursion limit exceeded" {
            return Error::Shape(format!(
                "the JSON is nested too deeply at line {line}, column {column}: more than 128 \
                 arrays or objects inside each other, where the widget reads at most 128"
            ));
        }
        if err.classify() == serde_json::error::Category::Data {
            return Error::Shape(format!(
                "not ticket data at line {line}, column {column}: {}",
                describe_type_error(&message)
            ));
        }
        Error::Syntax {
            line,
            column,
            message: describe_serde_message(&message),
        }
    }
}

/// serde's "invalid type: integer `5`, expected an array" said the way the other messages say
/// it: what was expected, then what was found, in JSON's words (an object, not a map).
fn describe_type_error(m: &str) -> String {
    let rest = m.strip_prefix("invalid type: ").unwrap_or(m);
    let Some((found, expected)) = rest.split_once(", expected ") else {
        return m.to_string();
    };
    let found = match found {
        "map" => "an object".to_string(),
        "sequence" => "an array".to_string(),
        "unit value" => "null".to_string(),
        other => ["integer ", "floating point ", "boolean "]
            .iter()
            .find_map(|p| other.strip_prefix(p))
            .map_or_else(|| other.to_string(), |v| v.trim_matches('`').to_string()),
    };
    format!("expected {expected}, found {found}")
}

/// Bytes as decimal gigabytes or megabytes with one decimal (`2.1 GB`, `640 MB`), rounded up
/// or down as asked; a trailing `.0` is dropped.
pub fn format_size(bytes: u64, round_up: bool) -> String {
    let (tenth, name) = if bytes >= 1_000_000_000 {
        (100_000_000, "GB")
    } else {
        (100_000, "MB")
    };
    let tenths = if round_up {
        bytes.div_ceil(tenth)
    } else {
        bytes / tenth
    };
    match tenths % 10 {
        0 => format!("{} {name}", tenths / 10),
        d => format!("{}.{d} {name}", tenths / 10),
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
