//! Seeded generator of realistic canonical exports: the demo's data, benchmarks, large tests.
//!
//! The output is a canonical export (see `docs/format.md`) of a small multilingual help desk in
//! Amsterdam: eight agents in three teams (one leaves and one joins during the history),
//! customers writing in English, Dutch, Turkish and Persian, five channels with their own mix and
//! speed, business hours Monday–Friday 08:00–18:00 with Dutch public holidays, and an outage day
//! that brings a burst of urgent tickets.
//!
//! The model, in short:
//! - arrivals follow an hourly profile in local time (weekday peaks 9–17, Monday busiest, few at
//!   night and at weekends), grow slowly over the history, and spike during the outage;
//! - phone and live chat are answered from a queue in seconds to minutes (with abandons);
//!   email, web and social tickets, and chats left outside office hours, are answered in
//!   business time (hours), faster for urgent tickets and gold customers, slower on Mondays;
//! - a conversation is the customer's first message, optional bot auto-reply, agent public
//!   replies, occasional internal notes and customer follow-ups, an optional escalation to
//!   Tier 2 (note, on hold, reply by the new assignee), a solve, sometimes a reopen, and an
//!   automatic close four days after the last solve;
//! - everything after the export instant is cut off, which leaves a realistic open backlog near
//!   the end; a few tickets stay stuck waiting on a customer or a third party;
//! - surveys are offered on solved tickets and answered about a third of the time, with scores
//!   that drop for slow, reopened and complaint tickets, and comments in the customer's language.
//!
//! Live chats are summarised as the customer's opening message, the agent's first answer and the
//! session's outcome; their in-session back-and-forth is not written as messages.
//!
//! Determinism: the output depends only on `(seed, tickets, weeks)`, never on the clock; the
//! history ends at a fixed date ([`END_DATE`]). Random numbers come from a private
//! xoshiro256++ generator, and all floating-point work uses only IEEE-exact operations (no
//! `exp`/`ln` from the platform's maths library), so native and wasm builds write the same bytes.

use crate::adapters::sort;
use crate::time::{self, civil_from_days, days_from_civil, Seconds};
use serde::Serialize;
use std::io::{self, Write};

/// What to generate.
#[derive(Debug, Clone)]
pub struct SampleSpec {
    /// Number of tickets.
    pub tickets: usize,
    /// PRNG seed: the same seed gives the same bytes.
    pub seed: u64,
    /// Weeks of history (1 to [`MAX_WEEKS`]; other values are clamped).
    pub weeks: u32,
}

impl Default for SampleSpec {
    fn default() -> Self {
        SampleSpec {
            tickets: 1_500,
            seed: 7,
            weeks: 8,
        }
    }
}

/// The envelope's `format` value.
pub const FORMAT: &str = "ticket-kpis/1";

/// The sample team's IANA timezone.
pub const TIMEZONE: &str = "Europe/Amsterdam";

/// The history ends at local midnight at the start of this day (a Monday), so it covers whole
/// weeks Monday–Sunday; the export is taken at 07:30 local that morning.
pub const END_DATE: (i64, u32, u32) = (2026, 3, 2);

/// The longest history the generator accepts, in weeks (ten years).
pub const MAX_WEEKS: u32 = 520;

/// Generates a canonical export (envelope with `dataset` and `tickets`) as JSON text.
pub fn generate_json(spec: &SampleSpec) -> String {
    let mut out = Vec::with_capacity(spec.tickets.saturating_mul(1_200).min(1 << 28) + 8_192);
    write_json(spec, &mut out).expect("writing to a Vec cannot fail");
    String::from_utf8(out).expect("the generator writes UTF-8")
}

/// Writes the envelope layout (as [`generate_json`]) to `out`, ticket by ticket, so very large
/// samples need no more memory than one buffer of tickets.
pub fn write_json(spec: &SampleSpec, out: &mut impl Write) -> io::Result<()> {
    let world = World::new(spec);
    let header = world.header_json();
    // The pretty header ends with "\n}": reopen it to append the tickets array.
    let open = header.strip_suffix("\n}").unwrap_or(&header);
    out.write_all(open.as_bytes())?;
    if spec.tickets == 0 {
        return out.write_all(b",\n  \"tickets\": []\n}\n");
    }
    out.write_all(b",\n  \"tickets\": [\n")?;
    world.write_tickets(out, b"    ", b",\n")?;
    out.write_all(b"\n  ]\n}\n")
}

/// Writes the same tickets as NDJSON: one ticket object per line, no envelope (so no dataset
/// context: every timestamp carries its offset).
pub fn write_ndjson(spec: &SampleSpec, out: &mut impl Write) -> io::Result<()> {
    let world = World::new(spec);
    if spec.tickets == 0 {
        return Ok(());
    }
    world.write_tickets(out, b"", b"\n")?;
    out.write_all(b"\n")
}

/// The export instant of every sample (`dataset.exported_at`), as UTC seconds: the "now" to
/// load it with.
pub fn exported_at() -> Seconds {
    let tz = time::parse_tz(TIMEZONE).expect("known timezone");
    let end_day = days_from_civil(END_DATE.0, END_DATE.1, END_DATE.2);
    time::local_to_utc(end_day * DAY + 7 * HOUR + 1_800, tz)
}

const HOUR: i64 = 3_600;
const DAY: i64 = 86_400;
/// Business day: 08:00–18:00 local.
const OPEN: i64 = 8 * HOUR;
const CLOSE: i64 = 18 * HOUR;

// ---------------------------------------------------------------------------------------------
// Random numbers.

fn splitmix(x: &mut u64) -> u64 {
    *x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *x;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// xoshiro256++ seeded through SplitMix64.
struct Rng([u64; 4]);

impl Rng {
    fn new(seed: u64) -> Rng {
        let mut x = seed;
        Rng([
            splitmix(&mut x),
            splitmix(&mut x),
            splitmix(&mut x),
            splitmix(&mut x),
        ])
    }

    fn next(&mut self) -> u64 {
        let s = &mut self.0;
        let out = s[0].wrapping_add(s[3]).rotate_left(23).wrapping_add(s[0]);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        out
    }

    /// Uniform in `[0, 1)`.
    fn f64(&mut self) -> f64 {
        (self.next() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform in `0..n` (`n > 0`).
    fn below(&mut self, n: u64) -> u64 {
        ((self.next() as u128 * n as u128) >> 64) as u64
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as u64) as i64
    }

    fn chance(&mut self, p: f64) -> bool {
        self.f64() < p
    }

    /// An index drawn with the given weights.
    fn pick(&mut self, weights: &[f64]) -> usize {
        let total: f64 = weights.iter().sum();
        let mut u = self.f64() * total;
        for (i, &w) in weights.iter().enumerate() {
            if u < w {
                return i;
            }
            u -= w;
        }
        weights.iter().rposition(|&w| w > 0.0).unwrap_or(0)
    }

    /// Approximately standard normal (Irwin–Hall with four uniforms; tails end at ±3.46).
    fn normal(&mut self) -> f64 {
        (self.f64() + self.f64() + self.f64() + self.f64() - 2.0) * 1.732_050_807_568_877_2
    }

    /// Log-normal around `median`; `spread` is the standard deviation in doublings.
    fn lognormal(&mut self, median: f64, spread: f64) -> f64 {
        median * exp2(spread * self.normal())
    }
}

/// `2^x` with only exactly-rounded operations, so every platform gives the same bits.
fn exp2(x: f64) -> f64 {
    let x = x.clamp(-60.0, 60.0);
    let k = x.floor();
    let y = (x - k) * std::f64::consts::LN_2;
    let mut e = 1.0;
    for n in (1..=13).rev() {
        e = 1.0 + e * y / n as f64;
    }
    e * f64::from_bits(((k as i64 + 1023) as u64) << 52)
}

// ---------------------------------------------------------------------------------------------
// Vocabulary.

#[derive(Clone, Copy, PartialEq, Eq)]
enum Channel {
    Email,
    Chat,
    Phone,
    Web,
    Social,
}

const CHANNELS: [Channel; 5] = [
    Channel::Email,
    Channel::Chat,
    Channel::Phone,
    Channel::Web,
    Channel::Social,
];

impl Channel {
    fn name(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Chat => "chat",
            Channel::Phone => "phone",
            Channel::Web => "web",
            Channel::Social => "social",
        }
    }
}

const PRIORITIES: [&str; 4] = ["low", "normal", "high", "urgent"];
/// How priority scales reply delays.
const PRIORITY_SPEED: [f64; 4] = [1.5, 1.0, 0.5, 0.2];

const LANGS: [&str; 4] = ["en", "nl", "tr", "fa"];
const LANG_WEIGHTS: [f64; 4] = [38.0, 30.0, 20.0, 12.0];

const TIERS: [&str; 3] = ["gold", "silver", "bronze"];
const TIER_WEIGHTS: [f64; 3] = [10.0, 30.0, 60.0];
const TIER_SPEED: [f64; 3] = [0.6, 0.85, 1.0];

const TEAMS: [&str; 3] = ["Tier 1", "Tier 2", "Billing"];
const TIER1: u8 = 0;
const TIER2: u8 = 1;
const BILLING: u8 = 2;

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum St {
    New,
    Open,
    Pending,
    OnHold,
    Solved,
    Closed,
}

impl St {
    fn name(self) -> &'static str {
        match self {
            St::New => "new",
            St::Open => "open",
            St::Pending => "pending",
            St::OnHold => "on_hold",
            St::Solved => "solved",
            St::Closed => "closed",
        }
    }
    fn resolved(self) -> bool {
        matches!(self, St::Solved | St::Closed)
    }
}

