//! A compact binary form of the ticket store and the import's running state, so a part of a
//! file read by another worker (another wasm instance, another memory) can be sent as one
//! transferable buffer and merged (see `Builder::append_part`).
//!
//! The form is private to one build of the engine: both sides run the same wasm module, so it
//! carries no versioning, only a leading tag that catches a buffer from somewhere else. Numbers
//! are little-endian; lengths are `u64`; a reader that runs out of bytes or meets a bad value
//! returns `None` instead of panicking.

use super::build::Warning;
use crate::store::{AgentInfo, Dict, Lists, Message, Rating, Role, Status, TicketStore, NONE};

/// Something that can be written into and read back from the binary form.
pub(crate) trait Wire: Sized {
    /// Bytes of every value of the type, when they are all the same size: a list of such
    /// values is written and read as one block ([`Wire::write`], [`Wire::read`]), which in
    /// wasm is many times faster than a small copy per value.
    const SIZE: Option<usize> = None;
    /// Appends the value's bytes.
    fn put(&self, out: &mut Vec<u8>);
    /// Reads one value, or `None` for bytes that do not hold one.
    fn take(r: &mut Reader) -> Option<Self>;
    /// A fixed-size value's bytes, into exactly [`Wire::SIZE`] bytes.
    fn write(&self, _dst: &mut [u8]) {
        unreachable!("write on a type without a fixed size")
    }
    /// A fixed-size value from exactly [`Wire::SIZE`] bytes.
    fn read(_src: &[u8]) -> Option<Self> {
        unreachable!("read on a type without a fixed size")
    }
}

/// `put` of a fixed-size value, through [`Wire::write`].
fn put_fixed<T: Wire>(v: &T, out: &mut Vec<u8>) {
    let size = T::SIZE.expect("a fixed size");
    let at = out.len();
    out.resize(at + size, 0);
    v.write(&mut out[at..]);
}

/// `take` of a fixed-size value, through [`Wire::read`].
fn take_fixed<T: Wire>(r: &mut Reader) -> Option<T> {
    T::read(r.bytes(T::SIZE.expect("a fixed size"))?)
}

/// Reads values from a byte buffer, front to back.
pub(crate) struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    /// A reader at the start of `bytes`.
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        Reader { bytes }
    }

    fn bytes(&mut self, n: usize) -> Option<&'a [u8]> {
        if n > self.bytes.len() {
            return None;
        }
        let (head, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        Some(head)
    }

    fn array<const N: usize>(&mut self) -> Option<[u8; N]> {
        self.bytes(N)?.try_into().ok()
    }

    /// The bytes not read yet.
    pub(crate) fn rest(&self) -> &'a [u8] {
        self.bytes
    }

    /// True when every byte was read.
    pub(crate) fn at_end(&self) -> bool {
        self.bytes.is_empty()
    }

    /// A length that cannot exceed what is left (each element takes at least one byte), so a
    /// corrupt length never asks for a huge allocation.
    fn len(&mut self) -> Option<usize> {
        let n = u64::take(self)?;
        usize::try_from(n).ok().filter(|&n| n <= self.bytes.len())
    }
}

macro_rules! wire_number {
    ($($t:ty),*) => {$(
        impl Wire for $t {
            const SIZE: Option<usize> = Some(std::mem::size_of::<$t>());
            fn put(&self, out: &mut Vec<u8>) {
                out.extend_from_slice(&self.to_le_bytes());
            }
            fn take(r: &mut Reader) -> Option<Self> {
                r.array().map(<$t>::from_le_bytes)
            }
            fn write(&self, dst: &mut [u8]) {
                dst.copy_from_slice(&self.to_le_bytes());
            }
            fn read(src: &[u8]) -> Option<Self> {
                Some(<$t>::from_le_bytes(src.try_into().ok()?))
            }
        }
    )*};
}
wire_number!(u8, i8, u32, u64, i64, f32, f64);

impl Wire for usize {
    fn put(&self, out: &mut Vec<u8>) {
        (*self as u64).put(out);
    }
    fn take(r: &mut Reader) -> Option<Self> {
        usize::try_from(u64::take(r)?).ok()
    }
}

impl Wire for bool {
    const SIZE: Option<usize> = Some(1);
    fn put(&self, out: &mut Vec<u8>) {
        out.push(*self as u8);
    }
    fn take(r: &mut Reader) -> Option<Self> {
        take_fixed(r)
    }
    fn write(&self, dst: &mut [u8]) {
        dst[0] = *self as u8;
    }
    fn read(src: &[u8]) -> Option<Self> {
        match src[0] {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        }
    }
}

