//! `gen-sample`: writes a seeded, realistic canonical ticket export (see `docs/format.md`).
//!
//! ```text
//! gen-sample [--tickets N] [--seed S] [--weeks W] [--out FILE] [--ndjson]
//! ```
//!
//! The same arguments always give the same bytes; `examples/sample-tickets.json` is the output
//! of the defaults.

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;
use ticket_kpis::sample::{self, SampleSpec, MAX_WEEKS};

const USAGE: &str = "\
usage: gen-sample [--tickets N] [--seed S] [--weeks W] [--out FILE] [--ndjson]

Writes a seeded, realistic help-desk export in the canonical ticket format.

  --tickets N   number of tickets (default 1500)
  --seed S      random seed, 0 to 18446744073709551615 (default 7); same seed, same bytes
  --weeks W     weeks of history ending 2026-03-01, 1 to 520 (default 8)
  --out FILE    write to FILE instead of standard output
  --ndjson      one ticket object per line, without the dataset envelope
  -h, --help    show this help";

struct Args {
    spec: SampleSpec,
    out: Option<String>,
    ndjson: bool,
}

fn parse_args(args: impl IntoIterator<Item = String>) -> Result<Option<Args>, String> {
    let mut parsed = Args {
        spec: SampleSpec::default(),
        out: None,
        ndjson: false,
    };
    let mut it = args.into_iter();
    while let Some(arg) = it.next() {
        // Accept both `--flag value` and `--flag=value`.
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        let mut value = |name: &str| -> Result<String, String> {
            inline
                .clone()
                .or_else(|| it.next())
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match flag.as_str() {
            "-h" | "--help" => return Ok(None),
            "--tickets" => {
                let v = value("--tickets")?;
                parsed.spec.tickets = v.parse().map_err(|_| {
                    format!("--tickets expects a whole number of tickets, found {v:?}")
                })?;
            }
            "--seed" => {
                let v = value("--seed")?;
                parsed.spec.seed = v.parse().map_err(|_| {
                    format!(
                        "--seed expects a whole number from 0 to {}, found {v:?}",
                        u64::MAX
                    )
                })?;
            }
            "--weeks" => {
                let v = value("--weeks")?;
                parsed.spec.weeks = v
                    .parse()
                    .ok()
                    .filter(|w| (1..=MAX_WEEKS).contains(w))
                    .ok_or_else(|| {
                        format!("--weeks expects a whole number from 1 to {MAX_WEEKS}, found {v:?}")
                    })?;
            }
            "--out" | "-o" => parsed.out = Some(value("--out")?),
            "--ndjson" if inline.is_none() => parsed.ndjson = true,
            _ => return Err(format!("unknown argument {arg:?}")),
        }
    }
    Ok(Some(parsed))
}

fn run(args: &Args) -> io::Result<()> {
    let sink: Box<dyn Write> = match &args.out {
        Some(path) => Box::new(std::fs::File::create(path)?),
        None => Box::new(io::stdout().lock()),
    };
    let mut w = BufWriter::with_capacity(1 << 20, sink);
    if args.ndjson {
        sample::write_ndjson(&args.spec, &mut w)?;
    } else {
        sample::write_json(&args.spec, &mut w)?;
    }
    w.flush()
}

fn main() -> ExitCode {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(Some(a)) => a,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("gen-sample: {e}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        // A closed pipe (`gen-sample | head`) is not a failure.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            let target = args.out.as_deref().unwrap_or("standard output");
            eprintln!("gen-sample: cannot write to {target}: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Option<Args>, String> {
        parse_args(args.iter().map(|s| s.to_string()))
    }

    #[test]
    fn defaults_and_flags() {
        let a = parse(&[]).unwrap().unwrap();
        assert_eq!((a.spec.tickets, a.spec.seed, a.spec.weeks), (1_500, 7, 8));
        let a = parse(&[
            "--tickets",
            "10",
            "--seed=3",
            "--weeks",
            "2",
            "--ndjson",
            "-o",
            "x",
        ])
        .unwrap()
        .unwrap();
        assert_eq!((a.spec.tickets, a.spec.seed, a.spec.weeks), (10, 3, 2));
        assert!(a.ndjson);
        assert_eq!(a.out.as_deref(), Some("x"));
        assert!(parse(&["--help"]).unwrap().is_none());
    }

    #[test]
    fn bad_arguments_say_what_was_expected() {
        let err = |args: &[&str]| parse(args).err().unwrap();
        assert_eq!(
            err(&["--tickets", "many"]),
            "--tickets expects a whole number of tickets, found \"many\""
        );
        assert_eq!(
            err(&["--weeks", "0"]),
            "--weeks expects a whole number from 1 to 520, found \"0\""
        );
        assert_eq!(err(&["--seed"]), "--seed needs a value");
        assert_eq!(err(&["--fast"]), "unknown argument \"--fast\"");
    }
}