/// A topic: its tags, routing, weight, and a subject per language (en, nl, tr, fa).
struct Topic {
    tags: &'static [&'static str],
    team: u8,
    weight: f64,
    presales: bool,
    subject: [&'static str; 4],
}

const OUTAGE: usize = 11;
const BUG: usize = 5;

const TOPICS: [Topic; 12] = [
    Topic {
        tags: &["login"],
        team: TIER1,
        weight: 10.0,
        presales: false,
        subject: [
            "Cannot log in to my account",
            "Kan niet inloggen op mijn account",
            "Hesabıma giriş yapamıyorum",
            "نمی‌توانم وارد حسابم شوم",
        ],
    },
    Topic {
        tags: &["password"],
        team: TIER1,
        weight: 9.0,
        presales: false,
        subject: [
            "Password reset link does not arrive",
            "Wachtwoord-resetlink komt niet aan",
            "Şifre sıfırlama bağlantısı gelmiyor",
            "لینک بازیابی رمز عبور نمی‌رسد",
        ],
    },
    Topic {
        tags: &["billing", "invoice"],
        team: BILLING,
        weight: 9.0,
        presales: false,
        subject: [
            "Question about my invoice",
            "Vraag over mijn factuur",
            "Faturamla ilgili bir sorum var",
            "سؤال درباره صورتحساب من",
        ],
    },
    Topic {
        tags: &["billing", "refund"],
        team: BILLING,
        weight: 6.0,
        presales: false,
        subject: [
            "Refund request for my last order",
            "Verzoek om terugbetaling van mijn laatste bestelling",
            "Son siparişim için iade talebi",
            "درخواست بازپرداخت برای آخرین سفارشم",
        ],
    },
    Topic {
        tags: &["shipping"],
        team: TIER1,
        weight: 11.0,
        presales: false,
        subject: [
            "Where is my order?",
            "Waar blijft mijn bestelling?",
            "Siparişim nerede?",
            "سفارش من کجاست؟",
        ],
    },
    Topic {
        tags: &["bug"],
        team: TIER1,
        weight: 9.0,
        presales: false,
        subject: [
            "The app crashes when I open reports",
            "De app crasht bij het openen van rapporten",
            "Raporları açınca uygulama çöküyor",
            "برنامه هنگام باز کردن گزارش‌ها بسته می‌شود",
        ],
    },
    Topic {
        tags: &["feature-request"],
        team: TIER1,
        weight: 5.0,
        presales: false,
        subject: [
            "Feature request: export to Excel",
            "Suggestie: exporteren naar Excel",
            "Öneri: Excel'e aktarma",
            "پیشنهاد: خروجی گرفتن به اکسل",
        ],
    },
    Topic {
        tags: &["account"],
        team: TIER1,
        weight: 8.0,
        presales: false,
        subject: [
            "Please change the e-mail address on my account",
            "Graag mijn e-mailadres wijzigen",
            "Hesabımdaki e-posta adresini değiştirmek istiyorum",
            "لطفاً ایمیل حسابم را تغییر دهید",
        ],
    },
    Topic {
        tags: &["cancellation"],
        team: BILLING,
        weight: 4.0,
        presales: false,
        subject: [
            "I want to cancel my subscription",
            "Ik wil mijn abonnement opzeggen",
            "Aboneliğimi iptal etmek istiyorum",
            "می‌خواهم اشتراکم را لغو کنم",
        ],
    },
    Topic {
        tags: &["presales", "pricing"],
        team: TIER1,
        weight: 7.0,
        presales: true,
        subject: [
            "Which plan suits a team of 20?",
            "Welk abonnement past bij een team van 20?",
            "20 kişilik bir ekip için hangi paket uygun?",
            "کدام طرح برای یک تیم ۲۰ نفره مناسب است؟",
        ],
    },
    Topic {
        tags: &["presales", "order"],
        team: TIER1,
        weight: 8.0,
        presales: true,
        subject: [
            "Help with placing an order",
            "Hulp bij het plaatsen van een bestelling",
            "Sipariş vermek için yardım",
            "کمک برای ثبت سفارش",
        ],
    },
    Topic {
        tags: &["outage"],
        team: TIER2,
        weight: 1.0,
        presales: false,
        subject: [
            "Service is down",
            "Dienst is onbereikbaar",
            "Hizmete erişilemiyor",
            "سرویس از دسترس خارج است",
        ],
    },
];

/// First and last names per language (en, nl, tr, fa).
const FIRST_NAMES: [[&str; 12]; 4] = [
    [
        "Olivia", "Liam", "Emma", "Noah", "Amelia", "Oliver", "Sophie", "Jack", "Grace", "Harry",
        "Chloe", "Thomas",
    ],
    [
        "Sanne", "Bram", "Fleur", "Jesse", "Eva", "Thijs", "Anouk", "Ruben", "Iris", "Lars",
        "Noor", "Sem",
    ],
    [
        "Zeynep", "Emre", "Elif", "Burak", "Merve", "Can", "Esra", "Oğuz", "Büşra", "Kaan", "Gül",
        "Çağrı",
    ],
    [
        "مریم",
        "علی",
        "زهرا",
        "رضا",
        "نرگس",
        "حسین",
        "لیلا",
        "امیر",
        "پریسا",
        "مهدی",
        "شیرین",
        "کاوه",
    ],
];

const LAST_NAMES: [[&str; 12]; 4] = [
    [
        "Smith", "Johnson", "Brown", "Taylor", "Wilson", "Davies", "Evans", "Walker", "Wright",
        "Hughes", "Green", "Hall",
    ],
    [
        "de Jong", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "de Groot",
        "Bos", "Vos", "Peters",
    ],
    [
        "Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Aydın", "Özdemir", "Arslan",
        "Doğan", "Koç", "Kılıç",
    ],
    [
        "احمدی",
        "محمدی",
        "حسینی",
        "رضایی",
        "موسوی",
        "کریمی",
        "جعفری",
        "صادقی",
        "قاسمی",
        "هاشمی",
        "نوری",
        "رحیمی",
    ],
];

