//! Words not to use (§8 服务禁用语): a checker over an editable list of phrases that push customers
//! away, each with its reason and a better wording, finding them in outgoing text despite
//! full-width forms, spaces or punctuation put between the characters, and returning the spans
//! to highlight (byte offsets into the original text).
//!
//! Matching works on a *normalised* copy of the text that remembers where each character came
//! from: full-width letters and digits become ASCII, letters are lowercased, and whitespace and
//! punctuation are dropped. "不 知 道", "不，知。道" and "不\u{3000}知\u{3000}道" therefore all read
//! 不知道, and "I  DON'T know" reads "idontknow".
//!
//! In a phrase, `*`, `×`, `…` or `...` stand for a short gap of any text (up to [`MAX_GAP`]
//! characters): "你找××部门吧" finds 你找财务部门吧, "可能是…吧" finds 可能是快递的问题吧.
//! A phrase that starts or ends with a Latin letter or digit only matches at word boundaries, so
//! "I'm busy" is not found in "him busy".

use std::collections::HashMap;

use crate::Lang;

/// Most characters a gap in a phrase may stand for.
pub const MAX_GAP: usize = 10;

/// One phrase not to use.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PhraseEntry {
    pub phrase: String,
    /// The language of the phrase (the checker looks for every entry in every text).
    pub lang: Lang,
    pub reason_zh: String,
    pub reason_en: String,
    pub better_zh: String,
    pub better_en: String,
    /// Longer wordings that contain the phrase innocently ("行不行" holds 不行, "不知道您对…"
    /// is a polite question): a match inside one of them is not reported.
    #[serde(default)]
    pub innocent: Vec<String>,
}

impl PhraseEntry {
    pub fn reason(&self, lang: Lang) -> &str {
        lang.pick(&self.reason_zh, &self.reason_en)
    }

    pub fn better(&self, lang: Lang) -> &str {
        lang.pick(&self.better_zh, &self.better_en)
    }
}

const COLD_ZH: &str = "冷冰冰的拒绝，让客户觉得被拒之门外、不受尊重";
const COLD_EN: &str = "A cold refusal: the customer feels shut out and not respected";
const VAGUE_ZH: &str = "含糊不确定的回答，客户会认为你在敷衍";
const VAGUE_EN: &str = "A vague answer: the customer will think you are brushing them off";
const IMPATIENT_ZH: &str = "不耐烦的说法，让客户觉得自己是个麻烦";
const IMPATIENT_EN: &str = "Impatience: the customer feels they are a nuisance";

/// The starting list, from the method's examples (§8); admins extend and edit it.
pub fn seed_phrases() -> Vec<PhraseEntry> {
    let e = |phrase: &str, lang, reason: (&str, &str), better: (&str, &str)| PhraseEntry {
        phrase: phrase.to_string(),
        lang,
        reason_zh: reason.0.to_string(),
        reason_en: reason.1.to_string(),
        better_zh: better.0.to_string(),
        better_en: better.1.to_string(),
        innocent: Vec::new(),
    };
    let innocent = |mut entry: PhraseEntry, contexts: &[&str]| {
        entry.innocent = contexts.iter().map(|c| c.to_string()).collect();
        entry
    };
    let cold = (COLD_ZH, COLD_EN);
    let vague = (VAGUE_ZH, VAGUE_EN);
    let impatient = (IMPATIENT_ZH, IMPATIENT_EN);
    let find_out = (
        "我帮您查一下，稍后给您准确的答复",
        "Let me find out and get back to you with a clear answer",
    );
    let with_you = (
        "我来和您一起想办法解决",
        "Let's work this out together; I'll help you",
    );
    let hand_over = (
        "我帮您联系负责的同事，并跟进到问题解决",
        "I'll put you in touch with the right colleague and follow it up until it's solved",
    );
    let walk_through = (
        "我一步一步带您操作一遍",
        "Let me walk you through it step by step",
    );
    let call_back = (
        "请稍等，我处理完手头的事马上专门回复您",
        "I'll come back to you on this as soon as I'm free, at a time that suits you",
    );
    use Lang::{En, ZhCn};
    vec![
        innocent(
            e("不知道", ZhCn, cold, find_out),
            &["不知道您", "不知道是否", "不知道方不方便"],
        ),
        innocent(
            e(
                "不行",
                ZhCn,
                cold,
                (
                    "这一点我们暂时做不到，不过可以这样……",
                    "We can't do that yet, but here is what we can do",
                ),
            ),
            &["行不行", "不行的话"],
        ),
        e("没办法", ZhCn, cold, with_you),
        e("你自己解决吧", ZhCn, cold, with_you),
        e("大概是吧", ZhCn, vague, find_out),
        e("可能是…吧", ZhCn, vague, find_out),
        e("我很忙", ZhCn, impatient, call_back),
        e("改天再说", ZhCn, impatient, call_back),
        e("这不是我负责的范围", ZhCn, impatient, hand_over),
        e("你找××部门吧", ZhCn, impatient, hand_over),
        e("你自己照着上面做就行了", ZhCn, impatient, walk_through),
        e("I don't know", En, cold, find_out),
        e("nothing I can do", En, cold, with_you),
        e("sort it out yourself", En, cold, with_you),
        e("I guess so", En, vague, find_out),
        e("I'm busy", En, impatient, call_back),
        e("not my job", En, impatient, hand_over),
        e("not my department", En, impatient, hand_over),
        e("read the manual", En, impatient, walk_through),
    ]
}

