//! User and department administration: accounts, roles, passwords.

use huike_domain::Lang;
use huike_store::departments;
use huike_store::users::{self, User};
use huike_store::{Paging, new_id, sessions};
use serde::Deserialize;

use crate::access::Role;
use crate::auth::{check_password_rules, hash_password};
use crate::error::{AppError, AppResult, field_error};
use crate::validate::{Checker, Field, TextKind, de_flag, field};
use crate::views::{DepartmentView, Page, UserRecord, UserRow};
use crate::{Actor, App};

pub const USERNAME: Field = field("username", "用户名", "Username")
    .max(64)
    .required()
    .kind(TextKind::Username);
pub const DISPLAY_NAME: Field = field("display_name", "姓名", "Display name").max(100);
pub const DEPARTMENT_NAME: Field = field("name", "部门名称", "Department name")
    .max(100)
    .required();
pub const ROLE: Field = field("role", "角色", "Role");
pub const DEPARTMENT: Field = field("department_id", "部门", "Department");
pub const LOCALE: Field = field("locale", "语言", "Language");
pub const EMAIL: Field = field("email", "邮箱", "E-mail")
    .max(254)
    .kind(TextKind::Email);
pub const PHONE: Field = field("phone", "电话", "Phone")
    .max(40)
    .kind(TextKind::Phone);
pub const WECHAT: Field = field("wechat", "微信号", "WeChat ID").max(64);

#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct UserInput {
    pub username: String,
    pub display_name: String,
    /// admin | manager | sales | service
    pub role: String,
    pub department_id: String,
    /// Required when creating; on edit, empty keeps the password.
    pub password: String,
    /// zh-CN | en
    pub locale: String,
    #[serde(deserialize_with = "de_flag")]
    pub active: bool,
    /// Where Huike writes to the user (a manager hears of promises broken in their team);
    /// optional.
    pub email: String,
    /// The phone on the user's card and contact labels; optional.
    pub phone: String,
    /// The WeChat ID on the user's card and contact labels; optional.
    pub wechat: String,
}

fn check_username(c: &mut Checker, raw: &str) -> String {
    c.check(USERNAME, raw)
}

async fn check_common(
    app: &App,
    input: &UserInput,
    c: &mut Checker,
) -> AppResult<(Role, Option<String>, String)> {
    let role = c
        .code(ROLE, &input.role, Role::from_code)
        .unwrap_or(Role::Sales);
    let dep = input.department_id.trim();
    let department_id = if dep.is_empty() {
        None
    } else {
        let mut conn = app.conn().await?;
        match departments::get(&mut conn, dep).await {
            Ok(d) => Some(d.id),
            Err(_) => {
                c.missing(
                    DEPARTMENT,
                    "unknown_department",
                    "「部门」不存在。".into(),
                    "That department does not exist.".into(),
                );
                None
            }
        }
    };
    if role == Role::Manager && department_id.is_none() && c.is_ok() {
        c.fail(
            DEPARTMENT,
            "required",
            "主管必须属于一个部门。".into(),
            "A manager must belong to a department.".into(),
        );
    }
    // "" is the default, zh-CN.
    let locale = c
        .code(LOCALE, &input.locale, Lang::from_code)
        .unwrap_or_default();
    Ok((role, department_id, locale.code().to_string()))
}

/// Creates an account. From the CLI pass `None` as the actor (the operator is trusted).
pub async fn create(app: &App, actor: Option<&Actor>, input: &UserInput) -> AppResult<UserRecord> {
    if let Some(a) = actor {
        a.require_admin()?;
    }
    let mut c = Checker::new();
    let username = check_username(&mut c, &input.username);
    let display_name = {
        let d = c.check(DISPLAY_NAME, &input.display_name);
        if d.is_empty() { username.clone() } else { d }
    };
    let (role, department_id, locale) = check_common(app, input, &mut c).await?;
    let email = c.check(EMAIL, &input.email);
    let phone = c.check(PHONE, &input.phone);
    let wechat = c.check(WECHAT, &input.wechat);
    if let Err(AppError::Invalid(errs)) = check_password_rules(&input.password) {
        for e in errs {
            c.push(e);
        }
    }
    c.finish()?;
    let now = app.clock.now_ms();
    let user = User {
        id: new_id(),
        username,
        display_name,
        role: role.code().to_string(),
        department_id,
        password_hash: hash_password(&input.password)?,
        locale,
        active: 1,
        created_at: now,
        updated_at: now,
        email,
        phone,
        wechat,
    };
    let mut tx = app.db.begin_write().await?;
    users::insert(&mut tx, &user).await.map_err(|e| match e {
        huike_store::StoreError::Conflict(_) => AppError::Conflict(field_error(
            "username",
            "taken",
            format!("用户名「{}」已被使用。", user.username),
            format!("Username \"{}\" is taken.", user.username),
        )),
        other => other.into(),
    })?;
    if let Some(a) = actor {
        crate::audit::record(
            app,
            &mut tx,
            a,
            "user",
            &user.id,
            "create",
            None,
            Some(&user),
        )
        .await?;
    }
    app.commit(tx).await?;
    Ok(UserRecord::of(user, actor.map_or(Lang::ZhCn, |a| a.lang)))
}

