//! Search: which keys index a customer or contact (names, their tails, pinyin full and
//! initials in every reading, phone digits forwards and reversed, e-mail), and the one-box
//! query that finds them.

use huike_domain::{name_keys, text_keys};
use huike_store::contacts::{self, ContactFilter};
use huike_store::customers::{self, CustomerFilter, CustomerSort};
use huike_store::search::{self, Hit};
use huike_store::{Conn, Paging};

use crate::views::{ContactRow, CustomerRow, SearchHit, SearchResults};
use crate::{Actor, App, AppResult};

/// How many starting positions of a name are indexed, so "华信" finds 北京华信科技有限公司.
const MAX_TAIL_STARTS: usize = 12;
/// Pinyin keys for tails are indexed for the first few positions only (bounded growth).
const MAX_PINYIN_TAILS: usize = 6;
/// Longest name read as a person's name (compound surname plus a two-character given name).
const MAX_PERSON_NAME: usize = 4;
/// Pinyin readings kept for a name longer than a person's (company names).
const MAX_LONG_NAME_VARIANTS: usize = 4;
/// Marks reversed phone digits, so a suffix search is a prefix search.
pub const REVERSED_PHONE: char = '~';

fn lower(s: &str) -> String {
    s.trim().to_lowercase()
}

/// Half-width, lowercase, without spaces: the form terms and queries share.
pub fn normalize_query(q: &str) -> String {
    q.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            _ => c,
        })
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_lowercase()
}

fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

fn push_phone(terms: &mut Vec<String>, phone: &str) {
    let d = digits(phone);
    if d.len() >= 3 {
        terms.push(d.clone());
        terms.push(format!(
            "{REVERSED_PHONE}{}",
            d.chars().rev().collect::<String>()
        ));
        // Numbers stored with a country code are also found without it.
        if let Some(national) = d.strip_prefix("86").filter(|n| n.len() == 11) {
            terms.push(national.to_string());
        }
    }
}

fn push_email(terms: &mut Vec<String>, email: &str) {
    let e = lower(email);
    if !e.is_empty() {
        terms.push(e);
    }
}

fn push_keys(terms: &mut Vec<String>, keys: huike_domain::NameKeys) {
    terms.push(keys.full);
    terms.push(keys.initials);
    terms.extend(keys.variants);
    terms.extend(keys.variant_initials);
}

/// Tails of a name (every start position, bounded) so a word inside the name is a prefix.
fn push_tails(
    terms: &mut Vec<String>,
    name: &str,
    pinyin: impl Fn(&str) -> huike_domain::NameKeys,
) {
    let norm = normalize_query(name);
    let chars: Vec<char> = norm.chars().collect();
    for start in 0..chars.len().min(MAX_TAIL_STARTS) {
        let tail: String = chars[start..].iter().collect();
        if start < MAX_PINYIN_TAILS && !tail.is_ascii() {
            let mut keys = pinyin(&tail);
            if start == 0 {
                if chars.len() > MAX_PERSON_NAME {
                    // A long name keeps its preferred reading and the closest alternatives
                    // (variants come fewest-changed-characters first), not all sixteen.
                    keys.variants.truncate(MAX_LONG_NAME_VARIANTS);
                    keys.variant_initials.truncate(MAX_LONG_NAME_VARIANTS);
                }
                push_keys(terms, keys);
            } else {
                // A word inside the name in its preferred reading only: every reading of
                // every tail multiplied the index (~150 keys per company, most of them
                // readings of 有限公司 nobody types) for queries nobody makes.
                terms.push(keys.full);
                terms.push(keys.initials);
            }
        }
        terms.push(tail);
    }
}

pub struct CustomerKeysInput<'a> {
    pub name: &'a str,
    pub phone: &'a str,
    pub email: &'a str,
    pub wechat: &'a str,
    pub qq: &'a str,
}

pub fn customer_terms(c: &CustomerKeysInput<'_>) -> Vec<String> {
    let mut terms = Vec::new();
    push_tails(&mut terms, c.name, text_keys);
    // A person's name read as a name: surnames take their surname readings. Only names as
    // short as a person's: a company read as a name gives 16 more readings nobody types.
    if normalize_query(c.name).chars().count() <= MAX_PERSON_NAME {
        push_keys(&mut terms, name_keys(c.name));
    }
    push_phone(&mut terms, c.phone);
    push_email(&mut terms, c.email);
    push_email(&mut terms, c.wechat);
    push_phone(&mut terms, c.qq);
    finish(terms)
}