/// A phrase found: which entry, and the byte range of the original text to highlight (from its
/// first to its last character, including whatever was put between them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Hit {
    pub entry: usize,
    pub start: usize,
    pub end: usize,
}

impl Hit {
    /// The same span in characters (for front ends that count characters).
    pub fn char_range(&self, text: &str) -> (usize, usize) {
        let start = text.get(..self.start).map_or(0, |s| s.chars().count());
        let len = text
            .get(self.start..self.end)
            .map_or(0, |s| s.chars().count());
        (start, start + len)
    }
}

/// A character of the normalised text and the byte range it came from.
#[derive(Debug, Clone, Copy)]
struct NormChar {
    c: char,
    start: usize,
    end: usize,
}

/// Full-width ASCII as ASCII and the ideographic space as a space.
fn half_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

/// Characters dropped when normalising: whitespace, and punctuation of either width.
fn is_filler(c: char) -> bool {
    c.is_whitespace()
        || c.is_ascii_punctuation()
        || matches!(c,
            '\u{00A0}'..='\u{00BF}'      // Latin-1 punctuation and signs
            | '\u{00D7}' | '\u{00F7}'
            | '\u{2000}'..='\u{206F}'    // general punctuation: — “ ” ‘ ’ … ‧
            | '\u{3001}'..='\u{303F}'    // CJK punctuation: 、。〈〉《》「」『』【】〔〕
            | '\u{FE10}'..='\u{FE1F}'    // vertical forms
            | '\u{FE30}'..='\u{FE6F}'    // CJK compatibility and small forms
            | '\u{FF5F}'..='\u{FF65}'    // half-width CJK punctuation
            | '\u{30FB}')
}

fn norm_char(c: char) -> Option<char> {
    let c = half_width(c);
    if is_filler(c) {
        None
    } else {
        Some(c.to_ascii_lowercase())
    }
}

fn normalise_into(text: &str, out: &mut Vec<NormChar>) {
    out.clear();
    for (i, c) in text.char_indices() {
        if let Some(n) = norm_char(c) {
            out.push(NormChar {
                c: n,
                start: i,
                end: i + c.len_utf8(),
            });
        }
    }
}

fn is_word_char(c: char) -> bool {
    half_width(c).is_ascii_alphanumeric()
}

/// A compiled phrase: segments separated by gaps.
#[derive(Debug, Clone)]
struct Pattern {
    entry: usize,
    segments: Vec<Vec<char>>,
    word_start: bool,
    word_end: bool,
}

fn compile(entry: usize, phrase: &str) -> Option<Pattern> {
    let marked = phrase.replace("...", "*").replace(['×', '…', '⋯'], "*");
    let segments: Vec<Vec<char>> = marked
        .split('*')
        .map(|s| s.chars().filter_map(norm_char).collect::<Vec<char>>())
        .filter(|s| !s.is_empty())
        .collect();
    let first = *segments.first()?.first()?;
    let last = *segments.last()?.last()?;
    Some(Pattern {
        entry,
        word_start: first.is_ascii_alphanumeric(),
        word_end: last.is_ascii_alphanumeric(),
        segments,
    })
}

