//! Feedback words for the "brand attributes" KPI: the most frequent words (and two-word
//! phrases) in satisfaction comments, stop-words removed per language.
//!
//! How a comment becomes words:
//! 1. **Lower-casing** follows the comment's language: in Turkish (`tr`) `I` → `ı` and `İ` → `i`;
//!    elsewhere `I` → `i`, and `İ` → `i` too (plain Unicode lower-casing would give `i` plus a
//!    combining dot, which then never matches the typed word).
//! 2. **Persian normalisation** (for any language, since it only touches Arabic-script
//!    letters): Arabic yeh and alef maksura `ي ى` → `ی`, Arabic kaf `ك` → `ک`, `ۀ` → `ه`; tatweel
//!    (`ـ`) and diacritics (harakat, superscript alef) are dropped. A zero-width non-joiner keeps
//!    a word together (`می‌خواهم` is one word); a ZWNJ-joined plural or comparative suffix
//!    (`‌ها`, `‌های`, `‌تر`, `‌ترین`, …) is cut, so `پاسخ‌ها` counts as `پاسخ`.
//! 3. **Splitting**: words are runs of letters and digits; everything else separates them.
//!    An apostrophe between letters stays inside English/Dutch words (`don't`, `zo'n`), except
//!    a trailing `'s` which is cut (`customer's` → `customer`, Dutch `auto's` → `auto`); in
//!    Turkish it starts a suffix that is cut (`Türkiye'de` → `türkiye`). Hyphens split.
//! 4. **Dropped**: words containing a digit (`24`, `2fa`, `۳`), one-letter words, and the
//!    stop-words of the comment's language (`en`, `tr`, `fa`, `nl`, read from the primary
//!    subtag of a code such as `en-US`); for any other or no language, the union of the four
//!    lists.
//!
//! Counts are occurrences, not comments (a comment saying "slow, slow" counts twice). Results
//! are ordered by count descending, then word ascending (by code point), so they are
//! deterministic. [`top_phrases`] counts two adjacent kept words separated only by white
//! space (a stop-word, a dropped token or punctuation breaks a phrase), and keeps phrases
//! seen at least twice: a phrase said once is not a pattern.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

/// A language with its own rules and stop-word list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    /// English.
    En,
    /// Turkish.
    Tr,
    /// Persian.
    Fa,
    /// Dutch.
    Nl,
    /// Anything else, or not given: ordinary lower-casing, the union of all stop-words.
    Other,
}

impl Lang {
    /// Reads a language code by its primary subtag (`tr`, `tr-TR`, `fa_IR`, `NL`, `eng`).
    pub fn from_code(code: Option<&str>) -> Lang {
        let Some(code) = code else {
            return Lang::Other;
        };
        let primary = code
            .trim()
            .split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        match primary.as_str() {
            "en" | "eng" => Lang::En,
            "tr" | "tur" => Lang::Tr,
            "fa" | "fas" | "per" | "pes" | "prs" => Lang::Fa,
            "nl" | "nld" | "dut" => Lang::Nl,
            _ => Lang::Other,
        }
    }
}

/// The `limit` most frequent words of `comments` (text, language code), as (word, count),
/// count descending then word ascending. See the module documentation for the rules.
pub fn top_terms(comments: &[(&str, Option<&str>)], limit: usize) -> Vec<(String, u64)> {
    let mut counts: HashMap<String, u64> = HashMap::new();
    for &(text, code) in comments {
        for word in words(text, code).into_iter().flatten() {
            *counts.entry(word).or_default() += 1;
        }
    }
    rank(counts, limit, 1)
}

/// The `limit` most frequent two-word phrases (`"slow reply"`) seen at least twice, ordered
/// like [`top_terms`].
pub fn top_phrases(comments: &[(&str, Option<&str>)], limit: usize) -> Vec<(String, u64)> {
    let mut counts: HashMap<String, u64> = HashMap::new();
    for &(text, code) in comments {
        let seq = words(text, code);
        for pair in seq.windows(2) {
            if let [Some(a), Some(b)] = pair {
                *counts.entry(format!("{a} {b}")).or_default() += 1;
            }
        }
    }
    rank(counts, limit, 2)
}

