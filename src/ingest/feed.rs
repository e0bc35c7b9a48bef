//! One file imported in chunks, as the browser reads it: canonical JSON is streamed (each chunk
//! parsed as it arrives, never the whole file in memory), every other format is collected and
//! read whole by the importer that [`super::load_files`] would choose.

use super::canonical::{CanonicalReader, Stopped};
use super::{check_size, load_inputs, Builder, Dataset, IngestOptions, MAX_INPUT_BYTES};
use crate::adapters::{self, InputFile};
use crate::error::Result;

/// The largest single file a streamed import reads, in bytes: 4 GB in the browser, where only
/// the columnar store must fit in the 4 GiB a wasm32 module addresses (about 0.4 byte of
/// store per byte of canonical JSON), 16 GB natively.
pub const STREAM_MAX_INPUT_BYTES: u64 = if cfg!(target_arch = "wasm32") {
    4_000_000_000
} else {
    16_000_000_000
};

/// A single-file import fed in chunks (see the module documentation).
pub struct Feed {
    name: String,
    opts: IngestOptions,
    /// The file's size as announced (checked against the limits before anything is read).
    size: u64,
    /// Bytes fed so far.
    fed: u64,
    /// Largest file streamed, and read whole ([`STREAM_MAX_INPUT_BYTES`],
    /// [`MAX_INPUT_BYTES`]; smaller in tests).
    stream_limit: u64,
    whole_limit: u64,
    stage: Stage,
    /// Where to stop for parts read by other workers, until the stream starts.
    split: Option<u64>,
    /// Where the last part taken stopped, counted from where this reader stopped.
    joined: Option<Stopped>,
}

enum Stage {
    /// The first bytes, until they say which importer reads the file.
    Head(Vec<u8>),
    /// A vendor export, CSV or an explicitly chosen non-canonical format: read whole.
    Whole(Vec<u8>),
    /// Canonical JSON, parsed as it comes.
    Stream(Box<(CanonicalReader, Builder)>),
}

impl Feed {
    /// Starts the import of the file `name` of `size` bytes; a file too large to read at all
    /// is refused at once.
    pub fn new(name: &str, size: u64, opts: IngestOptions) -> Result<Feed> {
        Feed::with_limits(name, size, opts, STREAM_MAX_INPUT_BYTES, MAX_INPUT_BYTES)
    }

    fn with_limits(
        name: &str,
        size: u64,
        opts: IngestOptions,
        stream_limit: u64,
        whole_limit: u64,
    ) -> Result<Feed> {
        check_size(size, 1, stream_limit)?;
        Ok(Feed {
            name: name.to_string(),
            opts,
            size,
            fed: 0,
            stream_limit,
            whole_limit,
            stage: Stage::Head(Vec::new()),
            split: None,
            joined: None,
        })
    }

    /// Feeds the next bytes of the file.
    pub fn push(&mut self, chunk: &[u8]) -> Result<()> {
        self.fed += chunk.len() as u64;
        // More bytes than announced must not slip past the limits.
        check_size(self.fed.max(self.size), 1, self.stream_limit)?;
        match &mut self.stage {
            Stage::Head(head) => {
                head.extend_from_slice(chunk);
                if head_decides(head) {
                    self.decide()?;
                }
                Ok(())
            }
            Stage::Whole(bytes) => {
                check_size(self.fed.max(self.size), 1, self.whole_limit)?;
                bytes.extend_from_slice(chunk);
                Ok(())
            }
            Stage::Stream(s) => {
                let (reader, builder) = &mut **s;
                reader.push(chunk, builder)
            }
        }
    }

    /// Reads in parallel (see [`super::parallel`]): stop before the first record of the
    /// ticket array that starts at or after file offset `offset`, where a helper's part starts.
    /// Only streamed canonical files stop; any other file is read on as usual.
    pub fn split_at(&mut self, offset: u64) {
        match &mut self.stage {
            Stage::Stream(s) => s.0.stop_at(offset),
            _ => self.split = Some(offset),
        }
    }

    /// Whether the file is read as a stream (canonical JSON; decided by its first 64 KiB).
    pub fn streams(&self) -> bool {
        matches!(self.stage, Stage::Stream(_))
    }

    /// The file offset where reading stopped for the parts (see [`Self::split_at`]); the
    /// page then hands over the parts ([`Self::take_part`]) and calls [`Self::resume`].
    pub fn stopped_at(&self) -> Option<u64> {
        match &self.stage {
            Stage::Stream(s) => s.0.stopped().map(|s| s.offset),
            _ => None,
        }
    }

    /// Takes the next part (bytes from [`super::PartReader::finish`]) if it starts exactly
    /// where reading stopped (or where the last part taken stopped, before a record); false
    /// when it does not fit, and then no later part may be taken either.
    pub fn take_part(&mut self, bytes: &[u8]) -> bool {
        let Stage::Stream(s) = &mut self.stage else {
            return false;
        };
        let (reader, builder) = &mut **s;
        let Some(stop) = reader.stopped() else {
            return false;
        };
        let Some((start, end, rest)) = super::parallel::read_part(bytes) else {
            return false;
        };
        let expected = match self.joined {
            None => stop.offset,
            Some(j) if j.before_record => j.offset,
            Some(_) => return false,
        };
        if start != expected || !builder.append_part_bytes(rest) {
            return false;
        }
        self.joined = Some(match self.joined {
            None => end,
            Some(j) => super::parallel::chain(j, end),
        });
        true
    }

