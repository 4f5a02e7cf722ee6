//! Logging in and out, sessions with their CSRF tokens, API tokens, and password hashing.

use std::num::NonZeroU32;

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use huike_domain::Lang;
use huike_store::api_tokens::{self, ApiToken};
use huike_store::new_id;
use huike_store::sessions::{self, Session};
use huike_store::users::{self, User};
use rand::Rng;
use sha2::{Digest, Sha256};

use crate::App;
use crate::access::{Actor, Role};
use crate::error::{AppError, AppResult, field_error};
use crate::views::{CreatedToken, TokenView};

/// Argon2id with 19 MiB, 2 passes, 1 lane (the OWASP minimum): about 40 ms per hash on one
/// core of the 2-core reference machine, so a burst of logins cannot starve the server.
fn hasher() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

pub fn hash_password(password: &str) -> AppResult<String> {
    hasher()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| AppError::Internal(format!("hashing failed: {e}")))
}

pub fn verify_password(password: &str, phc: &str) -> bool {
    match PasswordHash::new(phc) {
        Ok(parsed) => hasher()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// The fewest characters a password may have.
pub const PASSWORD_MIN_CHARS: usize = 8;
/// The most characters a password may have (long passphrases welcome).
pub const PASSWORD_MAX_CHARS: usize = 256;

/// Passwords: at least 8 characters; long passphrases welcome.
pub fn check_password_rules(password: &str) -> AppResult<()> {
    let n = password.chars().count();
    if n < PASSWORD_MIN_CHARS {
        return Err(AppError::invalid(
            "password",
            "too_short",
            format!("密码至少需要 {PASSWORD_MIN_CHARS} 个字符。"),
            format!("The password needs at least {PASSWORD_MIN_CHARS} characters."),
        ));
    }
    if n > PASSWORD_MAX_CHARS {
        return Err(AppError::invalid(
            "password",
            "too_long",
            format!("密码不能超过 {PASSWORD_MAX_CHARS} 个字符。"),
            format!("The password may have at most {PASSWORD_MAX_CHARS} characters."),
        ));
    }
    Ok(())
}

pub(crate) fn random_token(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::rng().fill_bytes(&mut buf);
    hex::encode(buf)
}

pub fn sha256_hex(s: &str) -> String {
    hex::encode(Sha256::digest(s.as_bytes()))
}

/// Limits login attempts per (username, client address) in memory, per instance.
pub struct LoginLimiter {
    inner: DefaultKeyedRateLimiter<String>,
}

impl LoginLimiter {
    pub fn new(per_minute: u32) -> LoginLimiter {
        let n = NonZeroU32::new(per_minute.max(1)).unwrap_or(NonZeroU32::MIN);
        LoginLimiter {
            inner: RateLimiter::keyed(Quota::per_minute(n)),
        }
    }

    fn check(&self, username: &str, client: &str) -> bool {
        let key = format!("{}|{client}", username.trim().to_lowercase());
        self.inner.check_key(&key).is_ok()
    }
}

pub fn actor_from_user(u: &User) -> AppResult<Actor> {
    let role = Role::from_code(&u.role)
        .ok_or_else(|| AppError::Internal(format!("unknown role {}", u.role)))?;
    Ok(Actor {
        user_id: u.id.clone(),
        username: u.username.clone(),
        display_name: u.display_name.clone(),
        role,
        department_id: u.department_id.clone(),
        lang: Lang::from_tag(&u.locale).unwrap_or_default(),
    })
}

/// A new login: the cookie value (shown once, only its hash is stored) and the CSRF token.
pub struct NewSession {
    pub actor: Actor,
    pub cookie_value: String,
    pub csrf_token: String,
    pub expires_at: i64,
}

/// Checks the password and opens a session. Wrong user and wrong password give the same
/// answer; attempts beyond the limit are refused before any password is checked.
pub async fn login(
    app: &App,
    username: &str,
    password: &str,
    client: &str,
) -> AppResult<NewSession> {
    if !app.login_limiter.check(username, client) {
        return Err(AppError::RateLimited);
    }
    let mut conn = app.conn().await?;
    let user = users::find_by_username(&mut conn, username.trim()).await?;
    let user = match user {
        Some(u) if u.active == 1 && verify_password(password, &u.password_hash) => u,
        _ => {
            return Err(AppError::Invalid(vec![field_error(
                "password",
                "bad_credentials",
                "用户名或密码不正确。",
                "Wrong username or password.",
            )]));
        }
    };
    let actor = actor_from_user(&user)?;
    let cookie_value = random_token(32);
    let csrf_token = random_token(32);
    let now = app.clock.now_ms();
    let expires_at = now + app.settings.session_hours * 3_600_000;
    sessions::insert(
        &mut conn,
        &Session {
            id_hash: sha256_hex(&cookie_value),
            user_id: user.id.clone(),
            csrf_token: csrf_token.clone(),
            created_at: now,
            expires_at,
        },
    )
    .await?;
    Ok(NewSession {
        actor,
        cookie_value,
        csrf_token,
        expires_at,
    })
}

/// The actor and CSRF token of a live session.
pub async fn session(app: &App, cookie_value: &str) -> AppResult<(Actor, String)> {
    let mut conn = app.conn().await?;
    let s = sessions::find_live(&mut conn, &sha256_hex(cookie_value), app.clock.now_ms())
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let user = users::get(&mut conn, &s.user_id).await?;
    if user.active != 1 {
        return Err(AppError::Unauthenticated);
    }
    Ok((actor_from_user(&user)?, s.csrf_token))
}

/// Deletes expired sessions (run hourly, so the table does not grow without bound).
pub async fn sweep_sessions(app: &App) -> AppResult<u64> {
    let mut conn = app.conn().await?;
    Ok(sessions::sweep_expired(&mut conn, app.clock.now_ms()).await?)
}

pub async fn logout(app: &App, cookie_value: &str) -> AppResult<()> {
    let mut conn = app.conn().await?;
    sessions::delete(&mut conn, &sha256_hex(cookie_value)).await?;
    Ok(())
}

pub const TOKEN_PREFIX: &str = "hk_";

/// What a token is for.
pub const TOKEN_NAME: crate::validate::Field =
    crate::validate::field("name", "令牌名称", "Token name")
        .max(100)
        .required();

/// Creates an API token for the actor; the plain token is returned once and never stored.
pub async fn create_token(app: &App, actor: &Actor, name: &str) -> AppResult<CreatedToken> {
    let mut c = crate::validate::Checker::new();
    let name = c.check(TOKEN_NAME, name);
    c.finish()?;
    let plain = format!("{TOKEN_PREFIX}{}", random_token(24));
    let token = ApiToken {
        id: new_id(),
        user_id: actor.user_id.clone(),
        name,
        token_hash: sha256_hex(&plain),
        prefix: plain.chars().take(10).collect(),
        created_at: app.clock.now_ms(),
        last_used_at: None,
        revoked_at: None,
    };
    let mut conn = app.conn().await?;
    api_tokens::insert(&mut conn, &token).await?;
    Ok(CreatedToken {
        id: token.id,
        name: token.name,
        token: plain,
    })
}

pub async fn list_tokens(app: &App, actor: &Actor) -> AppResult<Vec<TokenView>> {
    let mut conn = app.conn().await?;
    Ok(api_tokens::list_for_user(&mut conn, &actor.user_id)
        .await?
        .into_iter()
        .map(TokenView::from)
        .collect())
}

pub async fn revoke_token(app: &App, actor: &Actor, id: &str) -> AppResult<()> {
    let mut conn = app.conn().await?;
    api_tokens::revoke(&mut conn, &actor.user_id, id, app.clock.now_ms()).await?;
    Ok(())
}

/// The actor an API token acts for. The lookup is by SHA-256 of the presented token, so
/// comparing secrets never happens in our code (and cannot leak timing).
pub async fn token_actor(app: &App, presented: &str) -> AppResult<Actor> {
    if !presented.starts_with(TOKEN_PREFIX) {
        return Err(AppError::Unauthenticated);
    }
    let mut conn = app.conn().await?;
    let token = api_tokens::find_active(&mut conn, &sha256_hex(presented))
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let user = users::get(&mut conn, &token.user_id).await?;
    if user.active != 1 {
        return Err(AppError::Unauthenticated);
    }
    // Last use is a hint for the owner; losing it on a failed write is harmless. It is written
    // at most once a minute and in the background, so a request never waits for the write
    // lock (on SQLite a long import holds it).
    let now = app.clock.now_ms();
    if token.last_used_at.is_none_or(|t| now - t >= 60_000) {
        let db = app.db.clone();
        let id = token.id.clone();
        tokio::spawn(async move {
            if let Ok(mut conn) = db.pool().acquire().await {
                let _ = api_tokens::touch(&mut conn, &id, now).await;
            }
        });
    }
    actor_from_user(&user)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_hashed_password_verifies_and_a_wrong_one_does_not() {
        let h = hash_password("correct horse").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse", &h));
        assert!(!verify_password("correct horsE", &h));
        assert!(!verify_password("x", "not a hash"));
    }

    #[test]
    fn the_login_limiter_refuses_after_the_quota_per_key() {
        let l = LoginLimiter::new(3);
        assert!(l.check("Alice", "1.2.3.4"));
        assert!(l.check("alice ", "1.2.3.4"));
        assert!(l.check("ALICE", "1.2.3.4"));
        assert!(!l.check("alice", "1.2.3.4"));
        // Another user from the same address is not punished for Alice's attempts.
        assert!(l.check("bob", "1.2.3.4"));
    }

    #[test]
    fn short_passwords_are_refused_with_the_field_named() {
        let e = check_password_rules("short").unwrap_err();
        assert_eq!(e.field_errors()[0].field, "password");
        assert!(check_password_rules("long enough").is_ok());
    }
}