impl Wire for String {
    fn put(&self, out: &mut Vec<u8>) {
        self.len().put(out);
        out.extend_from_slice(self.as_bytes());
    }
    fn take(r: &mut Reader) -> Option<Self> {
        let n = r.len()?;
        String::from_utf8(r.bytes(n)?.to_vec()).ok()
    }
}

impl<T: Wire> Wire for Option<T> {
    fn put(&self, out: &mut Vec<u8>) {
        match self {
            None => out.push(0),
            Some(v) => {
                out.push(1);
                v.put(out);
            }
        }
    }
    fn take(r: &mut Reader) -> Option<Self> {
        match u8::take(r)? {
            0 => Some(None),
            1 => T::take(r).map(Some),
            _ => None,
        }
    }
}

impl<T: Wire> Wire for Vec<T> {
    fn put(&self, out: &mut Vec<u8>) {
        self.len().put(out);
        if let Some(size) = T::SIZE {
            let at = out.len();
            out.resize(at + self.len() * size, 0);
            for (dst, v) in out[at..].chunks_exact_mut(size).zip(self) {
                v.write(dst);
            }
            return;
        }
        for v in self {
            v.put(out);
        }
    }
    fn take(r: &mut Reader) -> Option<Self> {
        let n = r.len()?;
        if let Some(size) = T::SIZE {
            let block = r.bytes(n.checked_mul(size)?)?;
            return block.chunks_exact(size).map(T::read).collect();
        }
        let mut v = Vec::with_capacity(n);
        for _ in 0..n {
            v.push(T::take(r)?);
        }
        Some(v)
    }
}

impl<A: Wire, B: Wire> Wire for (A, B) {
    const SIZE: Option<usize> = match (A::SIZE, B::SIZE) {
        (Some(a), Some(b)) => Some(a + b),
        _ => None,
    };
    fn put(&self, out: &mut Vec<u8>) {
        self.0.put(out);
        self.1.put(out);
    }
    fn take(r: &mut Reader) -> Option<Self> {
        Some((A::take(r)?, B::take(r)?))
    }
    fn write(&self, dst: &mut [u8]) {
        let (a, b) = dst.split_at_mut(A::SIZE.expect("a fixed size"));
        self.0.write(a);
        self.1.write(b);
    }
    fn read(src: &[u8]) -> Option<Self> {
        let (a, b) = src.split_at(A::SIZE.expect("a fixed size"));
        Some((A::read(a)?, B::read(b)?))
    }
}

impl<const N: usize> Wire for [usize; N] {
    fn put(&self, out: &mut Vec<u8>) {
        for v in self {
            v.put(out);
        }
    }
    fn take(r: &mut Reader) -> Option<Self> {
        let mut a = [0; N];
        for v in &mut a {
            *v = usize::take(r)?;
        }
        Some(a)
    }
}

impl Wire for Status {
    const SIZE: Option<usize> = Some(1);
    fn put(&self, out: &mut Vec<u8>) {
        out.push(*self as u8);
    }
    fn take(r: &mut Reader) -> Option<Self> {
        take_fixed(r)
    }
    fn write(&self, dst: &mut [u8]) {
        dst[0] = *self as u8;
    }
    fn read(src: &[u8]) -> Option<Self> {
        const ALL: [Status; 6] = [
            Status::New,
            Status::Open,
            Status::Pending,
            Status::OnHold,
            Status::Solved,
            Status::Closed,
        ];
        ALL.get(src[0] as usize).copied()
    }
}

impl Wire for Role {
    const SIZE: Option<usize> = Some(1);
    fn put(&self, out: &mut Vec<u8>) {
        put_fixed(self, out);
    }
    fn take(r: &mut Reader) -> Option<Self> {
        take_fixed(r)
    }
    fn write(&self, dst: &mut [u8]) {
        dst[0] = match self {
            Role::Customer => 0,
            Role::Agent => 1,
            Role::Bot => 2,
            Role::System => 3,
        };
    }
    fn read(src: &[u8]) -> Option<Self> {
        [Role::Customer, Role::Agent, Role::Bot, Role::System]
            .get(src[0] as usize)
            .copied()
    }
}

impl Wire for Rating {
    fn put(&self, out: &mut Vec<u8>) {
        self.score.put(out);
        self.scale.put(out);
    }
    fn take(r: &mut Reader) -> Option<Self> {
        Some(Rating {
            score: f32::take(r)?,
            scale: f32::take(r)?,
        })
    }
}