    /// Goes on reading after a stop: after the parts taken, returning the file offset the next
    /// chunk must start at; or, when no part was taken, from where it stopped (`None`: go on
    /// feeding where the feeding was).
    pub fn resume(&mut self) -> Option<u64> {
        let Stage::Stream(s) = &mut self.stage else {
            return None;
        };
        let reader = &mut s.0;
        reader.stopped()?;
        match self.joined.take() {
            Some(end) => {
                reader.skip_to(end);
                self.fed = end.offset;
                Some(end.offset)
            }
            None => {
                reader.go_on();
                None
            }
        }
    }

    /// Records read so far (for a progress line; 0 until the file is known to stream).
    pub fn records(&self) -> usize {
        match &self.stage {
            Stage::Stream(s) => s.1.records(),
            _ => 0,
        }
    }

    /// Ends the file and returns the dataset, or why the file could not be read.
    pub fn finish(mut self) -> Result<Dataset> {
        if matches!(self.stage, Stage::Head(_)) {
            self.decide()?;
        }
        // A stop not yet gone on from (a file too small to reach the split before its end,
        // or parts that cover the rest of it).
        if let Some(next) = self.resume() {
            if next < self.size {
                return Err(crate::error::Error::Option(format!(
                    "the import stopped at byte {next} of {} for parallel parts and was not fed on",
                    self.size
                )));
            }
        }
        match self.stage {
            Stage::Head(_) => unreachable!("decided above"),
            Stage::Whole(bytes) => load_inputs(
                &[InputFile {
                    name: &self.name,
                    bytes: &bytes,
                }],
                &self.opts,
                self.whole_limit,
            ),
            Stage::Stream(s) => {
                let (reader, mut builder) = *s;
                let layout = reader.finish(&mut builder);
                let records = builder.records();
                super::finish_canonical(builder, vec![(&self.name, records, layout)], &self.opts)
            }
        }
    }

    /// Chooses the importer from the head: canonical JSON streams, the rest is read whole.
    fn decide(&mut self) -> Result<()> {
        let Stage::Head(head) = &mut self.stage else {
            return Ok(());
        };
        let head = std::mem::take(head);
        if adapters::reads_as_canonical(&head, self.opts.format.as_deref())? {
            let mut reader = CanonicalReader::new();
            if let Some(offset) = self.split.take() {
                reader.stop_at(offset);
            }
            let mut builder = Builder::new(self.opts.now);
            reader.push(&head, &mut builder)?;
            self.stage = Stage::Stream(Box::new((reader, builder)));
        } else {
            check_size(self.fed.max(self.size), 1, self.whole_limit)?;
            self.stage = Stage::Whole(head);
        }
        Ok(())
    }
}

/// True once `head` holds enough of the file for [`adapters::reads_as_canonical`]: the bytes
/// it looks at past the byte-order mark and the leading whitespace.
fn head_decides(head: &[u8]) -> bool {
    let text = head.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(head);
    text.iter()
        .position(|b| !b.is_ascii_whitespace())
        .is_some_and(|start| text.len() >= start + adapters::SNIFF_BYTES)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;

    #[test]
    fn sizes_are_checked_before_and_while_reading() {
        const STREAM: u64 = 1 << 20;
        const WHOLE: u64 = 100_000;
        let opts = IngestOptions::default();
        let feed = |size| Feed::with_limits("f.json", size, opts.clone(), STREAM, WHOLE);
        let Err(e) = feed(STREAM + 1) else {
            panic!("a file over the stream limit was accepted");
        };
        assert!(matches!(e, Error::TooLarge { files: 1, .. }), "{e}");
        // A vendor file (read whole) over the whole-file limit is refused once recognised…
        let mut vendor = b"{\"tickets\": [{\"via\": {\"channel\": \"email\"}, ".to_vec();
        vendor.resize(adapters::SNIFF_BYTES + 100, b' ');
        let Ok(mut f) = feed(WHOLE + 1) else {
            panic!("refused before reading")
        };
        assert!(matches!(f.push(&vendor), Err(Error::TooLarge { .. })));
        // …while canonical JSON of that size streams.
        let mut canonical = b"[".to_vec();
        let ticket = b"{\"id\": 1, \"created_at\": \"2026-03-02T09:00:00Z\"},\n";
        while canonical.len() < WHOLE as usize + 1000 {
            canonical.extend_from_slice(ticket);
        }
        canonical.extend_from_slice(ticket.strip_suffix(b",\n").unwrap());
        canonical.push(b']');
        let Ok(mut f) = feed(canonical.len() as u64) else {
            panic!("refused before reading")
        };
        for chunk in canonical.chunks(4096) {
            f.push(chunk).unwrap();
        }
        assert!(f.records() > 0);
        let d = f.finish().unwrap();
        assert_eq!(d.store.len(), 1);
        assert_eq!(d.import.skipped, 0);
        // Fed beyond the announced size and the limit: refused.
        let Ok(mut f) = feed(10) else {
            panic!("refused before reading")
        };
        let more: Vec<u8> = std::iter::once(&b"["[..])
            .chain(std::iter::repeat_n(
                &ticket[..],
                STREAM as usize / ticket.len() + 10,
            ))
            .flatten()
            .copied()
            .collect();
        let e = more.chunks(4096).find_map(|c| f.push(c).err());
        assert!(matches!(e, Some(Error::TooLarge { .. })), "{e:?}");
    }
}
