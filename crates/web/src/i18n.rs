//! Page text in zh-CN and English, from the locale files compiled into the binary.

use std::collections::HashMap;
use std::sync::OnceLock;

use huike_domain::Lang;

const ZH_CN: &str = include_str!("../locales/zh-CN.toml");
const EN: &str = include_str!("../locales/en.toml");

/// Flattens a locale file into `section.key → text`.
fn parse(src: &str) -> HashMap<String, String> {
    fn walk(prefix: &str, t: &toml::Table, out: &mut HashMap<String, String>) {
        for (k, v) in t {
            let key = if prefix.is_empty() {
                k.clone()
            } else {
                format!("{prefix}.{k}")
            };
            match v {
                toml::Value::Table(inner) => walk(&key, inner, out),
                toml::Value::String(s) => {
                    out.insert(key, s.clone());
                }
                // A locale file holds text only; anything else is a mistake the parity test finds.
                other => {
                    out.insert(key, other.to_string());
                }
            }
        }
    }
    let mut out = HashMap::new();
    match src.parse::<toml::Table>() {
        Ok(t) => walk("", &t, &mut out),
        Err(e) => tracing::error!(error = %e, "locale file does not parse"),
    }
    out
}

pub fn strings(lang: Lang) -> &'static HashMap<String, String> {
    static ZH: OnceLock<HashMap<String, String>> = OnceLock::new();
    static ENG: OnceLock<HashMap<String, String>> = OnceLock::new();
    match lang {
        Lang::ZhCn => ZH.get_or_init(|| parse(ZH_CN)),
        Lang::En => ENG.get_or_init(|| parse(EN)),
    }
}

/// The translator a page renders with.
#[derive(Debug, Clone, Copy)]
pub struct Tr {
    pub lang: Lang,
}

impl Tr {
    pub fn new(lang: Lang) -> Tr {
        Tr { lang }
    }

    /// The text for `key`; a missing key shows itself so it is noticed, never a blank.
    pub fn t<'a>(&self, key: &'a str) -> &'a str {
        match strings(self.lang).get(key) {
            Some(s) => s.as_str(),
            None => key,
        }
    }

    /// The text for `key` with `{n}` replaced.
    pub fn tn(&self, key: &str, n: i64) -> String {
        self.t(key).replace("{n}", &n.to_string())
    }

    pub fn code(&self) -> &'static str {
        self.lang.code()
    }

    pub fn is_zh(&self) -> bool {
        self.lang == Lang::ZhCn
    }

    /// A bilingual pair from the domain crate, picked for this page.
    pub fn pick<'a>(&self, zh: &'a str, en: &'a str) -> &'a str {
        self.lang.pick(zh, en)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every key used by a template or handler exists in both locales, and both locales hold
    /// the same keys: a page never shows a raw key in either language.
    #[test]
    fn locales_have_the_same_keys_and_cover_every_use() {
        let zh = parse(ZH_CN);
        let en = parse(EN);
        assert!(zh.len() > 50, "zh-CN locale parsed to {} keys", zh.len());
        let mut only_zh: Vec<_> = zh.keys().filter(|k| !en.contains_key(*k)).collect();
        let mut only_en: Vec<_> = en.keys().filter(|k| !zh.contains_key(*k)).collect();
        only_zh.sort();
        only_en.sort();
        assert!(only_zh.is_empty(), "keys missing in en.toml: {only_zh:?}");
        assert!(
            only_en.is_empty(),
            "keys missing in zh-CN.toml: {only_en:?}"
        );
        for (k, v) in &zh {
            assert!(!v.trim().is_empty(), "empty zh-CN text for {k}");
        }
        let mut used = Vec::new();
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/templates");
        collect_uses(std::path::Path::new(dir), &mut used);
        collect_uses(
            std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/src/pages")),
            &mut used,
        );
        assert!(used.len() > 50, "found only {} uses", used.len());
        let mut missing: Vec<_> = used.iter().filter(|k| !zh.contains_key(*k)).collect();
        missing.sort();
        missing.dedup();
        assert!(missing.is_empty(), "keys used but not defined: {missing:?}");
    }

    fn collect_uses(dir: &std::path::Path, out: &mut Vec<String>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                collect_uses(&p, out);
                continue;
            }
            let Ok(text) = std::fs::read_to_string(&p) else {
                continue;
            };
            for pat in [".t(\"", ".tn(\""] {
                let mut rest = text.as_str();
                while let Some(i) = rest.find(pat) {
                    rest = &rest[i + pat.len()..];
                    if let Some(end) = rest.find('"') {
                        out.push(rest[..end].to_string());
                    }
                }
            }
        }
    }
}
