//! The streamed canonical import (`ingest::Feed`, the browser's path) against the
//! whole-document reader (`ingest::load_whole_document`, one serde pass over the file held
//! whole): however the input is cut into chunks, both must give the same dataset (import
//! report and tickets) or the same error. The one allowed difference: when a file is both
//! malformed and not valid UTF-8, the whole-document reader blames the first invalid byte
//! anywhere in the file, the stream only what it has read so far; both must then be errors.
//!
//! The first byte of the input picks the chunk sizes, the rest is the file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ticket_kpis::error::Error;
use ticket_kpis::ingest::{self, Dataset, Feed};
use ticket_kpis_fuzz::options;

fn summary(result: &Result<Dataset, Error>) -> String {
    match result {
        Err(e) => format!("error: {e}"),
        Ok(d) => format!(
            "{}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}",
            serde_json::to_string(&d.import).unwrap(),
            d.meta,
            d.store.id,
            d.store.created,
            d.store.first_reply,
            d.store.solved,
            d.store.messages.values,
        ),
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, file)) = data.split_first() else {
        return;
    };
    let opts = options(Some("canonical"));
    let whole = ingest::load_whole_document(file, &opts);
    // Chunk sizes 1..=16, cycling through a few sizes derived from the first byte.
    let sizes = [1 + (pick & 15) as usize, 1 + (pick >> 4) as usize, 3, 64];
    let streamed = (|| {
        let mut feed = Feed::new("", file.len() as u64, opts.clone())?;
        let mut at = 0;
        for &n in sizes.iter().cycle() {
            if at >= file.len() {
                break;
            }
            let end = (at + n).min(file.len());
            feed.push(&file[at..end])?;
            at = end;
        }
        feed.finish()
    })();
    let (a, b) = (summary(&whole), summary(&streamed));
    if a != b {
        let encoding = |r: &Result<Dataset, Error>| matches!(r, Err(Error::Encoding(_)));
        let both_errors = whole.is_err() && streamed.is_err();
        assert!(
            both_errors && (encoding(&whole) || encoding(&streamed)),
            "streamed differs from the whole-document reader\nwhole:    {a:.500}\nstreamed: {b:.500}"
        );
    }
});