impl Pattern {
    /// Where the phrase ends (exclusive, in normalised characters) if it starts at `i`.
    fn match_at(&self, text: &[NormChar], i: usize) -> Option<usize> {
        let seg_at = |seg: &[char], at: usize| {
            text.get(at..at + seg.len())
                .is_some_and(|w| w.iter().zip(seg).all(|(a, b)| a.c == *b))
        };
        let (first, rest) = self.segments.split_first()?;
        if !seg_at(first, i) {
            return None;
        }
        let mut pos = i + first.len();
        for seg in rest {
            let found = (pos..=pos + MAX_GAP).find(|q| seg_at(seg, *q))?;
            pos = found + seg.len();
        }
        Some(pos)
    }
}

/// The checker: build once from the list, then check any number of texts.
#[derive(Debug, Clone)]
pub struct PhraseChecker {
    entries: Vec<PhraseEntry>,
    patterns: Vec<Pattern>,
    /// Patterns by their first normalised character, so each text is scanned once.
    by_first: HashMap<char, Vec<usize>>,
    /// Each entry's innocent wordings, normalised.
    innocent: Vec<Vec<Vec<char>>>,
}

/// Buffers reused between checks, so checking many messages does not allocate per message.
#[derive(Debug, Default)]
pub struct CheckScratch {
    norm: Vec<NormChar>,
}

impl PhraseChecker {
    /// Compiles the list; an entry whose phrase has no characters left after normalising (only
    /// spaces or punctuation) can never match and is ignored.
    pub fn new(entries: Vec<PhraseEntry>) -> PhraseChecker {
        let patterns: Vec<Pattern> = entries
            .iter()
            .enumerate()
            .filter_map(|(i, e)| compile(i, &e.phrase))
            .collect();
        let mut by_first: HashMap<char, Vec<usize>> = HashMap::new();
        for (pi, p) in patterns.iter().enumerate() {
            if let Some(c) = p.segments.first().and_then(|s| s.first()) {
                by_first.entry(*c).or_default().push(pi);
            }
        }
        let mut scratch = Vec::new();
        let innocent = entries
            .iter()
            .map(|e| {
                e.innocent
                    .iter()
                    .map(|w| {
                        normalise_into(w, &mut scratch);
                        scratch.iter().map(|n| n.c).collect::<Vec<char>>()
                    })
                    .filter(|w| !w.is_empty())
                    .collect()
            })
            .collect();
        PhraseChecker {
            entries,
            patterns,
            by_first,
            innocent,
        }
    }

    pub fn entries(&self) -> &[PhraseEntry] {
        &self.entries
    }

    pub fn entry(&self, hit: &Hit) -> Option<&PhraseEntry> {
        self.entries.get(hit.entry)
    }

    /// Every phrase found in `text`, by start then entry. Matches of one entry do not overlap.
    pub fn check(&self, text: &str) -> Vec<Hit> {
        let mut hits = Vec::new();
        self.check_into(text, &mut CheckScratch::default(), &mut hits);
        hits
    }

    /// [`PhraseChecker::check`] into `hits` (cleared first), reusing `scratch`.
    pub fn check_into(&self, text: &str, scratch: &mut CheckScratch, hits: &mut Vec<Hit>) {
        hits.clear();
        normalise_into(text, &mut scratch.norm);
        let norm = &scratch.norm;
        for i in 0..norm.len() {
            let Some(candidates) = self.by_first.get(&norm[i].c) else {
                continue;
            };
            for &pi in candidates {
                let p = &self.patterns[pi];
                let Some(end) = p.match_at(norm, i) else {
                    continue;
                };
                let (start_b, end_b) = (norm[i].start, norm[end - 1].end);
                if p.word_start
                    && text[..start_b]
                        .chars()
                        .next_back()
                        .is_some_and(is_word_char)
                {
                    continue;
                }
                if p.word_end && text[end_b..].chars().next().is_some_and(is_word_char) {
                    continue;
                }
                if self.inside_innocent(text, p.entry, norm, i, end) {
                    continue;
                }
                let overlaps_same = hits.iter().any(|h| h.entry == p.entry && h.end > start_b);
                if !overlaps_same {
                    hits.push(Hit {
                        entry: p.entry,
                        start: start_b,
                        end: end_b,
                    });
                }
            }
        }
        hits.sort_by_key(|h| (h.start, h.entry));
    }
}

