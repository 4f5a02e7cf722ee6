//! Roles and who may see and change what: visibility becomes a store [`Scope`].

use huike_domain::Lang;
use huike_store::Scope;

use crate::error::{AppError, AppResult};

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Manager,
    Sales,
    Service,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Admin, Role::Manager, Role::Sales, Role::Service];

    pub fn code(&self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Manager => "manager",
            Role::Sales => "sales",
            Role::Service => "service",
        }
    }

    pub fn from_code(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == s)
    }

    pub fn label(&self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Role::Admin, Lang::ZhCn) => "管理员",
            (Role::Manager, Lang::ZhCn) => "主管",
            (Role::Sales, Lang::ZhCn) => "销售",
            (Role::Service, Lang::ZhCn) => "客服",
            (Role::Admin, Lang::En) => "Admin",
            (Role::Manager, Lang::En) => "Manager",
            (Role::Sales, Lang::En) => "Sales rep",
            (Role::Service, Lang::En) => "Service agent",
        }
    }
}

/// The logged-in user a request acts for.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: String,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub department_id: Option<String>,
    pub lang: Lang,
}

impl Actor {
    /// Customers this actor may see. Service agents take complaints from any customer, so
    /// they see all (but may not change the archive, see [`Actor::edit_scope`]).
    pub fn scope(&self) -> Scope {
        match self.role {
            Role::Admin | Role::Service => Scope::All,
            Role::Manager => match &self.department_id {
                Some(d) => Scope::Department(d.clone()),
                None => Scope::Nothing,
            },
            Role::Sales => Scope::Rep(self.user_id.clone()),
        }
    }

    /// Whether the actor may change the archive: create, edit and delete customers and
    /// contacts, take and edit orders, import. Service agents read the archive and log calls
    /// on the timeline, but do not change it. Every other role may change every record it
    /// sees ([`Actor::edit_scope`] is then its [`Actor::scope`]), so this one flag is what the
    /// pages read to offer or hide the new, edit and delete links and buttons.
    pub fn can_edit_archive(&self) -> bool {
        self.role != Role::Service
    }

    /// Customers this actor may change: those it sees, when it may change the archive.
    pub fn edit_scope(&self) -> Scope {
        if self.can_edit_archive() {
            self.scope()
        } else {
            Scope::Nothing
        }
    }

    /// A record missing from the actor's edit scope: "forbidden" when they can see it but not
    /// change it (service agents see every customer), "not found" otherwise, so probing ids
    /// reveals nothing. One mapping for every record an edit looks up.
    pub(crate) fn not_editable(&self, e: huike_store::StoreError) -> crate::AppError {
        match e {
            huike_store::StoreError::NotFound if !self.can_edit_archive() => {
                crate::AppError::Forbidden
            }
            other => other.into(),
        }
    }

    /// [`Actor::can_edit_archive`] as a use case's check: 403 for service agents, whose
    /// forms for customers, contacts and orders and whose import do not open either.
    pub fn require_archive_editor(&self) -> AppResult<()> {
        if self.can_edit_archive() {
            Ok(())
        } else {
            Err(crate::AppError::Forbidden)
        }
    }

    /// Whether the actor may act on work (a task, a promise) owned by `owner` on a customer
    /// they can see: its owner, or a manager or admin. Others who see the customer (a rep it
    /// is shared with, a service agent) may read it but not act on it.
    pub fn require_worker_of(&self, owner: Option<&str>) -> AppResult<()> {
        if owner == Some(self.user_id.as_str()) || matches!(self.role, Role::Admin | Role::Manager)
        {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }

    pub fn require_admin(&self) -> AppResult<()> {
        if self.is_admin() {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// Admins manage every account; managers see their department's accounts.
    pub fn require_admin_or_manager(&self) -> AppResult<()> {
        match self.role {
            Role::Admin | Role::Manager => Ok(()),
            _ => Err(AppError::Forbidden),
        }
    }

    /// Catalogue changes are for admins and managers.
    pub fn can_edit_catalogue(&self) -> bool {
        matches!(self.role, Role::Admin | Role::Manager)
    }
}
