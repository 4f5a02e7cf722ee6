//! Errors of the use cases, each with a stable code the API and pages map to a status.

use huike_domain::{FieldError, Lang};
use huike_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Input was refused; each entry names the field and the reason. Nothing was changed.
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    /// Not there, or not visible to the caller (the two are deliberately alike).
    #[error("not found")]
    NotFound,
    /// The input is well formed but names a record that is not there (an owner, a product, a
    /// category …); each entry names the field. Nothing was changed.
    #[error("unknown reference")]
    UnknownReference(Vec<FieldError>),
    /// Visible, but the caller's role may not do this.
    #[error("forbidden")]
    Forbidden,
    #[error("not logged in")]
    Unauthenticated,
    #[error("too many attempts")]
    RateLimited,
    /// Someone else saved the record first.
    #[error("changed by someone else")]
    Stale,
    /// A unique value is taken (username, SKU, …), or the record cannot change as asked.
    #[error("conflict")]
    Conflict(FieldError),
    #[error("internal error: {0}")]
    Internal(String),
}

pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    /// Stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::Invalid(_) => "invalid_input",
            AppError::NotFound => "not_found",
            AppError::UnknownReference(_) => "unknown_reference",
            AppError::Forbidden => "forbidden",
            AppError::Unauthenticated => "unauthenticated",
            AppError::RateLimited => "rate_limited",
            AppError::Stale => "stale_record",
            AppError::Conflict(_) => "conflict",
            AppError::Internal(_) => "internal",
        }
    }

    /// A sentence for the user in their language.
    pub fn message(&self, lang: Lang) -> String {
        let zh = lang == Lang::ZhCn;
        match self {
            AppError::Invalid(errs) if errs.len() == 1 => errs[0].message(lang).to_string(),
            AppError::Invalid(_) => {
                if zh {
                    "输入有误，请按提示修改后再提交。".into()
                } else {
                    "Some fields need attention; see the messages beside them.".into()
                }
            }
            AppError::UnknownReference(errs) if errs.len() == 1 => {
                errs[0].message(lang).to_string()
            }
            AppError::UnknownReference(_) => if zh {
                "输入引用了不存在的记录，请按提示修改后再提交。"
            } else {
                "The input names records that do not exist; see the messages beside them."
            }
            .into(),
            AppError::NotFound => if zh {
                "找不到该记录，或您无权查看。"
            } else {
                "Not found, or not visible to you."
            }
            .into(),
            AppError::Forbidden => if zh {
                "您的角色无权执行此操作。"
            } else {
                "Your role may not do this."
            }
            .into(),
            AppError::Unauthenticated => if zh {
                "请先登录。"
            } else {
                "Please log in."
            }
            .into(),
            AppError::RateLimited => if zh {
                "尝试次数过多，请稍后再试。"
            } else {
                "Too many attempts; try again in a minute."
            }
            .into(),
            AppError::Stale => if zh {
                "该记录已被他人修改，请刷新后重试。"
            } else {
                "Someone else changed this record; reload and try again."
            }
            .into(),
            AppError::Conflict(e) => e.message(lang).to_string(),
            AppError::Internal(_) => if zh {
                "服务器出错了，请稍后再试。"
            } else {
                "Something went wrong on our side; try again later."
            }
            .into(),
        }
    }

    /// Whether a form shows this beside what was typed (the user can fix it there); anything
    /// else is an error page, so an internal error never reads as a validation message.
    pub fn belongs_on_form(&self) -> bool {
        matches!(
            self,
            AppError::Invalid(_)
                | AppError::UnknownReference(_)
                | AppError::Conflict(_)
                | AppError::Stale
        )
    }

    pub fn field_errors(&self) -> &[FieldError] {
        match self {
            AppError::Invalid(errs) | AppError::UnknownReference(errs) => errs,
            AppError::Conflict(e) => std::slice::from_ref(e),
            _ => &[],
        }
    }

    pub fn invalid(
        field: &str,
        code: &'static str,
        zh: impl Into<String>,
        en: impl Into<String>,
    ) -> AppError {
        AppError::Invalid(vec![field_error(field, code, zh, en)])
    }
}

pub fn field_error(
    field: &str,
    code: &'static str,
    zh: impl Into<String>,
    en: impl Into<String>,
) -> FieldError {
    FieldError {
        field: field.to_string(),
        code,
        message_zh: zh.into(),
        message_en: en.into(),
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => AppError::NotFound,
            StoreError::Stale => AppError::Stale,
            // The constraint's name and the driver's words stay in the log; the use cases
            // check the values users can fix (a taken username, SKU, …) before writing, so
            // this is a write that raced another one.
            StoreError::Conflict(what) => {
                tracing::warn!(constraint = %what, "unique constraint refused a write");
                AppError::Conflict(field_error(
                    "",
                    "conflict",
                    "与已有记录冲突，可能有人刚刚保存了相同的内容；请刷新后重试。",
                    "This clashes with an existing record, perhaps one just saved; reload and try again.",
                ))
            }
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        AppError::from(StoreError::from(e))
    }
}