impl PhraseChecker {
    /// Whether the match `norm[start..end]` lies inside one of its entry's innocent wordings,
    /// written as one run of text (spaces allowed, punctuation not: "不知道，您…" ends a
    /// sentence with the cold phrase and is reported).
    fn inside_innocent(
        &self,
        text: &str,
        entry: usize,
        norm: &[NormChar],
        start: usize,
        end: usize,
    ) -> bool {
        let Some(words) = self.innocent.get(entry) else {
            return false;
        };
        words.iter().any(|w| {
            let len = w.len();
            // Every placement of the wording that covers the whole match.
            let first = end.saturating_sub(len);
            (first..=start).any(|k| {
                k + len <= norm.len()
                    && k + len >= end
                    && norm[k..k + len].iter().map(|n| n.c).eq(w.iter().copied())
                    && norm[k..k + len].windows(2).all(|p| {
                        text.get(p[0].end..p[1].start)
                            .is_some_and(|gap| gap.chars().all(char::is_whitespace))
                    })
            })
        })
    }
}

impl Default for PhraseChecker {
    fn default() -> PhraseChecker {
        PhraseChecker::new(seed_phrases())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn found(checker: &PhraseChecker, text: &str) -> Vec<(String, String)> {
        checker
            .check(text)
            .iter()
            .map(|h| {
                (
                    checker.entry(h).unwrap().phrase.clone(),
                    text[h.start..h.end].to_string(),
                )
            })
            .collect()
    }

    /// A concrete instance of a phrase: gaps filled with some words.
    fn instance(phrase: &str) -> String {
        phrase.replace("××", "售后").replace('…', "快递的问题")
    }

    fn spaced(s: &str) -> String {
        s.chars()
            .map(|c| format!("{c} "))
            .collect::<String>()
            .trim_end()
            .to_string()
    }

    fn full_width(s: &str) -> String {
        // ASCII letters and marks to full width; between Chinese characters a full-width space.
        let mut out = String::new();
        for c in s.chars() {
            match c {
                '!'..='~' => out.push(char::from_u32(c as u32 + 0xFEE0).unwrap()),
                ' ' => out.push('\u{3000}'),
                c => {
                    out.push(c);
                    if !c.is_ascii() {
                        out.push('\u{3000}');
                    }
                }
            }
        }
        out.trim_end_matches('\u{3000}').to_string()
    }

    fn punctuated(s: &str) -> String {
        let marks = ['，', '。', '、', '…', '!', '-', '“', '”'];
        s.chars()
            .enumerate()
            .map(|(i, c)| format!("{c}{}", marks[i % marks.len()]))
            .collect::<String>()
            .trim_end_matches(marks)
            .to_string()
    }

    #[test]
    fn every_seed_phrase_is_found_plain_spaced_full_width_and_punctuated() {
        let checker = PhraseChecker::default();
        for (i, e) in checker.entries().iter().enumerate() {
            let plain = instance(&e.phrase);
            for (form, text) in [
                ("plain", plain.clone()),
                ("spaced", spaced(&plain)),
                ("full-width", full_width(&plain)),
                ("punctuated", punctuated(&plain)),
            ] {
                let wrapped = format!("您好，{text}，谢谢。");
                let hits = checker.check(&wrapped);
                let hit = hits.iter().find(|h| h.entry == i);
                assert!(
                    hit.is_some(),
                    "{} ({form}) not found in {wrapped:?}: {hits:?}",
                    e.phrase
                );
                let hit = hit.unwrap();
                // The span covers exactly the phrase as written, from first to last character.
                let span = &wrapped[hit.start..hit.end];
                assert_eq!(span, text.trim(), "{} ({form})", e.phrase);
            }
        }
    }

    #[test]
    fn spans_are_byte_offsets_into_the_original_with_char_ranges_for_front_ends() {
        let checker = PhraseChecker::default();
        let text = "王先生，这个我不 知道，您问问别人。";
        let hits = checker.check(text);
        assert_eq!(hits.len(), 1);
        let h = hits[0];
        assert_eq!(&text[h.start..h.end], "不 知道");
        assert_eq!(h.char_range(text), (7, 11));
        let e = checker.entry(&h).unwrap();
        assert_eq!(e.phrase, "不知道");
        assert!(e.reason(Lang::ZhCn).contains("冷冰冰"));
        assert!(e.better(Lang::En).contains("find out"));
    }

    #[test]
    fn several_phrases_and_repeats_are_all_reported_in_order() {
        let checker = PhraseChecker::default();
        let text = "不知道。我很忙，改天再说。真的不知道！";
        let got = found(&checker, text);
        assert_eq!(
            got,
            vec![
                ("不知道".to_string(), "不知道".to_string()),
                ("我很忙".to_string(), "我很忙".to_string()),
                ("改天再说".to_string(), "改天再说".to_string()),
                ("不知道".to_string(), "不知道".to_string()),
            ]
        );
    }

    #[test]
    fn the_method_s_own_example_sentences_are_caught() {
        let checker = PhraseChecker::default();
        let phrases =
            |t: &str| -> Vec<String> { found(&checker, t).into_iter().map(|(p, _)| p).collect() };
        assert_eq!(
            phrases("我很忙，改天再说这个问题吧"),
            vec!["我很忙", "改天再说"]
        );
        assert_eq!(
            phrases("这不是我负责的范围，你找客服部门吧"),
            vec!["这不是我负责的范围", "你找××部门吧"]
        );
        assert_eq!(
            phrases("产品有说明书，你自己照着上面做就行了"),
            vec!["你自己照着上面做就行了"]
        );
        assert_eq!(phrases("大概是吧……"), vec!["大概是吧"]);
        assert_eq!(
            phrases("没办法……你自己解决吧"),
            vec!["没办法", "你自己解决吧"]
        );
    }

    #[test]
    fn gaps_stand_for_a_few_characters_only() {
        let checker = PhraseChecker::default();
        assert_eq!(found(&checker, "你找财务部门吧").len(), 1);
        assert_eq!(found(&checker, "你找部门吧").len(), 1, "an empty gap");
        assert_eq!(found(&checker, "可能是仓库那边发错货了吧").len(), 1);
        // More than MAX_GAP characters between the parts: not the phrase.
        assert!(found(&checker, "可能是因为最近下雨天气不好路上车多所以晚了一点吧").is_empty());
    }

    #[test]
    fn english_phrases_respect_word_boundaries_and_case() {
        let checker = PhraseChecker::default();
        assert_eq!(found(&checker, "Sorry, I DON'T KNOW.").len(), 1);
        assert_eq!(found(&checker, "i dont know").len(), 1);
        assert_eq!(found(&checker, "Ｉ’ｍ ｂｕｓｙ").len(), 1);
        assert!(found(&checker, "Tell him busy days are over").is_empty());
        assert!(found(&checker, "I'm busybody-free").is_empty());
        assert!(found(&checker, "Please read the manuals section 3").is_empty());
        assert_eq!(found(&checker, "just read the manual!").len(), 1);
    }

    #[test]
    fn the_list_is_data_an_admin_extends() {
        let mut list = seed_phrases();
        list.push(PhraseEntry {
            phrase: "这是规定".into(),
            lang: Lang::ZhCn,
            reason_zh: "拿规定压人".into(),
            reason_en: "Hiding behind the rules".into(),
            better_zh: "我理解您的感受，我们看看能怎么处理".into(),
            better_en: "I understand; let's see what we can do".into(),
            innocent: Vec::new(),
        });
        list.push(PhraseEntry {
            phrase: " ，。 ".into(),
            ..list[0].clone()
        });
        let json = serde_json::to_string(&list).unwrap();
        let back: Vec<PhraseEntry> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, list);
        let checker = PhraseChecker::new(back);
        assert_eq!(found(&checker, "没有，这 是 规 定。").len(), 1);
        assert!(found(&checker, "，。").is_empty());
        let n = checker.entries().len();
        assert!(checker.check("这是规定").iter().all(|h| h.entry == n - 2));
        assert!(PhraseChecker::new(vec![]).check("不知道").is_empty());
    }