/// The kept words of one comment, in order, with `None` where a phrase must break (a dropped
/// word or punctuation).
pub fn words(text: &str, code: Option<&str>) -> Vec<Option<String>> {
    let lang = Lang::from_code(code);
    let stops = stop_words(lang);
    let mut out = Vec::new();
    for token in tokens(text, lang) {
        match token {
            Some(w) if !stops.contains(&w) => out.push(Some(w)),
            _ => {
                if out.last().is_some_and(|t| t.is_some()) {
                    out.push(None);
                }
            }
        }
    }
    if out.last() == Some(&None) {
        out.pop();
    }
    out
}

/// True when `word` (already normalised) is a stop-word of the language `code`.
pub fn is_stop_word(word: &str, code: Option<&str>) -> bool {
    stop_words(Lang::from_code(code)).contains(word)
}

fn rank(counts: HashMap<String, u64>, limit: usize, min: u64) -> Vec<(String, u64)> {
    let mut all: Vec<(String, u64)> = counts.into_iter().filter(|(_, n)| *n >= min).collect();
    all.sort_unstable_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    all.truncate(limit);
    all
}

const ZWNJ: char = '\u{200C}';

/// What a character does inside the tokenizer.
enum Class {
    /// Part of a word.
    Word,
    /// Ignored without splitting (tatweel, diacritics, zero-width joiner).
    Drop,
    /// Zero-width non-joiner: kept inside Persian words.
    Zwnj,
    /// An apostrophe (straight or typographic).
    Apostrophe,
    /// White space: separates words without breaking a phrase.
    Space,
    /// Anything else: separates words and breaks phrases.
    Punct,
}

fn class(c: char) -> Class {
    match c {
        '\u{0640}'                    // tatweel
        | '\u{064B}'..='\u{065F}'     // harakat
        | '\u{0670}'                  // superscript alef
        | '\u{0610}'..='\u{061A}'     // Arabic honorific marks
        | '\u{0307}'                  // combining dot above (from a decomposed İ)
        | '\u{200D}' => Class::Drop,
        ZWNJ => Class::Zwnj,
        '\'' | '\u{2019}' | '\u{2018}' | '\u{02BC}' => Class::Apostrophe,
        // Other combining marks belong to the letter before them.
        '\u{0300}'..='\u{036F}' => Class::Word,
        c if c.is_alphanumeric() => Class::Word,
        c if c.is_whitespace() => Class::Space,
        _ => Class::Punct,
    }
}

/// Lower-cases and normalises one character onto `out`.
fn push_normalised(c: char, lang: Lang, out: &mut String) {
    match c {
        'I' if lang == Lang::Tr => out.push('ı'),
        'İ' => out.push('i'),
        'ي' | 'ى' => out.push('ی'),
        'ك' => out.push('ک'),
        'ۀ' => out.push('ه'),
        _ => out.extend(c.to_lowercase()),
    }
}

/// Persian suffixes cut when joined by a ZWNJ: plural, comparative/superlative, and the
/// personal endings that turn an adjective into "I am …" / "its …".
const FA_SUFFIXES: [&str; 12] = [
    "ها", "های", "هایی", "هایم", "تر", "ترین", "ای", "ام", "اش", "شان", "مان", "تان",
];

/// Normalised tokens of `text`, `None` for a dropped token or a phrase break.
fn tokens(text: &str, lang: Lang) -> Vec<Option<String>> {
    let mut out = Vec::new();
    let mut cur = String::new();
    // True while skipping a Turkish suffix after an apostrophe.
    let mut skipping = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match class(c) {
            Class::Word => {
                if !skipping {
                    push_normalised(c, lang, &mut cur);
                }
            }
            Class::Drop => {}
            Class::Zwnj => {
                if !cur.is_empty() && !cur.ends_with(ZWNJ) && !skipping {
                    cur.push(ZWNJ);
                }
            }
            Class::Apostrophe => {
                let next_is_letter = chars.peek().is_some_and(|n| n.is_alphabetic());
                if cur.is_empty() || !next_is_letter || skipping {
                    finish(&mut cur, lang, &mut out);
                    skipping = false;
                    if !next_is_letter {
                        out.push(None);
                    }
                } else if lang == Lang::Tr {
                    skipping = true;
                } else {
                    cur.push('\'');
                }
            }
            Class::Space => {
                finish(&mut cur, lang, &mut out);
                skipping = false;
            }
            Class::Punct => {
                finish(&mut cur, lang, &mut out);
                skipping = false;
                out.push(None);
            }
        }
    }
    finish(&mut cur, lang, &mut out);
    out
}

