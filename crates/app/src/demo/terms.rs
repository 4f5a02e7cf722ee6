//! Search-index rows for demo customers and contacts, made by the same key functions the app
//! uses when a record is saved, so demo data is found exactly as typed-in data is.

use huike_store::bulk::SearchTermRow;

use super::CustomerBundle;
use crate::search::{ContactKeysInput, CustomerKeysInput, contact_terms, customer_terms};

/// Appends the search terms of a customer and its contacts to `out`. The key functions
/// return each entity's terms sorted and unique, as the table's primary key needs.
pub fn search_terms_for(bundle: &CustomerBundle, out: &mut Vec<SearchTermRow>) {
    let c = &bundle.customer;
    let terms = customer_terms(&CustomerKeysInput {
        name: &c.name,
        phone: &c.phone,
        email: &c.email,
        wechat: &c.wechat,
        qq: &c.qq,
    });
    out.extend(terms.into_iter().map(|term| SearchTermRow {
        term,
        entity: "customer".to_string(),
        entity_id: c.id.clone(),
        owner_id: c.owner_id.clone(),
        department_id: c.department_id.clone(),
    }));
    for k in &bundle.contacts {
        let terms = contact_terms(&ContactKeysInput {
            name: &k.name,
            phone: &k.phone,
            email: &k.email,
            wechat: &k.wechat,
        });
        out.extend(terms.into_iter().map(|term| SearchTermRow {
            term,
            entity: "contact".to_string(),
            entity_id: k.id.clone(),
            owner_id: c.owner_id.clone(),
            department_id: c.department_id.clone(),
        }));
    }
}