/// Survey comments per language: satisfied, neutral, dissatisfied.
const PRAISE: [[&str; 4]; 4] = [
    [
        "Quick and friendly help, thank you!",
        "Problem solved in minutes.",
        "Very helpful agent, clear explanation.",
        "Great service as always.",
    ],
    [
        "Snel en vriendelijk geholpen, bedankt!",
        "Probleem binnen een paar minuten opgelost.",
        "Heel behulpzame medewerker, duidelijke uitleg.",
        "Goede service zoals altijd.",
    ],
    [
        "Hızlı ve güler yüzlü destek, teşekkürler!",
        "Sorun birkaç dakikada çözüldü.",
        "Çok yardımcı bir temsilci, açık bir açıklama.",
        "Her zamanki gibi harika hizmet.",
    ],
    [
        "پشتیبانی سریع و دوستانه، ممنونم!",
        "مشکل در چند دقیقه حل شد.",
        "کارشناس بسیار کمک‌کننده بود و توضیح روشنی داد.",
        "مثل همیشه خدمات عالی.",
    ],
];

const NEUTRAL: [[&str; 2]; 4] = [
    [
        "Solved, but it took a while.",
        "OK, though I had to explain it twice.",
    ],
    [
        "Opgelost, maar het duurde even.",
        "Prima, al moest ik het twee keer uitleggen.",
    ],
    [
        "Çözüldü ama biraz uzun sürdü.",
        "İdare eder, iki kez anlatmam gerekti.",
    ],
    [
        "حل شد، ولی کمی طول کشید.",
        "بد نبود، ولی مجبور شدم دو بار توضیح بدهم.",
    ],
];

const COMPLAINTS: [[&str; 4]; 4] = [
    [
        "Took far too long to get an answer.",
        "The problem came back the next day.",
        "Nobody read my first message properly.",
        "Still not fixed, very disappointed.",
    ],
    [
        "Veel te lang op een antwoord gewacht.",
        "Het probleem was de volgende dag terug.",
        "Mijn eerste bericht werd niet goed gelezen.",
        "Nog steeds niet opgelost, erg teleurgesteld.",
    ],
    [
        "Yanıt almak çok uzun sürdü.",
        "Sorun ertesi gün yeniden ortaya çıktı.",
        "İlk mesajım dikkatle okunmadı.",
        "Hâlâ çözülmedi, çok hayal kırıklığına uğradım.",
    ],
    [
        "گرفتن پاسخ خیلی طول کشید.",
        "مشکل روز بعد دوباره برگشت.",
        "پیام اولم را با دقت نخواندند.",
        "هنوز حل نشده، خیلی ناامید شدم.",
    ],
];

/// The agent roster: id, name, team, languages spoken (bit per `LANGS` index), capacity.
struct AgentDef {
    id: &'static str,
    name: &'static str,
    team: u8,
    langs: u8,
    weight: f64,
}

const EN: u8 = 1;
const NL: u8 = 2;
const TR: u8 = 4;
const FA: u8 = 8;

const AGENTS: [AgentDef; 8] = [
    AgentDef {
        id: "A01",
        name: "Ayşe Yılmaz",
        team: TIER1,
        langs: TR | EN,
        weight: 1.0,
    },
    AgentDef {
        id: "A02",
        name: "Daan de Vries",
        team: TIER1,
        langs: NL | EN,
        weight: 1.0,
    },
    AgentDef {
        id: "A03",
        name: "سارا رحیمی",
        team: TIER1,
        langs: FA | EN,
        weight: 1.0,
    },
    AgentDef {
        id: "A04",
        name: "Emily Clark",
        team: BILLING,
        langs: EN,
        weight: 0.8,
    },
    AgentDef {
        id: "A05",
        name: "Mehmet Öztürk",
        team: TIER2,
        langs: TR | EN,
        weight: 1.0,
    },
    AgentDef {
        id: "A06",
        name: "Fatemeh Karimi",
        team: BILLING,
        langs: FA | NL | EN,
        weight: 1.0,
    },
    AgentDef {
        id: "A07",
        name: "Lotte Jansen",
        team: TIER2,
        langs: NL | EN,
        weight: 1.0,
    },
    AgentDef {
        id: "A08",
        name: "James Miller",
        team: TIER2,
        langs: EN,
        weight: 1.0,
    },
];

/// Days before the history each agent started (`None`: joins during the history).
const STARTED_BEFORE: [Option<i64>; 8] = [
    Some(1_180),
    Some(960),
    Some(410),
    Some(230),
    Some(1_650),
    Some(720),
    None,
    Some(2_100),
];
/// Agent that joins at 45 % of the history, agent that leaves at 60 %.
const JOINER: usize = 6;
const LEAVER: usize = 7;

/// Arrivals per local hour, relative: weekdays and weekends/holidays.
const WEEKDAY_HOURS: [f64; 24] = [
    0.12, 0.08, 0.06, 0.05, 0.06, 0.12, 0.30, 0.70, 1.50, 2.10, 2.30, 2.20, 1.70, 2.00, 2.10, 2.00,
    1.80, 1.30, 0.90, 0.75, 0.70, 0.55, 0.40, 0.22,
];
const WEEKEND_HOURS: [f64; 24] = [
    0.15, 0.10, 0.07, 0.05, 0.05, 0.07, 0.12, 0.20, 0.35, 0.50, 0.60, 0.65, 0.65, 0.60, 0.60, 0.60,
    0.55, 0.55, 0.55, 0.55, 0.50, 0.45, 0.35, 0.22,
];
/// Monday … Sunday.
const DAY_FACTOR: [f64; 7] = [1.30, 1.12, 1.05, 1.00, 0.92, 1.00, 0.85];

// ---------------------------------------------------------------------------------------------
// The world: calendar, clock, roster, customers.

/// UTC offsets of the team's timezone, one per UTC hour over the history (DST changes happen on
/// the hour in Europe/Amsterdam), so timestamps format without a timezone lookup each.
struct Clock {
    from: Seconds,
    offsets: Vec<i32>,
}

impl Clock {
    fn off(&self, t: Seconds) -> i64 {
        let i = (t - self.from)
            .div_euclid(HOUR)
            .clamp(0, self.offsets.len() as i64 - 1);
        self.offsets[i as usize] as i64
    }
    fn local(&self, t: Seconds) -> i64 {
        t + self.off(t)
    }
    /// The UTC instant of a local wall-clock time (used inside business hours only, far from
    /// the night-time DST changes).
    fn utc(&self, local: i64) -> Seconds {
        let o = self.off(local - self.off(local));
        let u = local - o;
        if self.off(u) == o {
            u
        } else {
            local - self.off(u)
        }
    }
}

fn weekday(day: i64) -> usize {
    (day + 3).rem_euclid(7) as usize
}

/// Easter Sunday (anonymous Gregorian algorithm), as a day number.
fn easter(y: i64) -> i64 {
    let a = y % 19;
    let b = y / 100;
    let c = y % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    days_from_civil(y, month as u32, day as u32)
}

/// Dutch public holidays of year `y` that close the office, with their names.
fn holidays_of(y: i64) -> Vec<(i64, &'static str)> {
    let e = easter(y);
    let kings = days_from_civil(y, 4, 27);
    let mut v = vec![
        (days_from_civil(y, 1, 1), "New Year's Day"),
        (e + 1, "Easter Monday"),
        (
            if weekday(kings) == 6 {
                kings - 1
            } else {
                kings
            },
            "King's Day",
        ),
        (e + 39, "Ascension Day"),
        (e + 50, "Whit Monday"),
        (days_from_civil(y, 12, 25), "Christmas Day"),
        (days_from_civil(y, 12, 26), "Boxing Day"),
    ];
    if y % 5 == 0 {
        v.push((days_from_civil(y, 5, 5), "Liberation Day"));
    }
    sort::sort_by(&mut v, |a, b| a.cmp(b));
    v
}

struct Agent {
    def: &'static AgentDef,
    start_day: i64,
    end_day: Option<i64>,
}