/// Ends the current word: cuts suffixes, drops numbers and one-letter words.
fn finish(cur: &mut String, lang: Lang, out: &mut Vec<Option<String>>) {
    if cur.is_empty() {
        return;
    }
    let mut word = std::mem::take(cur);
    while word.ends_with(ZWNJ) {
        word.pop();
    }
    if lang != Lang::Tr && word.ends_with("'s") {
        word.truncate(word.len() - 2);
    }
    while let Some(i) = word.rfind(ZWNJ) {
        if FA_SUFFIXES.contains(&&word[i + ZWNJ.len_utf8()..]) {
            word.truncate(i);
        } else {
            break;
        }
    }
    let letters = word.chars().filter(|&c| c != ZWNJ && c != '\'').count();
    if letters < 2 || word.chars().any(|c| c.is_numeric()) {
        out.push(None);
    } else {
        out.push(Some(word));
    }
}

/// The stop-word set of a language (the union for [`Lang::Other`]), normalised with the same
/// rules as comments, built once.
fn stop_words(lang: Lang) -> &'static HashSet<String> {
    static SETS: OnceLock<[HashSet<String>; 5]> = OnceLock::new();
    let sets = SETS.get_or_init(|| {
        let build = |lang: Lang, list: &str| -> HashSet<String> {
            list.split_whitespace()
                .filter_map(|w| {
                    let mut s = String::new();
                    for c in w.chars() {
                        match class(c) {
                            Class::Drop => {}
                            _ => push_normalised(c, lang, &mut s),
                        }
                    }
                    (!s.is_empty()).then_some(s)
                })
                .collect()
        };
        let en = build(Lang::En, EN);
        let tr = build(Lang::Tr, TR);
        let fa = build(Lang::Fa, FA);
        let nl = build(Lang::Nl, NL);
        let all = en
            .iter()
            .chain(&tr)
            .chain(&fa)
            .chain(&nl)
            .cloned()
            .collect();
        [en, tr, fa, nl, all]
    });
    match lang {
        Lang::En => &sets[0],
        Lang::Tr => &sets[1],
        Lang::Fa => &sets[2],
        Lang::Nl => &sets[3],
        Lang::Other => &sets[4],
    }
}

// Stop-word lists: function words, pronouns, auxiliaries and fillers that say nothing about the
// service. Sentiment words ("good", "iyi", "خوب", "goed") and "thanks" are deliberately kept:
// they are what the brand-attributes view is about.

const EN: &str = "
about above after again against all almost also although am among an and any anyone anything
are aren't around as at be because been before being below between both but by can can't
cannot cant could couldn't did didn't didnt do does doesn't doesnt doing don't done dont down
during each either else even ever every few for from further get gets getting got had hadn't
has hasn't have haven't having he he's her here hers herself him himself his how however i'd
i'll i'm i've id if im in into is isn't isnt it it's its itself ive just let's lets me more
most much must mustn't my myself no nor not now of off often on once one only or other our ours
ourselves out over own per quite rather really same several she she's should shouldn't since
so some still such than that that's the their theirs them themselves then there there's these
they they'd they'll they're they've this those though through thus to too under until up upon
us very via was wasn't wasnt we we'd we'll we're we've were weren't what what's when where
which while who whom whose why will with within without won't wont would wouldn't yet you
you'd you'll you're you've your yours yourself yourselves
";

const TR: &str = "
acaba ama ancak artık aslında az bana bazen bazı belki ben bende benden beni benim bile bir
biraz birçok birkaç birşey bişey biz bize bizden bizi bizim bu buna bunda bundan bunlar
bunları bunların bunu bunun burada böyle bütün çok çünkü da daha dahi de defa değil diye
dolayı edildi edilen eder ederek ederim ediyor ediyorum en etmek etti ettim evet fakat gibi
göre halde hala hâlâ hangi hayır hem hemen hep hepsi her herkes hiç hiçbir için idi ile
ilgili iken ise işte kadar kendi kendine kendisi kez ki kim kime kimse lakin mi mı mu mü
nasıl ne neden nerede nereye niçin niye olan olarak oldu olduğu olduğunu olmak olması
olmayan olsun olur ona onlar onları onların onu onun öyle önce pek rağmen sadece sana sen
seni senin siz size sizden sizi sizin sonra şey şeyi şimdi şöyle şu şuna şunu tabii
tarafından tekrar tüm üzere var vardı ve veya ya yani yapmak yaptı yine yok yoktu zaten zira
";