impl Wire for Message {
    const SIZE: Option<usize> = Some(14);
    fn put(&self, out: &mut Vec<u8>) {
        put_fixed(self, out);
    }
    fn take(r: &mut Reader) -> Option<Self> {
        take_fixed(r)
    }
    fn write(&self, dst: &mut [u8]) {
        self.at.write(&mut dst[..8]);
        self.role.write(&mut dst[8..9]);
        self.public.write(&mut dst[9..10]);
        self.agent.write(&mut dst[10..14]);
    }
    fn read(src: &[u8]) -> Option<Self> {
        Some(Message {
            at: i64::read(&src[..8])?,
            role: Role::read(&src[8..9])?,
            public: bool::read(&src[9..10])?,
            agent: u32::read(&src[10..14])?,
        })
    }
}

impl Wire for AgentInfo {
    fn put(&self, out: &mut Vec<u8>) {
        self.name.put(out);
        self.team.put(out);
        self.start_day.put(out);
        self.end_day.put(out);
    }
    fn take(r: &mut Reader) -> Option<Self> {
        Some(AgentInfo {
            name: String::take(r)?,
            team: Wire::take(r)?,
            start_day: Wire::take(r)?,
            end_day: Wire::take(r)?,
        })
    }
}

impl<T: Wire> Wire for Lists<T> {
    fn put(&self, out: &mut Vec<u8>) {
        self.start.put(out);
        self.values.put(out);
    }
    fn take(r: &mut Reader) -> Option<Self> {
        let lists = Lists {
            start: Vec::take(r)?,
            values: Vec::take(r)?,
        };
        // Offsets that start at 0, never fall and end at the values' length, or nothing.
        let sound = lists.start.first() == Some(&0)
            && lists.start.windows(2).all(|w| w[0] <= w[1])
            && lists.start.last().map(|&e| e as usize) == Some(lists.values.len());
        sound.then_some(lists)
    }
}

impl Wire for Dict {
    fn put(&self, out: &mut Vec<u8>) {
        self.len().put(out);
        for name in self.names() {
            name.put(out);
        }
    }
    fn take(r: &mut Reader) -> Option<Self> {
        let mut d = Dict::default();
        for name in Vec::<String>::take(r)? {
            d.intern(&name);
        }
        Some(d)
    }
}

impl Wire for Warning {
    fn put(&self, out: &mut Vec<u8>) {
        self.message.put(out);
        self.count.put(out);
        self.examples.put(out);
        self.skipped.put(out);
    }
    fn take(r: &mut Reader) -> Option<Self> {
        Some(Warning {
            message: String::take(r)?,
            count: usize::take(r)?,
            examples: Vec::take(r)?,
            skipped: bool::take(r)?,
        })
    }
}

/// Writes and reads every column of the store, in one list so the two cannot disagree.
macro_rules! store_fields {
    ($m:ident) => {
        $m!(
            id,
            created,
            first_reply,
            first_solved,
            solved,
            closed,
            status,
            channel,
            priority,
            agent,
            team,
            requester,
            tier,
            language,
            reopens,
            agent_replies,
            escalated,
            complaint,
            converted,
            order_value,
            rating,
            rating_at,
            survey_offered,
            comment,
            nps,
            effort,
            queue_wait,
            abandoned,
            handle,
            tags,
            messages,
            history,
            channels,
            priorities,
            agents,
            agent_info,
            teams,
            requesters,
            tiers,
            languages,
            tag_names,
            comments
        )
    };
}