struct World {
    seed: u64,
    tickets: usize,
    weeks: u32,
    clock: Clock,
    start: Seconds,
    end: Seconds,
    exported: Seconds,
    start_day: i64,
    days: i64,
    holidays: Vec<(i64, &'static str)>,
    spike: (Seconds, Seconds),
    agents: Vec<Agent>,
    requesters: u64,
}

impl World {
    fn new(spec: &SampleSpec) -> World {
        let tz = time::parse_tz(TIMEZONE).expect("known timezone");
        let weeks = spec.weeks.clamp(1, MAX_WEEKS);
        let end_day = days_from_civil(END_DATE.0, END_DATE.1, END_DATE.2);
        let days = 7 * weeks as i64;
        let start_day = end_day - days;
        let start = time::local_to_utc(start_day * DAY, tz);
        let end = time::local_to_utc(end_day * DAY, tz);
        let exported = exported_at();
        let from = start - 2 * DAY;
        let hours = (exported + 40 * DAY - from) / HOUR;
        let offsets = (0..hours)
            .map(|h| time::offset_at(from + h * HOUR, tz) as i32)
            .collect();
        let clock = Clock { from, offsets };

        let (y0, _, _) = civil_from_days(start_day);
        let (y1, _, _) = civil_from_days(end_day + 60);
        let holidays: Vec<(i64, &str)> = (y0..=y1).flat_map(holidays_of).collect();

        let agents = AGENTS
            .iter()
            .enumerate()
            .map(|(i, def)| Agent {
                def,
                start_day: match STARTED_BEFORE[i] {
                    Some(before) => start_day - before,
                    None => start_day + days * 45 / 100,
                },
                end_day: (i == LEAVER).then_some(start_day + days * 60 / 100),
            })
            .collect();
        debug_assert!(AGENTS[JOINER].team == AGENTS[LEAVER].team);

        let mut world = World {
            seed: spec.seed,
            tickets: spec.tickets,
            weeks,
            clock,
            start,
            end,
            exported,
            start_day,
            days,
            holidays,
            spike: (0, 0),
            agents,
            requesters: (spec.tickets as u64 * 2 / 5).max(25),
        };
        // The outage: 10:00–15:00 on the first working day from 70 % into the history.
        let target = start_day + days * 7 / 10;
        let day = (target..end_day)
            .chain((start_day..target).rev())
            .find(|&d| world.is_workday(d))
            .unwrap_or(target);
        world.spike = (
            world.clock.utc(day * DAY + 10 * HOUR),
            world.clock.utc(day * DAY + 15 * HOUR),
        );
        world
    }

    fn is_holiday(&self, day: i64) -> bool {
        self.holidays.binary_search_by_key(&day, |h| h.0).is_ok()
    }

    fn is_workday(&self, day: i64) -> bool {
        weekday(day) < 5 && !self.is_holiday(day)
    }

    fn day_of(&self, t: Seconds) -> i64 {
        self.clock.local(t).div_euclid(DAY)
    }

    /// `t` plus `secs` of business time (Monday–Friday 08:00–18:00, holidays closed).
    fn add_business(&self, t: Seconds, secs: f64) -> Seconds {
        let mut rem = secs.max(1.0) as i64;
        let mut l = self.clock.local(t);
        loop {
            let day = l.div_euclid(DAY);
            let sod = l.rem_euclid(DAY);
            if !self.is_workday(day) || sod >= CLOSE {
                l = (day + 1) * DAY + OPEN;
                continue;
            }
            if sod < OPEN {
                l = day * DAY + OPEN;
                continue;
            }
            let avail = CLOSE - sod;
            if rem <= avail {
                l += rem;
                break;
            }
            rem -= avail;
            l = (day + 1) * DAY + OPEN;
        }
        self.clock.utc(l).max(t + 1)
    }

    /// Relative arrival rate in the UTC hour starting at `t`.
    fn arrival_weight(&self, t: Seconds) -> f64 {
        let local = self.clock.local(t);
        let day = local.div_euclid(DAY);
        let hour = (local.rem_euclid(DAY) / HOUR) as usize;
        let wd = weekday(day);
        let base = if self.is_holiday(day) {
            WEEKEND_HOURS[hour] * 1.1
        } else if wd >= 5 {
            WEEKEND_HOURS[hour] * DAY_FACTOR[wd]
        } else {
            WEEKDAY_HOURS[hour] * DAY_FACTOR[wd]
        };
        let progress = (t - self.start) as f64 / (self.end - self.start) as f64;
        let spike = if t >= self.spike.0 && t < self.spike.1 {
            3.5
        } else {
            1.0
        };
        base * (0.9 + 0.2 * progress) * spike
    }

    /// Creation instants of all tickets, sorted.
    fn arrivals(&self) -> Vec<Seconds> {
        let slots = ((self.end - self.start) / HOUR) as usize;
        let mut cdf = Vec::with_capacity(slots);
        let mut total = 0.0;
        for s in 0..slots {
            total += self.arrival_weight(self.start + s as i64 * HOUR);
            cdf.push(total);
        }
        let mut rng = Rng::new(self.seed ^ 0x0A11_1AA1_5EED_0001);
        let mut v: Vec<Seconds> = (0..self.tickets)
            .map(|_| {
                let u = rng.f64() * total;
                let s = cdf.partition_point(|&c| c <= u).min(slots - 1);
                self.start + s as i64 * HOUR + rng.below(HOUR as u64) as i64
            })
            .collect();
        sort::sort_by_key(&mut v, |&t| t);
        v
    }

    /// A requester's fixed traits: language index, tier index, first and last name indices.
    fn requester(&self, r: u64) -> (usize, usize, usize, usize) {
        let mut rng = Rng::new(self.seed ^ r.wrapping_mul(0xA24B_AED4_963E_E407) ^ 0xC0FFEE);
        let lang = rng.pick(&LANG_WEIGHTS);
        let tier = rng.pick(&TIER_WEIGHTS);
        (lang, tier, rng.below(12) as usize, rng.below(12) as usize)
    }

    fn active(&self, a: usize, day: i64) -> bool {
        let ag = &self.agents[a];
        ag.start_day <= day && ag.end_day.is_none_or(|e| day <= e)
    }

    /// An agent of `team` working on `day`, preferring speakers of the customer's language.
    fn pick_agent(&self, rng: &mut Rng, team: u8, day: i64, lang: usize) -> u8 {
        let mut w = [0.0; 8];
        for (i, a) in self.agents.iter().enumerate() {
            if a.def.team == team && self.active(i, day) {
                let speaks = a.def.langs & (1 << lang) != 0;
                w[i] = a.def.weight * if speaks { 3.0 } else { 1.0 };
            }
        }
        if w.iter().all(|&x| x == 0.0) {
            for (i, slot) in w.iter_mut().enumerate() {
                if self.active(i, day) {
                    *slot = 1.0;
                }
            }
        }
        rng.pick(&w) as u8
    }