pub async fn update(
    app: &App,
    actor: &Actor,
    id: &str,
    input: &UserInput,
) -> AppResult<UserRecord> {
    actor.require_admin()?;
    let mut c = Checker::new();
    let display_name = c.check(DISPLAY_NAME.required(), &input.display_name);
    let (role, department_id, locale) = check_common(app, input, &mut c).await?;
    let email = c.check(EMAIL, &input.email);
    let phone = c.check(PHONE, &input.phone);
    let wechat = c.check(WECHAT, &input.wechat);
    if !input.password.is_empty()
        && let Err(AppError::Invalid(errs)) = check_password_rules(&input.password)
    {
        for e in errs {
            c.push(e);
        }
    }
    if id == actor.user_id && (role != Role::Admin || !input.active) {
        c.fail(
            ROLE,
            "self_lockout",
            "不能取消自己的管理员身份或停用自己。".into(),
            "You cannot remove your own admin role or deactivate yourself.".into(),
        );
    }
    c.finish()?;
    let mut tx = app.db.begin_write().await?;
    let before = users::get(&mut tx, id).await?;
    let mut u = before.clone();
    u.display_name = display_name;
    u.role = role.code().to_string();
    u.department_id = department_id;
    u.locale = locale;
    u.email = email;
    u.phone = phone;
    u.wechat = wechat;
    u.active = i64::from(input.active);
    u.updated_at = app.clock.now_ms();
    users::update(&mut tx, &u).await?;
    if !input.password.is_empty() {
        users::set_password(&mut tx, id, &hash_password(&input.password)?, u.updated_at).await?;
        sessions::delete_for_user(&mut tx, id).await?;
    }
    if u.active == 0 {
        sessions::delete_for_user(&mut tx, id).await?;
    }
    crate::audit::record(
        app,
        &mut tx,
        actor,
        "user",
        id,
        "update",
        Some(&before),
        Some(&u),
    )
    .await?;
    app.commit(tx).await?;
    Ok(UserRecord::of(u, actor.lang))
}

/// Sets a password by username (CLI `user passwd`); ends the user's sessions.
pub async fn set_password(app: &App, username: &str, password: &str) -> AppResult<()> {
    check_password_rules(password)?;
    let mut tx = app.db.begin_write().await?;
    let user = users::find_by_username(&mut tx, username.trim())
        .await?
        .ok_or(AppError::NotFound)?;
    users::set_password(
        &mut tx,
        &user.id,
        &hash_password(password)?,
        app.clock.now_ms(),
    )
    .await?;
    sessions::delete_for_user(&mut tx, &user.id).await?;
    app.commit(tx).await?;
    Ok(())
}

pub async fn get(app: &App, actor: &Actor, id: &str) -> AppResult<UserRecord> {
    actor.require_admin_or_manager()?;
    let mut conn = app.conn().await?;
    let u = users::get(&mut conn, id).await?;
    if actor.role == Role::Manager && u.department_id != actor.department_id {
        return Err(AppError::NotFound);
    }
    Ok(UserRecord::of(u, actor.lang))
}

pub async fn list(app: &App, actor: Option<&Actor>, paging: Paging) -> AppResult<Page<UserRow>> {
    let department = match actor {
        None => None,
        Some(a) if a.is_admin() => None,
        Some(a) if a.role == Role::Manager => Some(a.department_id.clone().unwrap_or_default()),
        Some(_) => return Err(AppError::Forbidden),
    };
    let mut conn = app.conn().await?;
    let page = users::list(&mut conn, app.db.counts(), department.as_deref(), paging).await?;
    let lang = actor.map_or(Lang::ZhCn, |a| a.lang);
    Ok(Page::of(page, |u| UserRow::of(u, lang)))
}

/// Active users, for owner pickers (everyone can see colleagues' names).
pub async fn pickable(app: &App) -> AppResult<Vec<UserRecord>> {
    let mut conn = app.conn().await?;
    Ok(users::list_all(&mut conn)
        .await?
        .into_iter()
        .filter(|u| u.active == 1)
        .map(|u| UserRecord::of(u, Lang::ZhCn))
        .collect())
}

pub async fn departments(app: &App) -> AppResult<Vec<DepartmentView>> {
    let mut conn = app.conn().await?;
    Ok(departments::list(&mut conn)
        .await?
        .into_iter()
        .map(DepartmentView::from)
        .collect())
}

pub async fn create_department(
    app: &App,
    actor: Option<&Actor>,
    name: &str,
) -> AppResult<DepartmentView> {
    if let Some(a) = actor {
        a.require_admin()?;
    }
    let mut c = Checker::new();
    let name = c.check(DEPARTMENT_NAME, name);
    c.finish()?;
    let mut tx = app.db.begin_write().await?;
    if let Some(existing) = departments::find_by_name(&mut tx, &name).await? {
        return Ok(existing.into());
    }
    let d = departments::insert(&mut tx, &name, app.clock.now_ms()).await?;
    app.commit(tx).await?;
    Ok(d.into())
}
