//! What the bench asks for, taken from the data itself: customer ids each user may open, and
//! search queries (names, pinyin, phone tails) of real customers and contacts.

use huike_domain::name_keys;
use serde_json::Value;

use crate::workload::Clients;

#[derive(Debug, Default)]
pub struct Samples {
    /// Per user (in `Clients` order), customers that user may see.
    pub customer_ids: Vec<Vec<String>>,
    pub names: Vec<String>,
    pub initials: Vec<String>,
    pub full_pinyin: Vec<String>,
    pub phone_suffixes: Vec<String>,
    /// Catalogue products, for the orders the write scenario saves.
    pub product_ids: Vec<String>,
}

fn items(v: &Value) -> Vec<Value> {
    v.get("items")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

fn text(v: &Value, key: &str) -> String {
    v.get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

fn push_unique(list: &mut Vec<String>, s: String) {
    if !s.is_empty() && !list.contains(&s) {
        list.push(s);
    }
}

pub async fn collect(clients: &Clients) -> anyhow::Result<Samples> {
    let mut s = Samples::default();
    // Several orders and pages, so ids and names come from all over the data set.
    let customer_pages = [
        "/api/v1/customers?per_page=100&sort=updated&dir=desc",
        "/api/v1/customers?per_page=100&sort=created&page=7",
        "/api/v1/customers?per_page=100&sort=region&dir=desc&page=3",
    ];
    for user in 0..clients.users.len() {
        let mut ids = Vec::new();
        for page in customer_pages {
            for c in items(&clients.get_json(user, page).await?) {
                push_unique(&mut ids, text(&c, "id"));
                if user == 0 {
                    let name = text(&c, "name");
                    if text(&c, "kind") == "organization" {
                        // A company by its start, and by a word inside ("旺锦" in
                        // 潍坊市旺锦日用品有限公司).
                        let chars: Vec<char> = name.chars().collect();
                        push_unique(&mut s.names, chars.iter().take(4).collect());
                        push_unique(&mut s.names, chars.iter().skip(3).take(2).collect());
                    } else {
                        push_unique(&mut s.names, name);
                    }
                }
            }
        }
        s.customer_ids.push(ids);
    }
    let contact_pages = [
        "/api/v1/contacts?per_page=100&sort=customer&dir=desc",
        "/api/v1/contacts?per_page=100&personality=taciturn&page=4",
        "/api/v1/contacts?per_page=100&buying_role=user&page=9",
    ];
    for page in contact_pages {
        for k in items(&clients.get_json(0, page).await?) {
            let name = text(&k, "name");
            let phone: String = text(&k, "phone")
                .chars()
                .filter(char::is_ascii_digit)
                .collect();
            if phone.len() >= 4 {
                push_unique(&mut s.phone_suffixes, phone[phone.len() - 4..].to_string());
            }
            // Honorifics (王先生) carry no given name; skip them for pinyin.
            if name.ends_with("先生") || name.ends_with("女士") {
                continue;
            }
            let keys = name_keys(&name);
            push_unique(&mut s.names, name);
            push_unique(&mut s.initials, keys.initials);
            push_unique(&mut s.full_pinyin, keys.full);
        }
    }
    for p in items(&clients.get_json(0, "/api/v1/products?per_page=50").await?) {
        push_unique(&mut s.product_ids, text(&p, "id"));
    }
    Ok(s)
}