    fn header_json(&self) -> String {
        let date = |d: i64| {
            let (y, m, dd) = civil_from_days(d);
            format!("{y:04}-{m:02}-{dd:02}")
        };
        let end_day = self.start_day + self.days;
        let mut exported = Vec::with_capacity(25);
        push_ts(&mut exported, &self.clock, self.exported);
        let open = || vec!["08:00-18:00"];
        let header = Header {
            format: FORMAT,
            dataset: DatasetOut {
                name: format!(
                    "Sample help desk ({} week{}, seed {})",
                    self.weeks,
                    if self.weeks == 1 { "" } else { "s" },
                    self.seed
                ),
                timezone: TIMEZONE,
                week_start: "monday",
                exported_at: String::from_utf8(exported).expect("ascii"),
                agents: self
                    .agents
                    .iter()
                    .map(|a| AgentOut {
                        id: a.def.id,
                        name: a.def.name,
                        team: TEAMS[a.def.team as usize],
                        start: date(a.start_day),
                        end: a.end_day.map(date),
                    })
                    .collect(),
                customers: CustomersOut {
                    active: (self.requesters * 3 / 2).div_ceil(10) * 10,
                },
                targets: TargetsOut {
                    frt: "1h",
                    resolution_time: "1d",
                    resolution_rate: "95%",
                    fcr: "70%",
                    csat: "90%",
                    sla: SlaOut {
                        business_hours: true,
                        first_reply: "8h",
                        next_reply: "8h",
                        resolution: "40h",
                        by_priority: ByPriority {
                            urgent: SlaLevel {
                                first_reply: "1h",
                                resolution: "8h",
                            },
                            high: SlaLevel {
                                first_reply: "4h",
                                resolution: "24h",
                            },
                            low: SlaLevel {
                                first_reply: "24h",
                                resolution: "80h",
                            },
                        },
                    },
                },
                benchmarks: vec![
                    BenchmarkOut {
                        kpi: "frt",
                        value: 12 * HOUR,
                        label: "Industry median, email",
                    },
                    BenchmarkOut {
                        kpi: "csat",
                        value: 85,
                        label: "Industry average",
                    },
                ],
                calendar: CalendarOut {
                    hours: WeekHours {
                        mon: open(),
                        tue: open(),
                        wed: open(),
                        thu: open(),
                        fri: open(),
                        sat: Vec::new(),
                        sun: Vec::new(),
                    },
                    holidays: self
                        .holidays
                        .iter()
                        .filter(|h| h.0 >= self.start_day && h.0 < end_day)
                        .map(|&(d, name)| HolidayOut {
                            date: date(d),
                            name,
                        })
                        .collect(),
                },
            },
        };
        serde_json::to_string_pretty(&header).expect("plain data serialises")
    }

    /// Writes every ticket, each preceded by `indent` and separated by `sep`.
    fn write_tickets(&self, out: &mut impl Write, indent: &[u8], sep: &[u8]) -> io::Result<()> {
        let arrivals = self.arrivals();
        let mut sim = Sim::new(self);
        let mut buf = Vec::with_capacity(1 << 17);
        for (i, &created) in arrivals.iter().enumerate() {
            if i > 0 {
                buf.extend_from_slice(sep);
            }
            buf.extend_from_slice(indent);
            sim.run(i as u64, created);
            sim.write(&mut buf, 10_001 + i as u64);
            if buf.len() >= 1 << 16 {
                out.write_all(&buf)?;
                buf.clear();
            }
        }
        out.write_all(&buf)
    }
}

// ---------------------------------------------------------------------------------------------
// The dataset header, serialised with serde_json (field order as declared).

#[derive(Serialize)]
struct Header {
    format: &'static str,
    dataset: DatasetOut,
}

#[derive(Serialize)]
struct DatasetOut {
    name: String,
    timezone: &'static str,
    week_start: &'static str,
    exported_at: String,
    agents: Vec<AgentOut>,
    customers: CustomersOut,
    targets: TargetsOut,
    benchmarks: Vec<BenchmarkOut>,
    calendar: CalendarOut,
}

#[derive(Serialize)]
struct AgentOut {
    id: &'static str,
    name: &'static str,
    team: &'static str,
    start: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    end: Option<String>,
}

#[derive(Serialize)]
struct CustomersOut {
    active: u64,
}

/// Targets per KPI key, as amounts with units ("1h", "95%").
#[derive(Serialize)]
struct TargetsOut {
    frt: &'static str,
    resolution_time: &'static str,
    resolution_rate: &'static str,
    fcr: &'static str,
    csat: &'static str,
    sla: SlaOut,
}

#[derive(Serialize)]
struct SlaOut {
    business_hours: bool,
    first_reply: &'static str,
    next_reply: &'static str,
    resolution: &'static str,
    by_priority: ByPriority,
}

#[derive(Serialize)]
struct ByPriority {
    urgent: SlaLevel,
    high: SlaLevel,
    low: SlaLevel,
}

#[derive(Serialize)]
struct SlaLevel {
    first_reply: &'static str,
    resolution: &'static str,
}

#[derive(Serialize)]
struct BenchmarkOut {
    kpi: &'static str,
    value: i64,
    label: &'static str,
}

/// Opening hours per weekday as `HH:MM-HH:MM` ranges; empty when closed.
#[derive(Serialize)]
struct WeekHours {
    mon: Vec<&'static str>,
    tue: Vec<&'static str>,
    wed: Vec<&'static str>,
    thu: Vec<&'static str>,
    fri: Vec<&'static str>,
    sat: Vec<&'static str>,
    sun: Vec<&'static str>,
}

#[derive(Serialize)]
struct HolidayOut {
    date: String,
    name: &'static str,
}

#[derive(Serialize)]
struct CalendarOut {
    hours: WeekHours,
    holidays: Vec<HolidayOut>,
}

// ---------------------------------------------------------------------------------------------
// One ticket's life.

#[derive(Clone, Copy, PartialEq, Eq)]
enum Author {
    Customer,
    Agent(u8),
    Note(u8),
    Bot,
}

struct Survey {
    at: Seconds,
    score: u8,
    comment: Option<&'static str>,
    nps: Option<u8>,
    effort: Option<u8>,
}

struct Queue {
    wait: i64,
    abandoned: bool,
    handle: Option<i64>,
}

/// Scratch state for simulating one ticket, reused across tickets.
struct Sim<'w> {
    w: &'w World,
    rng: Rng,
    created: Seconds,
    channel: Channel,
    priority: usize,
    lang: usize,
    tier: usize,
    requester: u64,
    names: (usize, usize),
    topic: usize,
    complaint: bool,
    tags: Vec<&'static str>,
    msgs: Vec<(Seconds, Author)>,
    hist: Vec<(Seconds, St)>,
    /// (when, assignee, team): routing and reassignments.
    assign: Vec<(Seconds, Option<u8>, u8)>,
    agent: Option<u8>,
    team: u8,
    escalated_at: Option<Seconds>,
    /// When the survey is sent (the final solve), if one is.
    survey_sent: Option<Seconds>,
    survey: Option<Survey>,
    queue: Option<Queue>,
    converted: Option<(bool, Option<u64>)>,
}