const FA: &str = "
و در به از که این آن با را رو برای است بود بودم بودند بوده بودن شد شده شدن شدم شود شوند
هم تا یک یه ها های من تو او اون ما شما ایشان آنها اینها اونها می نمی هر همه چه چی چرا کی
کجا اگر اما ولی یا نیز باید نباید کرد کرده کردم کردن کردند کند کنم کنه کنید کنند کنیم
دارد داره دارم داریم دارند داشت داشتم هست هستم هستند هستید نیست نیستم بسیار خیلی خود
دیگر روی پس پیش بعد قبل بین مثل چون زیرا بر بی وی اش ام اند ایم اید خواهد خواهم نه بله
آره حتی فقط هنوز همین همان چند چیزی کسی هیچ آیا ای اینکه آنکه چطور چگونه کدام وقتی الان
اکنون سپس لطفا دادم داد داده دادن گفت گفتم گفته توی ازش بهش باهم میشه نمیشه میشود
می‌شود نمی‌شود می‌کنم می‌کند می‌کنند نمی‌کنم نمی‌کند
";

const NL: &str = "
aan al alle alleen alles als altijd andere ben bent bij daar daarna daarom dan dat de deze
die dit doch doen door dus echt een eens elk elke en er erg even geen geweest haar had hadden
heb hebben hebt heel heeft hem hen het hier hij hoe hun iemand iets ik in is ja je jij jou
jouw kan kon konden kunnen kunt maar me meer men met mij mijn moest moet moeten na naar nee
niet niets nog nu of om omdat ons onze ook op over reeds te tegen toch toen tot uit uw van
veel voor waar waarom wanneer want waren was wat we wel welke werd werden wie wij wil willen
word worden wordt zal ze zeer zelf zich zij zijn zo zo'n zoals zonder zou zouden zullen m'n
z'n
";

#[cfg(test)]
mod tests {
    use super::*;

    fn owned(v: &[(&str, u64)]) -> Vec<(String, u64)> {
        v.iter().map(|&(w, n)| (w.to_string(), n)).collect()
    }

    #[test]
    fn english() {
        let c = [
            // support agent helpful fast ("the", "was", "very", "and" are stop-words)
            ("The support agent was very helpful and fast!", Some("en")),
            // fast reply helpful agent thanks
            ("Fast reply, helpful agent. Thanks!", Some("en")),
            // agent solve problem slow reply ("didn't", "my" dropped)
            ("Agent didn't solve my problem; slow reply.", Some("en-US")),
            // slow reply ("again" dropped; "24" and "2FA" are numbers)
            ("Slow reply again: 24 hours for 2FA", Some("EN")),
        ];
        // agent 3, reply 3, fast 2, helpful 2, slow 2, then hours/problem/solve/support/thanks 1.
        assert_eq!(
            top_terms(&c, 7),
            owned(&[
                ("agent", 3),
                ("reply", 3),
                ("fast", 2),
                ("helpful", 2),
                ("slow", 2),
                ("hours", 1),
                ("problem", 1)
            ])
        );
        // "slow reply" twice; "support agent", "fast reply", "helpful agent" once each.
        assert_eq!(top_phrases(&c, 10), owned(&[("slow reply", 2)]));
        // Possessive 's is cut; "I" lower-cases to a one-letter word and is dropped.
        assert_eq!(
            top_terms(&[("I loved the agent's tone", Some("en"))], 5),
            owned(&[("agent", 1), ("loved", 1), ("tone", 1)])
        );
    }

    #[test]
    fn turkish() {
        let c = [
            // iyi hizmet hızlı ("çok" is a stop-word)
            ("İyi hizmet, çok hızlı!", Some("tr")),
            // hızlı iyi destek (Turkish I → ı, İ → i; "ve" dropped)
            ("HIZLI ve İYİ destek", Some("tr")),
            // destek ekibi ilgisiz ışık ("çok", "yok" dropped)
            ("Destek ekibi çok ilgisiz, IŞIK yok", Some("tr-TR")),
            // türkiye iyi destek (the suffix after the apostrophe is cut; "en" dropped)
            ("Türkiye'de en iyi destek", Some("tr")),
        ];
        assert_eq!(
            top_terms(&c, 10),
            owned(&[
                ("destek", 3),
                ("iyi", 3),
                ("hızlı", 2),
                ("ekibi", 1),
                ("hizmet", 1),
                ("ilgisiz", 1),
                ("türkiye", 1),
                ("ışık", 1)
            ])
        );
        // "iyi destek" twice ("iyi hizmet" and "destek ekibi" once).
        assert_eq!(top_phrases(&c, 10), owned(&[("iyi destek", 2)]));
        // The same capitals read as English: dotted i.
        assert_eq!(
            top_terms(&[("HIZLI İYİ", Some("en"))], 5),
            owned(&[("hizli", 1), ("iyi", 1)])
        );
    }

