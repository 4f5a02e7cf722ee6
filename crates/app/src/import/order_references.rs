//! Resolving what an order file's cells name: a customer the importer may edit (by id, or by
//! its exact name when only one such customer has it), that customer's contact, a salesperson
//! by username, a product by code (SKU) or id. Each distinct value is looked up once per
//! import.

use std::collections::HashMap;

use huike_store::customers::Customer;
use huike_store::products::Product;
use huike_store::users::User;
use huike_store::{Conn, Scope, StoreError, contacts, customers, products};

use crate::Actor;
use crate::error::AppResult;

/// Why a cell names nothing usable: its code and the reason in Chinese and English.
pub(crate) type Refusal = (&'static str, String, String);

/// What the file's references resolve to, looked up once per distinct value.
pub(crate) struct References {
    pub(crate) actor: Actor,
    users: Vec<User>,
    customers: HashMap<String, Result<Customer, Refusal>>,
    contacts: HashMap<String, Vec<contacts::Contact>>,
    products: HashMap<String, Option<Product>>,
}

impl References {
    pub(crate) async fn load(conn: &mut Conn, actor: &Actor) -> AppResult<References> {
        Ok(References {
            actor: actor.clone(),
            users: huike_store::users::list_all(conn).await?,
            customers: HashMap::new(),
            contacts: HashMap::new(),
            products: HashMap::new(),
        })
    }

    /// A customer the importer may edit, by id or by its exact name when only one such
    /// customer has it. One the importer may not edit is not found, as on the form.
    pub(crate) async fn customer(
        &mut self,
        conn: &mut Conn,
        v: &str,
    ) -> AppResult<Result<Customer, Refusal>> {
        if let Some(found) = self.customers.get(v) {
            return Ok(found.clone());
        }
        let scope = self.actor.edit_scope();
        let found = match editable(conn, &scope, v).await? {
            Some(c) => Ok(c),
            None => {
                let mut named = Vec::new();
                for id in customers::ids_with_name(conn, v).await? {
                    if let Some(c) = editable(conn, &scope, &id).await? {
                        named.push(c);
                    }
                }
                match named.len() {
                    1 => Ok(named.remove(0)),
                    0 => Err((
                        "unknown_customer",
                        format!(
                            "「客户」「{v}」不存在，或不是您可以下单的客户：请填写客户的完整名称或编号"
                        ),
                        format!(
                            "Customer \"{v}\" does not exist or is not one you may take orders for: give its exact name or id"
                        ),
                    )),
                    n => Err((
                        "ambiguous_customer",
                        format!("「客户」「{v}」对应 {n} 个客户：请改填客户编号"),
                        format!("Customer \"{v}\" names {n} customers: give its id instead"),
                    )),
                }
            }
        };
        self.customers.insert(v.to_string(), found.clone());
        Ok(found)
    }

    /// The customer's contact with this id or name (a name two of its contacts have is
    /// ambiguous).
    pub(crate) async fn contact(
        &mut self,
        conn: &mut Conn,
        customer_id: &str,
        v: &str,
    ) -> AppResult<Result<String, Refusal>> {
        if !self.contacts.contains_key(customer_id) {
            let list = contacts::for_customer(conn, customer_id).await?;
            self.contacts.insert(customer_id.to_string(), list);
        }
        let list = self
            .contacts
            .get(customer_id)
            .map_or(&[][..], Vec::as_slice);
        if let Some(k) = list.iter().find(|k| k.id == v) {
            return Ok(Ok(k.id.clone()));
        }
        let named: Vec<&contacts::Contact> = list.iter().filter(|k| k.name.trim() == v).collect();
        Ok(match named.as_slice() {
            [k] => Ok(k.id.clone()),
            // The order form's own refusal.
            [] => Err((
                "unknown_contact",
                "「联系人」不属于该客户。".to_string(),
                "That contact does not belong to this customer.".to_string(),
            )),
            _ => Err((
                "ambiguous_contact",
                format!(
                    "该客户有 {} 位联系人叫「{v}」：请改填联系人编号",
                    named.len()
                ),
                format!(
                    "{} contacts of this customer are called \"{v}\": give the contact's id instead",
                    named.len()
                ),
            )),
        })
    }

    /// An active user by username (any case) or id.
    pub(crate) fn salesperson(&self, v: &str) -> Option<&User> {
        self.users
            .iter()
            .filter(|u| u.active == 1)
            .find(|u| u.username.eq_ignore_ascii_case(v) || u.id == v)
    }

    pub(crate) fn department_of(&self, user_id: &str) -> Option<String> {
        self.users
            .iter()
            .find(|u| u.id == user_id)
            .and_then(|u| u.department_id.clone())
    }

    /// A product by its code (SKU) or id.
    pub(crate) async fn product(&mut self, conn: &mut Conn, v: &str) -> AppResult<Option<Product>> {
        if let Some(p) = self.products.get(v) {
            return Ok(p.clone());
        }
        let found = match products::find_by_sku(conn, v).await? {
            Some(p) => Some(p),
            None => match products::get(conn, v).await {
                Ok(p) => Some(p),
                Err(StoreError::NotFound) => None,
                Err(e) => return Err(e.into()),
            },
        };
        self.products.insert(v.to_string(), found.clone());
        Ok(found)
    }
}

/// The customer if `scope` may edit it.
async fn editable(conn: &mut Conn, scope: &Scope, id: &str) -> AppResult<Option<Customer>> {
    match customers::get(conn, scope, id).await {
        Ok(c) => Ok(Some(c)),
        Err(StoreError::NotFound) => Ok(None),
        Err(e) => Err(e.into()),
    }
}