pub struct ContactKeysInput<'a> {
    pub name: &'a str,
    pub phone: &'a str,
    pub email: &'a str,
    pub wechat: &'a str,
}

pub fn contact_terms(k: &ContactKeysInput<'_>) -> Vec<String> {
    let mut terms = Vec::new();
    push_keys(&mut terms, name_keys(k.name));
    let norm = normalize_query(k.name);
    terms.push(norm.clone());
    // The given name alone (张三 → 三, san) finds a contact whose surname was not typed.
    let given: String = norm.chars().skip(1).collect();
    if !given.is_empty() {
        terms.push(given.clone());
        push_keys(&mut terms, text_keys(&given));
    }
    push_phone(&mut terms, k.phone);
    push_email(&mut terms, k.email);
    push_email(&mut terms, k.wechat);
    finish(terms)
}

fn finish(mut terms: Vec<String>) -> Vec<String> {
    for t in terms.iter_mut() {
        *t = normalize_query(t);
    }
    terms.retain(|t| !t.is_empty() && t.chars().count() <= 200);
    terms.sort();
    terms.dedup();
    terms
}

pub async fn index_customer(
    conn: &mut Conn,
    c: &huike_store::customers::Customer,
) -> AppResult<()> {
    let terms = customer_terms(&CustomerKeysInput {
        name: &c.name,
        phone: &c.phone,
        email: &c.email,
        wechat: &c.wechat,
        qq: &c.qq,
    });
    search::replace_terms(conn, "customer", &c.id, &c.id, &terms).await?;
    Ok(())
}

pub async fn index_contact(conn: &mut Conn, k: &huike_store::contacts::Contact) -> AppResult<()> {
    let terms = contact_terms(&ContactKeysInput {
        name: &k.name,
        phone: &k.phone,
        email: &k.email,
        wechat: &k.wechat,
    });
    search::replace_terms(conn, "contact", &k.id, &k.customer_id, &terms).await?;
    Ok(())
}

/// The prefixes a query is looked up by.
pub fn query_prefixes(q: &str) -> Vec<String> {
    let norm = normalize_query(q);
    if norm.is_empty() {
        return Vec::new();
    }
    let d = digits(&norm);
    let phone_like = d.len() >= 3
        && norm
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '+' | '-' | '(' | ')'));
    if phone_like {
        let reversed: String = d.chars().rev().collect();
        vec![d, format!("{REVERSED_PHONE}{reversed}")]
    } else {
        vec![norm]
    }
}

/// Most matching keys one query reads: ten pages of results or so (a record often matches
/// by several keys), after which the page says there are more and a longer query narrows
/// it. A rep's search walks the keys until this many are theirs, about twenty times as many
/// at a million customers: 2,000 made a two-letter search by a rep take over 100 ms, 500
/// still 60 ms on PostgreSQL.
const HIT_CAP: i64 = 200;

/// Finds customers and contacts the actor may see. Exact matches come first, then matches
/// in term order; customers before contacts on ties.
pub async fn search(app: &App, actor: &Actor, q: &str, paging: Paging) -> AppResult<SearchResults> {
    let Paging { page, per_page } = paging;
    let prefixes = query_prefixes(q);
    let mut conn = app.conn().await?;
    // Narrowed once here: the term walk and both record lookups below then share it instead
    // of each asking again whether anything is shared with a rep.
    let scope = actor.scope().narrowed(&mut conn).await?;
    let hits = search::find(&mut conn, &scope, &prefixes, HIT_CAP).await?;
    let more = hits.len() as i64 >= HIT_CAP;
    let ranked = rank(hits, &prefixes);
    let total = ranked.len() as i64;
    let start = ((page - 1) * per_page).max(0) as usize;
    let window: Vec<&Hit> = ranked.iter().skip(start).take(per_page as usize).collect();
    let customer_ids: Vec<String> = window
        .iter()
        .filter(|h| h.entity == "customer")
        .map(|h| h.entity_id.clone())
        .collect();
    let contact_ids: Vec<String> = window
        .iter()
        .filter(|h| h.entity == "contact")
        .map(|h| h.entity_id.clone())
        .collect();
    let found_customers = if customer_ids.is_empty() {
        Vec::new()
    } else {
        let filter = CustomerFilter {
            ids: Some(customer_ids),
            ..Default::default()
        };
        // `list_all`: the page's records by id, without a total nobody reads.
        customers::list_all(
            &mut conn,
            &scope,
            &filter,
            CustomerSort::Name,
            false,
            per_page,
        )
        .await?
    };
    let found_contacts = if contact_ids.is_empty() {
        Vec::new()
    } else {
        let filter = ContactFilter {
            ids: Some(contact_ids),
            ..Default::default()
        };
        contacts::list_all(&mut conn, &scope, &filter, per_page).await?
    };
    let now = app.clock.now_ms();
    let items = window
        .iter()
        .filter_map(|h| match h.entity.as_str() {
            "customer" => found_customers
                .iter()
                .find(|c| c.id == h.entity_id)
                .cloned()
                .map(|c| {
                    SearchHit::Customer(CustomerRow::of(
                        c,
                        actor.lang,
                        now,
                        app.settings.stale_days,
                    ))
                }),
            _ => found_contacts
                .iter()
                .find(|c| c.id == h.entity_id)
                .cloned()
                .map(|k| SearchHit::Contact(ContactRow::of(k, actor.lang))),
        })
        .collect();
    Ok(SearchResults {
        query: q.to_string(),
        items,
        total,
        more,
        page,
        per_page,
    })
}