    #[test]
    fn persian() {
        let c = [
            // پشتیبانی خوب (Arabic yeh normalised; "خیلی", "بود" dropped)
            ("پشتيباني خيلي خوب بود", Some("fa")),
            // پشتیبانی سریع همیشه ("‌تر" cut; "از" dropped)
            ("پشتیبانی سریع‌تر از همیشه", Some("fa")),
            // کیفیت خوب پاسخ سریع (Arabic kaf/yeh, tatweel; "و" dropped)
            ("كيفيت خــوب و پاسخ سریع", Some("fa-IR")),
            // پاسخ دیر خوب ("‌ها" cut, damma dropped, Persian digits are a number)
            ("پاسخ‌ها دیر بود، ولی خُوب ۲ روز", Some("fa")),
        ];
        // Ties by code point: س (U+0633) < پ (U+067E); د (U+062F) < ر (U+0631) < ه (U+0647)
        // < ک (U+06A9).
        assert_eq!(
            top_terms(&c, 10),
            owned(&[
                ("خوب", 3),
                ("سریع", 2),
                ("پاسخ", 2),
                ("پشتیبانی", 2),
                ("دیر", 1),
                ("روز", 1),
                ("همیشه", 1),
                ("کیفیت", 1)
            ])
        );
        // A ZWNJ-joined verb stays one word and is a stop-word here; ي/ى and ك normalise.
        assert_eq!(
            words("می‌شود كمك", Some("fa")),
            vec![Some("کمک".to_string())]
        );
    }

    #[test]
    fn dutch() {
        let c = [
            // medewerker vriendelijk snel ("de", "was", "erg", "en" dropped)
            ("De medewerker was erg vriendelijk en snel", Some("nl")),
            // snelle reactie vriendelijk geholpen
            ("Snelle reactie, vriendelijk geholpen!", Some("nl")),
            // reactie vraag auto ("auto's" → auto; "geen", "op", "mijn", "over", "de" dropped)
            ("Geen reactie op mijn vraag over de auto's", Some("nl-BE")),
        ];
        assert_eq!(
            top_terms(&c, 10),
            owned(&[
                ("reactie", 2),
                ("vriendelijk", 2),
                ("auto", 1),
                ("geholpen", 1),
                ("medewerker", 1),
                ("snel", 1),
                ("snelle", 1),
                ("vraag", 1)
            ])
        );
        assert_eq!(top_phrases(&c, 10), Vec::<(String, u64)>::new());
        // "zo'n" keeps its apostrophe and is a stop-word.
        assert!(is_stop_word("zo'n", Some("nl")));
    }

    #[test]
    fn unknown_language_uses_every_list() {
        // "the", "was" (en), "çok" (tr), "en" (tr/nl), "و" (fa) all go; "I" → "i" is one letter.
        let c = [
            ("The service was goed en çok iyi و عالی", None),
            ("I x", Some("de")),
        ];
        assert_eq!(
            top_terms(&c, 10),
            owned(&[("goed", 1), ("iyi", 1), ("service", 1), ("عالی", 1)])
        );
        assert_eq!(Lang::from_code(Some("pt-BR")), Lang::Other);
        assert_eq!(Lang::from_code(Some("fa_IR")), Lang::Fa);
        assert_eq!(Lang::from_code(None), Lang::Other);
    }

    #[test]
    fn limits_and_ties_are_deterministic() {
        let c = [("beta alpha gamma beta", Some("en")), ("gamma", Some("en"))];
        assert_eq!(top_terms(&c, 0), Vec::<(String, u64)>::new());
        assert_eq!(top_terms(&c, 2), owned(&[("beta", 2), ("gamma", 2)]));
        assert_eq!(top_terms(&[], 5), Vec::<(String, u64)>::new());
    }

    #[test]
    fn stop_lists_have_a_useful_size() {
        for lang in [Lang::En, Lang::Tr, Lang::Fa, Lang::Nl] {
            let n = stop_words(lang).len();
            assert!((100..=260).contains(&n), "{lang:?}: {n}");
        }
    }
}