    /// Ordinary service sentences that share characters with the phrases (不, 知, 道, 行, 办,
    /// 法, 忙, 说, 负责, 部门, 说明书, 大概, 可能 …) but say none of them.
    const CLEAN: &[&str] = &[
        "您好，我知道您很着急，我马上帮您处理。",
        "我们已经知道问题所在，今天下午就派人上门。",
        "这个办法您看行得通吗？",
        "办法总比困难多，我们一起想想。",
        "我来负责跟进您的订单，有任何问题随时找我。",
        "售后部门的同事明天上午会联系您。",
        "说明书第三页有图示，我也可以带您一起看。",
        "大概三天之内送到，到时我提前通知您。",
        "可能需要两天，我每天告诉您进度。",
        "您说的情况我都记下了。",
        "我们的银行账户信息已发到您的邮箱。",
        "行李箱的轮子我们免费更换。",
        "这款产品在同行中口碑很好。",
        "请问您方便的时间是哪天？",
        "改进后的版本下个月上市，到时第一时间告诉您。",
        "我们很重视您的意见。",
        "感谢您一直以来的支持。",
        "忙完这一阵，我专门上门拜访您。",
        "不好意思让您久等了。",
        "不用担心，保修期内维修免费。",
        "这是您要的发票，请查收。",
        "我们会在规定时间内给您答复。",
        "您反映的问题我已经转给技术部门，并会跟进到底。",
        "我们的范围覆盖全市，都可以上门安装。",
        "天气转凉，祝您和家人身体健康。",
        "中秋快乐，感谢您的信任！",
        "道路施工，快递可能晚一天，我们已经在催了。",
        "知识库里有详细的操作视频，我发给您。",
        "行业展会下周开幕，诚邀您参加。",
        "我帮您查一下再给您准确答复。",
        "您自己操作时如果遇到问题，随时打给我。",
        "这个问题我来解决。",
        "我们不仅退款，还送您一张代金券。",
        "新品上市，老客户享受九折优惠。",
        "负责您这个片区的同事姓王。",
        "我先确认一下库存，十分钟后回电。",
        "说到做到，这是我们的承诺。",
        "您的建议非常好，我们会认真考虑。",
        "请放心，我们会一直为您服务。",
        "不管多晚，我都会把结果告诉您。",
        "我知道这给您添了麻烦，非常抱歉。",
        "您看周三上午九点可以吗？",
        "我们准备了三套方案供您选择。",
        "这批产品已经全部召回检查。",
        "Thank you for your patience, we know how frustrating this is.",
        "Let me check the manual for you and call you back.",
        "Our service department will contact you tomorrow.",
        "I know exactly what you mean; here is what we will do.",
        "Nothing is more important to us than your satisfaction.",
        "Please sort the parts by size before assembling; I can help.",
        "I can guess how annoying that was, and I'm sorry.",
        "We are busy preparing your replacement right now.",
        "It's my job to make sure this gets fixed.",
        "Let's read through the warranty terms together.",
    ];