impl<'w> Sim<'w> {
    fn new(w: &'w World) -> Sim<'w> {
        Sim {
            w,
            rng: Rng::new(0),
            created: 0,
            channel: Channel::Email,
            priority: 1,
            lang: 0,
            tier: 2,
            requester: 0,
            names: (0, 0),
            topic: 0,
            complaint: false,
            tags: Vec::new(),
            msgs: Vec::new(),
            hist: Vec::new(),
            assign: Vec::new(),
            agent: None,
            team: TIER1,
            escalated_at: None,
            survey_sent: None,
            survey: None,
            queue: None,
            converted: None,
        }
    }

    fn status(&mut self, t: Seconds, st: St) {
        debug_assert!(self.hist.last().is_none_or(|h| h.0 <= t));
        if self.hist.last().map(|h| h.1) != Some(st) {
            self.hist.push((t, st));
        }
    }

    /// The agent acting at `t`: the assignee, or a new one when there is none or the assignee
    /// has left.
    fn touch(&mut self, t: Seconds) -> u8 {
        let day = self.w.day_of(t);
        match self.agent {
            Some(a) if self.w.active(a as usize, day) => a,
            _ => {
                let a = self.w.pick_agent(&mut self.rng, self.team, day, self.lang);
                self.agent = Some(a);
                self.assign.push((t, Some(a), self.team));
                a
            }
        }
    }

    fn reply(&mut self, t: Seconds) {
        let a = self.touch(t);
        self.msgs.push((t, Author::Agent(a)));
    }

    fn note(&mut self, t: Seconds) {
        let a = self.touch(t);
        self.msgs.push((t, Author::Note(a)));
    }

    /// Business-time delay around `median` seconds, scaled by priority, tier and load.
    fn delay(&mut self, median: f64, spread: f64, load: f64) -> f64 {
        let speed = PRIORITY_SPEED[self.priority] * TIER_SPEED[self.tier];
        self.rng.lognormal(median, spread) * speed * load
    }

    /// Simulates ticket number `i` created at `created`: its whole life, uncut.
    fn run(&mut self, i: u64, created: Seconds) {
        let w = self.w;
        self.rng = Rng::new(
            w.seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ i.wrapping_mul(0xD1B5_4A32_D192_ED03),
        );
        self.created = created;
        self.tags.clear();
        self.msgs.clear();
        self.hist.clear();
        self.assign.clear();
        self.agent = None;
        self.escalated_at = None;
        self.survey_sent = None;
        self.survey = None;
        self.queue = None;
        self.converted = None;

        let local = w.clock.local(created);
        let day = local.div_euclid(DAY);
        let hour = local.rem_euclid(DAY) / HOUR;
        let workday = w.is_workday(day);
        let live = workday && (8..18).contains(&hour);
        let phones = workday && (9..17).contains(&hour);
        let mix: [f64; 5] = if live {
            [30.0, 27.0, if phones { 15.0 } else { 0.0 }, 18.0, 10.0]
        } else if workday && hour >= 18 {
            [42.0, 14.0, 0.0, 26.0, 18.0]
        } else {
            [44.0, 10.0, 0.0, 28.0, 18.0]
        };
        let rng = &mut self.rng;
        self.channel = CHANNELS[rng.pick(&mix)];
        let in_spike = created >= w.spike.0 && created < w.spike.1;
        self.topic = if in_spike && rng.chance(0.65) {
            OUTAGE
        } else {
            let weights: [f64; 12] = std::array::from_fn(|k| TOPICS[k].weight);
            rng.pick(&weights)
        };
        let u = rng.f64();
        self.requester = ((w.requesters as f64 * u * u) as u64).min(w.requesters - 1);
        let (lang, tier, first, last) = w.requester(self.requester);
        (self.lang, self.tier, self.names) = (lang, tier, (first, last));
        let rng = &mut self.rng;
        self.priority = if self.topic == OUTAGE {
            rng.pick(&[0.0, 15.0, 50.0, 35.0])
        } else if self.channel == Channel::Phone {
            rng.pick(&[8.0, 52.0, 28.0, 12.0])
        } else {
            rng.pick(&[18.0, 56.0, 19.0, 7.0])
        };
        self.complaint = rng.chance(if self.topic == OUTAGE { 0.08 } else { 0.035 });
        if self.complaint && self.priority < 2 && rng.chance(0.5) {
            self.priority = 2;
        }
        let escalate = rng.chance([0.02, 0.05, 0.12, 0.25][self.priority])
            || (self.complaint && rng.chance(0.15));
        let topic = &TOPICS[self.topic];
        self.team = if self.topic == BUG && rng.chance(0.4) {
            TIER2
        } else {
            topic.team
        };
        self.tags.extend_from_slice(topic.tags);
        if self.tier == 0 {
            self.tags.push("vip");
        }
        if self.complaint {
            self.tags.push("complaint");
        }
        let load = if weekday(day) == 0 { 1.3 } else { 1.0 } * if in_spike { 2.5 } else { 1.0 };

        self.msgs.push((created, Author::Customer));
        self.hist.push((created, St::New));
        self.assign.push((created, None, self.team));

        // First contact.
        let live_queue = live && matches!(self.channel, Channel::Phone | Channel::Chat);
        let mut t; // the last agent action
        let mut solved_now = None;
        if live_queue {
            let phone = self.channel == Channel::Phone;
            let wait = self.rng.lognormal(if phone { 45.0 } else { 70.0 }, 1.4) * load;
            let wait = wait.clamp(1.0, 3_600.0);
            let p_abandon = 0.02 + 0.4 * wait / (wait + 600.0);
            if self.rng.chance(p_abandon) {
                let gave_up = ((wait * (0.05 + 0.95 * self.rng.f64())) as i64).max(1);
                self.queue = Some(Queue {
                    wait: gave_up,
                    abandoned: true,
                    handle: None,
                });
                if phone {
                    self.tags.push("callback");
                }
                if !self.rng.chance(0.6) {
                    // Nobody to call back (a wrong number, or the customer found the answer):
                    // solved without a reply, no survey.
                    let d = self.rng.lognormal(4.0 * 3600.0, 1.0);
                    let ts = w.add_business(created + gave_up, d);
                    self.touch(ts);
                    self.status(ts, St::Solved);
                    self.status(ts + 4 * DAY, St::Closed);
                    return;
                }
                let d = self.delay(5_400.0, 1.0, load);
                t = w.add_business(created + gave_up, d);
                self.reply(t);
                self.status(t, St::Pending);
            } else {
                let wait = wait as i64;
                let answered = created + wait;
                self.reply(answered);
                self.status(answered, St::Open);
                let handle = self
                    .rng
                    .lognormal(if phone { 360.0 } else { 540.0 }, 1.3)
                    .clamp(20.0, 7_200.0) as i64;
                self.queue = Some(Queue {
                    wait,
                    abandoned: false,
                    handle: Some(handle),
                });
                t = answered + handle;
                if self.rng.chance(0.74) && !escalate {
                    solved_now = Some(t + self.rng.range(20, 180));
                } else {
                    self.status(t, St::Pending);
                    // A written follow-up after the contact.
                    let d = self.delay(3.0 * 3600.0, 1.2, load);
                    t = w.add_business(t, d);
                    self.reply(t);
                }
            }
        } else {
            let (bot, median) = match self.channel {
                Channel::Email => (0.8, 2.0 * 3600.0),
                Channel::Web => (0.9, 1.75 * 3600.0),
                Channel::Social => (0.15, 3600.0),
                // A chat left outside office hours: the bot answers, a person next morning.
                _ => (1.0, 1_500.0),
            };
            if self.rng.chance(bot) {
                let at = created + self.rng.range(2, 60);
                self.msgs.push((at, Author::Bot));
            }
            let d = self.delay(median, 1.7, load);
            t = w.add_business(created, d);
            self.reply(t);
            self.status(t, St::Pending);
        }

        let ts = match solved_now {
            Some(ts) => ts,
            None => {
                // Escalation, internal notes, follow-ups.
                if escalate {
                    let at = w.add_business(t, self.rng.lognormal(1_800.0, 1.0));
                    self.note(at);
                    self.status(at, St::OnHold);
                    self.escalated_at = Some(at);
                    if self.team != TIER2 {
                        self.team = TIER2;
                        self.agent = None;
                    }
                    let d = self.delay(6.0 * 3600.0, 1.2, load);
                    t = w.add_business(at, d);
                    self.reply(t);
                    self.status(t, St::Pending);
                } else if self.rng.chance(0.12) {
                    // An internal note while working on it; the next step waits for it.
                    let at = w.add_business(t, self.rng.lognormal(1_200.0, 1.0));
                    self.note(at);
                    t = at;
                }
                let stuck = self.rng.chance(0.015);
                let rounds = match self.channel {
                    Channel::Chat | Channel::Phone => self.rng.pick(&[70.0, 22.0, 8.0]),
                    _ => self.rng.pick(&[52.0, 28.0, 13.0, 7.0]),
                };
                for _ in 0..rounds {
                    let tc = t + (self.rng.lognormal(4.0 * 3600.0, 2.0) as i64).max(60);
                    self.msgs.push((tc, Author::Customer));
                    self.status(tc, St::Open);
                    let d = self.delay(2.0 * 3600.0, 1.7, load);
                    t = w.add_business(tc, d);
                    self.reply(t);
                    self.status(t, St::Pending);
                }
                if stuck {
                    let wait = if self.escalated_at.is_some() {
                        St::OnHold
                    } else {
                        St::Pending
                    };
                    self.status(t, wait);
                    return;
                }
                t + self.rng.range(10, 600)
            }
        };
        self.touch(ts);
        self.status(ts, St::Solved);
        let first_solve = ts;
        let mut ts = ts;

        // Reopens.
        let mut p_reopen = if self.complaint { 0.15 } else { 0.06 };
        while self.rng.chance(p_reopen) {
            let tc = ts + self.rng.lognormal(26.0 * 3600.0, 1.7) as i64;
            self.msgs.push((tc, Author::Customer));
            self.status(tc, St::Open);
            let d = self.delay(2.0 * 3600.0, 1.7, 1.0);
            let t = w.add_business(tc, d);
            self.reply(t);
            ts = t + self.rng.range(10, 600);
            self.status(ts, St::Solved);
            p_reopen = 0.15;
        }
        self.status(ts + 4 * DAY, St::Closed);

        if topic.presales {
            let yes = self.rng.chance(0.4);
            let value = yes.then(|| (self.rng.lognormal(8_900.0, 1.3) as u64).max(500));
            self.converted = Some((yes, value));
        }

        // The survey, sent on the final solve.
        self.survey_sent = Some(ts);
        let answered = self.rng.chance(if self.tier == 0 { 0.38 } else { 0.30 });
        if answered {
            let first_reply = self
                .msgs
                .iter()
                .filter(|m| matches!(m.1, Author::Agent(_)))
                .map(|m| m.0)
                .min()
                .unwrap_or(created);
            let mut p = 0.9;
            if first_reply - created > 8 * HOUR {
                p -= 0.15;
            }
            if ts - created > 3 * DAY {
                p -= 0.1;
            }
            if ts != first_solve {
                p -= 0.25;
            }
            if self.complaint {
                p -= 0.4;
            }
            if self.escalated_at.is_some() {
                p -= 0.05;
            }
            let rng = &mut self.rng;
            let score = if rng.chance(p) {
                if rng.chance(0.7) {
                    5
                } else {
                    4
                }
            } else {
                [3u8, 2, 1][rng.pick(&[45.0, 25.0, 30.0])]
            };
            let comment = rng.chance(0.45).then(|| match score {
                4 | 5 => PRAISE[self.lang][rng.below(4) as usize],
                3 => NEUTRAL[self.lang][rng.below(2) as usize],
                _ => COMPLAINTS[self.lang][rng.below(4) as usize],
            });
            let nps = rng.chance(0.35).then(|| {
                if score >= 4 {
                    [10u8, 9, 8, 7][rng.pick(&[40.0, 35.0, 20.0, 5.0])]
                } else {
                    [7u8, 6, 5, 3, 1, 0][rng.pick(&[10.0, 20.0, 25.0, 20.0, 15.0, 10.0])]
                }
            });
            let effort = rng.chance(0.4).then(|| {
                if score >= 4 {
                    rng.range(5, 7) as u8
                } else {
                    rng.range(1, 4) as u8
                }
            });
            let at = ts + (rng.lognormal(3.0 * 3600.0, 1.9) as i64).max(30);
            self.survey = Some(Survey {
                at,
                score,
                comment,
                nps,
                effort,
            });
        }
    }

    /// Writes the ticket as seen at the export instant.
    fn write(&mut self, b: &mut Vec<u8>, number: u64) {
        let w = self.w;
        let x = w.exported;
        let c = &w.clock;
        sort::sort_by_key(&mut self.msgs, |m| m.0);
        self.msgs.retain(|m| m.0 <= x);
        self.hist.retain(|h| h.0 <= x);
        let status = self.hist.last().map_or(St::New, |h| h.1);
        let (assignee, team) = self
            .assign
            .iter()
            .rev()
            .find(|a| a.0 <= x)
            .map_or((None, self.team), |a| (a.1, a.2));
        let first_reply = self
            .msgs
            .iter()
            .find(|m| matches!(m.1, Author::Agent(_)))
            .map(|m| m.0);
        let agent_replies = self
            .msgs
            .iter()
            .filter(|m| matches!(m.1, Author::Agent(_)))
            .count();
        let first_solved = self.hist.iter().find(|h| h.1 == St::Solved).map(|h| h.0);
        let mut reopens = 0;
        let mut solved_at = None;
        let mut closed_at = None;
        for win in self.hist.windows(2) {
            if win[0].1.resolved() && !win[1].1.resolved() {
                reopens += 1;
            }
        }
        if status.resolved() {
            // The start of the final resolved stretch.
            for h in self.hist.iter().rev() {
                if !h.1.resolved() {
                    break;
                }
                if h.1 == St::Solved {
                    solved_at = Some(h.0);
                }
                if h.1 == St::Closed {
                    closed_at = Some(h.0);
                }
            }
        }

        b.extend_from_slice(b"{\"id\":\"T-");
        push_u64(b, number);
        b.extend_from_slice(b"\",\"created_at\":\"");
        push_ts(b, c, self.created);
        b.extend_from_slice(b"\",\"channel\":\"");
        b.extend_from_slice(self.channel.name().as_bytes());
        b.extend_from_slice(b"\",\"status\":\"");
        b.extend_from_slice(status.name().as_bytes());
        b.extend_from_slice(b"\",\"priority\":\"");
        b.extend_from_slice(PRIORITIES[self.priority].as_bytes());
        b.extend_from_slice(b"\",\"language\":\"");
        b.extend_from_slice(LANGS[self.lang].as_bytes());
        b.extend_from_slice(b"\",\"subject\":");
        push_str(b, TOPICS[self.topic].subject[self.lang]);
        b.extend_from_slice(b",\"requester\":{\"id\":\"C");
        let r = self.requester + 1;
        b.extend_from_slice(&b"0000"[..5usize.saturating_sub(digits(r))]);
        push_u64(b, r);
        b.extend_from_slice(b"\",\"name\":\"");
        b.extend_from_slice(FIRST_NAMES[self.lang][self.names.0].as_bytes());
        b.push(b' ');
        b.extend_from_slice(LAST_NAMES[self.lang][self.names.1].as_bytes());
        b.extend_from_slice(b"\",\"tier\":\"");
        b.extend_from_slice(TIERS[self.tier].as_bytes());
        b.extend_from_slice(b"\"}");
        if let Some(a) = assignee {
            b.extend_from_slice(b",\"assignee\":\"");
            b.extend_from_slice(AGENTS[a as usize].id.as_bytes());
            b.push(b'"');
        }
        b.extend_from_slice(b",\"team\":\"");
        b.extend_from_slice(TEAMS[team as usize].as_bytes());
        b.extend_from_slice(b"\",\"tags\":[");
        for (k, tag) in self.tags.iter().enumerate() {
            if k > 0 {
                b.push(b',');
            }
            b.push(b'"');
            b.extend_from_slice(tag.as_bytes());
            b.push(b'"');
        }
        b.push(b']');
        let stamp = |b: &mut Vec<u8>, key: &[u8], t: Option<Seconds>| {
            if let Some(t) = t {
                b.extend_from_slice(key);
                push_ts(b, c, t);
                b.push(b'"');
            }
        };
        stamp(b, b",\"first_reply_at\":\"", first_reply);
        stamp(b, b",\"first_solved_at\":\"", first_solved);
        stamp(b, b",\"solved_at\":\"", solved_at);
        stamp(b, b",\"closed_at\":\"", closed_at);
        b.extend_from_slice(b",\"reopens\":");
        push_u64(b, reopens);
        b.extend_from_slice(b",\"agent_replies\":");
        push_u64(b, agent_replies as u64);
        let escalated = self.escalated_at.is_some_and(|e| e <= x);
        b.extend_from_slice(if escalated {
            b",\"escalated\":true"
        } else {
            b",\"escalated\":false"
        });
        b.extend_from_slice(if self.complaint {
            b",\"complaint\":true"
        } else {
            b",\"complaint\":false"
        });

        b.extend_from_slice(b",\"messages\":[");
        for (k, &(at, author)) in self.msgs.iter().enumerate() {
            if k > 0 {
                b.push(b',');
            }
            b.extend_from_slice(b"{\"at\":\"");
            push_ts(b, c, at);
            match author {
                Author::Customer => b.extend_from_slice(b"\",\"author\":\"customer\"}"),
                Author::Bot => b.extend_from_slice(b"\",\"author\":\"bot\"}"),
                Author::Agent(a) | Author::Note(a) => {
                    b.extend_from_slice(b"\",\"author\":\"agent\",\"agent\":\"");
                    b.extend_from_slice(AGENTS[a as usize].id.as_bytes());
                    if matches!(author, Author::Note(_)) {
                        b.extend_from_slice(b"\",\"public\":false}");
                    } else {
                        b.extend_from_slice(b"\"}");
                    }
                }
            }
        }
        b.extend_from_slice(b"],\"status_history\":[");
        for (k, &(at, st)) in self.hist.iter().enumerate() {
            if k > 0 {
                b.push(b',');
            }
            b.extend_from_slice(b"{\"at\":\"");
            push_ts(b, c, at);
            b.extend_from_slice(b"\",\"status\":\"");
            b.extend_from_slice(st.name().as_bytes());
            b.extend_from_slice(b"\"}");
        }
        b.push(b']');

        let resolved_for_good = status.resolved() && self.survey_sent.is_some_and(|s| s <= x);
        if resolved_for_good {
            match self.survey.as_ref().filter(|s| s.at <= x) {
                Some(s) => {
                    b.extend_from_slice(b",\"satisfaction\":{\"score\":");
                    push_u64(b, s.score as u64);
                    b.extend_from_slice(b",\"scale\":5");
                    if let Some(text) = s.comment {
                        b.extend_from_slice(b",\"comment\":");
                        push_str(b, text);
                    }
                    b.extend_from_slice(b",\"at\":\"");
                    push_ts(b, c, s.at);
                    b.extend_from_slice(b"\"}");
                    if let Some(n) = s.nps {
                        b.extend_from_slice(b",\"nps\":");
                        push_u64(b, n as u64);
                    }
                    if let Some(e) = s.effort {
                        b.extend_from_slice(b",\"effort\":");
                        push_u64(b, e as u64);
                    }
                }
                None => b.extend_from_slice(b",\"satisfaction\":{\"offered\":true}"),
            }
        }
        if let Some(q) = &self.queue {
            b.extend_from_slice(b",\"queue\":{\"wait_seconds\":");
            push_u64(b, q.wait as u64);
            b.extend_from_slice(if q.abandoned {
                b",\"abandoned\":true"
            } else {
                b",\"abandoned\":false"
            });
            if let Some(h) = q.handle {
                b.extend_from_slice(b",\"handle_seconds\":");
                push_u64(b, h as u64);
            }
            b.push(b'}');
        }
        if let (Some((yes, value)), true) = (self.converted, status.resolved()) {
            b.extend_from_slice(if yes {
                b",\"converted\":true"
            } else {
                b",\"converted\":false"
            });
            if let Some(cents) = value {
                b.extend_from_slice(b",\"order_value\":");
                push_u64(b, cents / 100);
                b.push(b'.');
                b.push(b'0' + (cents % 100 / 10) as u8);
                b.push(b'0' + (cents % 10) as u8);
            }
        }
        b.push(b'}');
    }
}

// ---------------------------------------------------------------------------------------------
// Output primitives.

fn digits(mut n: u64) -> usize {
    let mut d = 1;
    while n >= 10 {
        n /= 10;
        d += 1;
    }
    d
}

fn push_u64(b: &mut Vec<u8>, n: u64) {
    let mut tmp = [0u8; 20];
    let mut i = tmp.len();
    let mut n = n;
    loop {
        i -= 1;
        tmp[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    b.extend_from_slice(&tmp[i..]);
}

/// A JSON string literal.
fn push_str(b: &mut Vec<u8>, s: &str) {
    b.push(b'"');
    for &c in s.as_bytes() {
        match c {
            b'"' => b.extend_from_slice(b"\\\""),
            b'\\' => b.extend_from_slice(b"\\\\"),
            0..=0x1f => {
                b.extend_from_slice(b"\\u00");
                b.push(b"0123456789abcdef"[(c >> 4) as usize]);
                b.push(b"0123456789abcdef"[(c & 15) as usize]);
            }
            _ => b.push(c),
        }
    }
    b.push(b'"');
}

/// An RFC 3339 timestamp with the team's offset at that instant: `2026-03-02T09:15:00+01:00`.
fn push_ts(b: &mut Vec<u8>, clock: &Clock, t: Seconds) {
    let off = clock.off(t);
    let local = t + off;
    let (y, m, d) = civil_from_days(local.div_euclid(DAY));
    let sod = local.rem_euclid(DAY);
    let two = |v: i64| [b'0' + (v / 10) as u8, b'0' + (v % 10) as u8];
    let y = y.clamp(0, 9_999);
    let mut s = [0u8; 25];
    s[..4].copy_from_slice(&[
        b'0' + (y / 1000) as u8,
        b'0' + (y / 100 % 10) as u8,
        b'0' + (y / 10 % 10) as u8,
        b'0' + (y % 10) as u8,
    ]);
    s[4] = b'-';
    s[5..7].copy_from_slice(&two(m as i64));
    s[7] = b'-';
    s[8..10].copy_from_slice(&two(d as i64));
    s[10] = b'T';
    s[11..13].copy_from_slice(&two(sod / HOUR));
    s[13] = b':';
    s[14..16].copy_from_slice(&two(sod % HOUR / 60));
    s[16] = b':';
    s[17..19].copy_from_slice(&two(sod % 60));
    s[19] = if off < 0 { b'-' } else { b'+' };
    let a = off.abs();
    s[20..22].copy_from_slice(&two(a / HOUR));
    s[22] = b':';
    s[23..25].copy_from_slice(&two(a % HOUR / 60));
    b.extend_from_slice(&s);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exp2_is_accurate() {
        for x in [-3.5f64, -1.0, -0.25, 0.0, 0.5, 1.0, 2.75, 10.0] {
            let rel = (exp2(x) - x.exp2()).abs() / x.exp2();
            assert!(rel < 1e-12, "exp2({x}) off by {rel}");
        }
    }

    #[test]
    fn easter_dates() {
        assert_eq!(easter(2024), days_from_civil(2024, 3, 31));
        assert_eq!(easter(2025), days_from_civil(2025, 4, 20));
        assert_eq!(easter(2026), days_from_civil(2026, 4, 5));
    }

    #[test]
    fn text_tables_need_no_escaping() {
        let mut all: Vec<&str> = Vec::new();
        for t in &TOPICS {
            all.extend(t.subject);
            all.extend(t.tags);
        }
        for l in 0..4 {
            all.extend(FIRST_NAMES[l]);
            all.extend(LAST_NAMES[l]);
            all.extend(PRAISE[l]);
            all.extend(NEUTRAL[l]);
            all.extend(COMPLAINTS[l]);
        }
        all.extend(AGENTS.iter().flat_map(|a| [a.id, a.name]));
        for s in all {
            let mut b = Vec::new();
            push_str(&mut b, s);
            assert_eq!(
                String::from_utf8(b).unwrap(),
                serde_json::to_string(s).unwrap()
            );
        }
    }

    #[test]
    fn timestamps_carry_the_local_offset() {
        let w = World::new(&SampleSpec {
            tickets: 0,
            seed: 1,
            weeks: 52,
        });
        let mut b = Vec::new();
        let summer = days_from_civil(2025, 7, 1) * DAY + 12 * HOUR;
        push_ts(&mut b, &w.clock, summer);
        push_ts(&mut b, &w.clock, w.exported);
        assert_eq!(
            String::from_utf8(b).unwrap(),
            "2025-07-01T14:00:00+02:002026-03-02T07:30:00+01:00"
        );
    }

    #[test]
    fn business_time_skips_nights_and_weekends() {
        let w = World::new(&SampleSpec::default());
        let local = |y, m, d, h: i64| w.clock.utc(days_from_civil(y, m, d) * DAY + h * HOUR);
        // Friday 17:00 + 2 h of business time = Monday 09:00.
        let fri = local(2026, 2, 27, 17);
        assert_eq!(w.add_business(fri, 7_200.0), local(2026, 3, 2, 9));
        // Saturday night + 30 min = Monday 08:30.
        let sat = local(2026, 2, 28, 23);
        assert_eq!(w.add_business(sat, 1_800.0), local(2026, 3, 2, 8) + 1_800);
    }
}