impl Wire for TicketStore {
    fn put(&self, out: &mut Vec<u8>) {
        macro_rules! put_all {
            ($($f:ident),*) => {{
                // Destructured, so a column added to the store and not here fails to compile.
                let TicketStore { $($f),* } = self;
                $($f.put(out);)*
            }};
        }
        store_fields!(put_all);
    }
    fn take(r: &mut Reader) -> Option<Self> {
        macro_rules! take_all {
            ($($f:ident),*) => {{
                $(let $f = Wire::take(r)?;)*
                TicketStore { $($f),* }
            }};
        }
        let store: TicketStore = store_fields!(take_all);
        // Every column one row per ticket, lists one offset more.
        let rows = store.created.len();
        macro_rules! rows_of {
            ($($f:ident),*) => { [$(store.$f.len()),*] };
        }
        let lens = rows_of!(
            id,
            first_reply,
            first_solved,
            solved,
            closed,
            status,
            channel,
            priority,
            agent,
            team,
            requester,
            tier,
            language,
            reopens,
            agent_replies,
            escalated,
            complaint,
            converted,
            order_value,
            rating,
            rating_at,
            survey_offered,
            comment,
            nps,
            effort,
            queue_wait,
            abandoned,
            handle
        );
        let sound = lens.iter().all(|&n| n == rows)
            && [
                store.tags.start.len(),
                store.messages.start.len(),
                store.history.start.len(),
            ]
            .iter()
            .all(|&n| n == rows + 1)
            && store.agent_info.len() == store.agents.len()
            // Every id within its dictionary, so merging never indexes out of bounds.
            && [
                (&store.channel, store.channels.len()),
                (&store.priority, store.priorities.len()),
                (&store.agent, store.agents.len()),
                (&store.team, store.teams.len()),
                (&store.requester, store.requesters.len()),
                (&store.tier, store.tiers.len()),
                (&store.language, store.languages.len()),
                (&store.comment, store.comments.len()),
                (&store.tags.values, store.tag_names.len()),
            ]
            .iter()
            .all(|(col, n)| col.iter().all(|&v| v == NONE || (v as usize) < *n))
            && store
                .messages
                .values
                .iter()
                .all(|m| m.agent == NONE || (m.agent as usize) < store.agents.len());
        sound.then_some(store)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip<T: Wire + std::fmt::Debug>(v: &T) -> T {
        let mut out = Vec::new();
        v.put(&mut out);
        let mut r = Reader::new(&out);
        let back = T::take(&mut r).expect("reads back");
        assert!(r.at_end());
        back
    }

    #[test]
    fn values_read_back_as_written() {
        let v: Vec<(Option<String>, i64)> = vec![(Some("é€".into()), -5), (None, i64::MAX)];
        assert_eq!(round_trip(&v), v);
        assert_eq!(round_trip(&[3usize, 0, 7]), [3, 0, 7]);
        let f = vec![f64::NAN, -0.0, 1.5];
        let back = round_trip(&f);
        assert!(back[0].is_nan() && back[1].to_bits() == (-0.0f64).to_bits() && back[2] == 1.5);
    }

    #[test]
    fn fixed_sizes_are_what_is_written() {
        fn size_of<T: Wire>(v: T) -> usize {
            let mut out = Vec::new();
            v.put(&mut out);
            assert_eq!(Some(out.len()), T::SIZE);
            out.len()
        }
        let m = Message {
            at: -7,
            role: Role::Bot,
            public: true,
            agent: NONE,
        };
        assert_eq!(size_of(m), 14);
        assert_eq!(round_trip(&vec![m, m]), vec![m, m]);
        size_of((5i64, Status::Solved));
        size_of(Role::System);
        size_of(true);
    }

    #[test]
    fn bad_bytes_read_as_nothing() {
        // A length beyond the buffer, a bad tag, a bad status, bytes cut short.
        let mut huge = Vec::new();
        u64::MAX.put(&mut huge);
        assert!(Vec::<u8>::take(&mut Reader::new(&huge)).is_none());
        assert!(<Option<u8> as Wire>::take(&mut Reader::new(&[7, 1])).is_none());
        assert!(Status::take(&mut Reader::new(&[6])).is_none());
        assert!(bool::take(&mut Reader::new(&[2])).is_none());
        assert!(i64::take(&mut Reader::new(&[1, 2, 3])).is_none());
        // Lists whose offsets do not fit their values.
        let mut bad = Vec::new();
        vec![0u32, 3].put(&mut bad);
        vec![1u32].put(&mut bad);
        assert!(Lists::<u32>::take(&mut Reader::new(&bad)).is_none());
    }

    #[test]
    fn a_store_reads_back_whole() {
        let data = crate::ingest::load(
            crate::sample::generate_json(&crate::sample::SampleSpec {
                tickets: 300,
                seed: 11,
                weeks: 4,
            })
            .as_bytes(),
            &Default::default(),
        )
        .unwrap();
        let back = round_trip(&data.store);
        assert_eq!(format!("{:?}", back), format!("{:?}", data.store));
        // Cut anywhere, it is refused rather than misread.
        let mut out = Vec::new();
        data.store.put(&mut out);
        for cut in (0..out.len()).step_by(out.len() / 97) {
            assert!(TicketStore::take(&mut Reader::new(&out[..cut])).is_none());
        }
    }
}