/// One hit per record, best first: a term equal to the query beats a longer term.
fn rank(hits: Vec<Hit>, prefixes: &[String]) -> Vec<Hit> {
    let mut best: std::collections::HashMap<(String, String), (u8, usize, Hit)> =
        std::collections::HashMap::new();
    for h in hits {
        let exact = u8::from(!prefixes.contains(&h.term));
        let len = h.term.chars().count();
        let key = (h.entity.clone(), h.entity_id.clone());
        match best.get(&key) {
            Some((e, l, _)) if (*e, *l) <= (exact, len) => {}
            _ => {
                best.insert(key, (exact, len, h));
            }
        }
    }
    let mut v: Vec<(u8, usize, Hit)> = best.into_values().collect();
    v.sort_by(|a, b| {
        (
            a.0,
            a.1,
            a.2.entity.as_str(),
            a.2.term.as_str(),
            a.2.entity_id.as_str(),
        )
            .cmp(&(
                b.0,
                b.1,
                b.2.entity.as_str(),
                b.2.term.as_str(),
                b.2.entity_id.as_str(),
            ))
    });
    v.into_iter().map(|(_, _, h)| h).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_contact_is_indexed_by_pinyin_full_initials_and_phone_tail() {
        let t = contact_terms(&ContactKeysInput {
            name: "张三",
            phone: "138-1234-5678",
            email: "San.Zhang@Example.com",
            wechat: "",
        });
        for want in [
            "张三",
            "zhangsan",
            "zs",
            "13812345678",
            "~87654321831",
            "san.zhang@example.com",
            "三",
            "san",
        ] {
            assert!(t.contains(&want.to_string()), "missing {want} in {t:?}");
        }
    }

    #[test]
    fn a_phone_query_looks_up_both_directions() {
        assert_eq!(
            query_prefixes("5678"),
            vec!["5678".to_string(), "~8765".to_string()]
        );
        assert_eq!(query_prefixes(" ZS "), vec!["zs".to_string()]);
        assert_eq!(query_prefixes("ｚｓ"), vec!["zs".to_string()]);
        assert!(query_prefixes("   ").is_empty());
    }

    #[test]
    fn a_company_name_has_a_bounded_number_of_keys() {
        let t = customer_terms(&CustomerKeysInput {
            name: "潍坊市旺锦日用品有限公司",
            phone: "0536-29209459",
            email: "",
            wechat: "",
            qq: "",
        });
        // Was ~150 when every reading of every tail was indexed.
        assert!(t.len() <= 40, "{} keys: {t:?}", t.len());
        for want in [
            "wangjinriyongpinyouxiangongsi",
            "wjrypyxgs",
            "旺锦日用品有限公司",
        ] {
            assert!(t.contains(&want.to_string()), "missing {want}");
        }
        assert!(t.iter().any(|x| x.starts_with("weifang")));
    }

    #[test]
    fn a_company_is_found_by_a_word_inside_its_name() {
        let t = customer_terms(&CustomerKeysInput {
            name: "北京华信科技有限公司",
            phone: "",
            email: "",
            wechat: "",
            qq: "",
        });
        assert!(t.iter().any(|x| x.starts_with("华信")));
        assert!(t.iter().any(|x| x.starts_with("huaxin")));
        assert!(t.iter().any(|x| x.starts_with("hx")));
        assert!(t.iter().any(|x| x.starts_with("bjhx")));
    }
}