    #[test]
    fn a_phrase_inside_an_innocent_wording_is_not_reported() {
        let checker = PhraseChecker::default();
        assert!(found(&checker, "您看这样行不行？").is_empty());
        assert!(found(&checker, "不知道您对这次服务是否满意？").is_empty());
        assert!(found(&checker, "不 知 道 您 方便吗").is_empty());
        // Punctuation inside the wording means two sentences: the cold phrase is reported.
        assert_eq!(found(&checker, "不知道，您问别人吧").len(), 1);
        // The bare phrase next to an innocent wording is still found.
        assert_eq!(
            found(&checker, "行不行？不行。"),
            vec![("不行".to_string(), "不行".to_string())]
        );
        assert_eq!(
            found(&checker, "不知道。"),
            vec![("不知道".to_string(), "不知道".to_string())]
        );
    }

    #[test]
    fn no_false_hit_on_clean_service_sentences() {
        assert!(CLEAN.len() >= 50);
        let checker = PhraseChecker::default();
        for s in CLEAN {
            assert_eq!(found(&checker, s), Vec::<(String, String)>::new(), "{s}");
        }
        // Checked one by one above, and as a single text too (no hits across sentences).
        assert!(checker.check(&CLEAN.concat()).is_empty());
    }

    #[test]
    fn check_into_reuses_buffers_and_agrees_with_check() {
        let checker = PhraseChecker::default();
        let mut scratch = CheckScratch::default();
        let mut hits = Vec::new();
        for s in CLEAN
            .iter()
            .chain(&["不知道", "你自己解决吧", "I don't know"])
        {
            checker.check_into(s, &mut scratch, &mut hits);
            assert_eq!(hits, checker.check(s));
        }
        assert_eq!(hits.len(), 1);
    }
}
