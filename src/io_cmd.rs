//! `huike import` and `huike export`: the import service and the list exports from the shell.

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, bail};
use huike_app::import::{self, ImportOptions, ImportProgress, ImportReport, ReadOptions, Stage};
use huike_app::list_export::{self, ExportFormat};
use huike_app::{Actor, App};
use huike_domain::Lang;

#[derive(clap::Args)]
pub struct ImportArgs {
    /// The .xlsx/.xls/.ods workbook or .csv file: customers with contacts, one contact a row.
    file: PathBuf,
    /// Check everything and print the report, but write nothing.
    #[arg(long)]
    dry_run: bool,
    /// Import as this user: they own the customers (unless an owner column says otherwise)
    /// and their permissions apply. Default: the first admin.
    #[arg(long = "as", value_name = "USERNAME")]
    as_user: Option<String>,
    /// CSV text encoding (utf-8, gbk, gb18030, utf-16le…); guessed when omitted.
    #[arg(long)]
    encoding: Option<String>,
    /// Worksheet to read (default: the first).
    #[arg(long)]
    sheet: Option<String>,
    /// Column mapping overrides as JSON, e.g. '{"手机":"contact_phone","备注":null}'.
    #[arg(long)]
    mapping: Option<String>,
    /// Print the report as JSON instead of text.
    #[arg(long)]
    json: bool,
}

#[derive(clap::Args)]
pub struct ExportArgs {
    /// customers | contacts | products | orders
    #[arg(value_parser = ["customers", "contacts", "products", "orders"])]
    list: String,
    /// xlsx | csv
    #[arg(long, default_value = "xlsx", value_parser = ["xlsx", "csv"])]
    format: String,
    /// CSV encoding: utf8bom (opens in Excel) | utf8 | gbk
    #[arg(long, default_value = "utf8bom")]
    encoding: String,
    /// Export what this user may see, with their language's headers. Default: everything
    /// (as the first admin), Chinese headers.
    #[arg(long = "as", value_name = "USERNAME")]
    as_user: Option<String>,
    /// English headers.
    #[arg(long)]
    english: bool,
    /// Where to write the file.
    #[arg(long)]
    out: PathBuf,
}

/// The user named `--as`, or the first active admin.
pub(crate) async fn actor(app: &App, username: Option<&str>) -> anyhow::Result<Actor> {
    let mut conn = app.db.pool().acquire().await?;
    let user = match username {
        Some(name) => huike_store::users::find_by_username(&mut conn, name)
            .await?
            .filter(|u| u.active == 1)
            .with_context(|| format!("there is no active user named {name}"))?,
        None => huike_store::users::list_all(&mut conn)
            .await?
            .into_iter()
            .filter(|u| u.active == 1 && u.role == "admin")
            .min_by_key(|u| u.created_at)
            .context(
                "no admin user yet: pass --as USERNAME, or add one with `huike user add --role admin`",
            )?,
    };
    huike_app::auth::actor_from_user(&user).map_err(crate::explain)
}

pub async fn import(app: &App, args: ImportArgs) -> anyhow::Result<()> {
    let bytes = std::fs::read(&args.file)
        .with_context(|| format!("cannot read {}", args.file.display()))?;
    let actor = actor(app, args.as_user.as_deref()).await?;
    let mapping = match &args.mapping {
        Some(m) => Some(
            serde_json::from_str::<import::MappingInput>(m)
                .context("--mapping is not a valid mapping JSON")?,
        ),
        None => None,
    };
    let opts = ImportOptions {
        file_name: args
            .file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        read: ReadOptions {
            encoding: args.encoding.clone(),
            sheet: args.sheet.clone(),
            ..ReadOptions::default()
        },
        mapping,
        commit: !args.dry_run,
        fail_after_customers: None,
    };
    let progress = ImportProgress::new();
    let ticker = tokio::spawn(show_progress(progress.clone()));
    let result = import::commit::run(app, &actor, bytes, opts, &progress).await;
    ticker.abort();
    eprintln!();
    let report = result.map_err(crate::explain)?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print_report(&report, args.dry_run);
    }
    if !report.is_clean() {
        bail!(
            "nothing was imported: {} problem(s) in {} row(s){}",
            report.errors_total + report.mapping_errors.len(),
            report.error_rows,
            if report.mapping_errors.is_empty() {
                ""
            } else {
                " and the column mapping"
            }
        );
    }
    Ok(())
}

/// Progress on stderr, one updating line, every half second.
async fn show_progress(p: Arc<ImportProgress>) {
    let mut tick = tokio::time::interval(Duration::from_millis(500));
    loop {
        tick.tick().await;
        let s = p.snapshot();
        let what = match s.stage {
            Stage::Queued | Stage::Reading => "reading the file".to_string(),
            Stage::Validating => format!("validating rows {}/{}", s.done, s.total),
            Stage::Checking => format!("checking customers {}/{}", s.done, s.total),
            Stage::Committing => format!("writing customers {}/{}", s.done, s.total),
            Stage::Done | Stage::Failed => return,
        };
        eprint!("\r\x1b[2K{what}");
        let _ = std::io::stderr().flush();
    }
}

fn print_report(r: &ImportReport, dry_run: bool) {
    let source = match (&r.source.sheet, &r.source.encoding) {
        (Some(sheet), _) => format!("sheet {sheet}"),
        (None, Some(enc)) => format!(
            "CSV, {enc}{}",
            if r.source.encoding_guessed {
                " (guessed)"
            } else {
                ""
            }
        ),
        _ => String::new(),
    };
    println!("{} — {source}, header on row {}", r.file_name, r.header_row);
    println!("columns:");
    for c in &r.mapping.columns {
        match c.field {
            Some(f) => println!(
                "  {:>3}. {} → {} ({})",
                c.index + 1,
                c.header,
                f.label_en(),
                f.key()
            ),
            None => println!("  {:>3}. {} → (ignored)", c.index + 1, c.header),
        }
    }
    for m in &r.mapping_errors {
        println!("mapping: {} / {}", m.message_en, m.message_zh);
    }
    println!(
        "{} rows: {} customers, {} contacts",
        r.rows_read, r.customers, r.contacts
    );
    if !r.errors.is_empty() {
        println!("{} problem(s) in {} row(s):", r.errors_total, r.error_rows);
        for e in &r.errors {
            println!("  {}", e.message_en);
            println!("  {}", e.message_zh);
        }
        if r.errors_total > r.errors.len() {
            println!("  … and {} more", r.errors_total - r.errors.len());
        }
    }
    if r.committed {
        println!(
            "imported {} customers and {} contacts in {} ms",
            r.customers, r.contacts, r.millis
        );
    } else if dry_run && r.is_clean() {
        println!(
            "dry run: everything is right; {} customers and {} contacts would be imported ({} ms)",
            r.customers, r.contacts, r.millis
        );
    }
}

pub async fn export(app: &mut App, args: ExportArgs) -> anyhow::Result<()> {
    let format = ExportFormat::from_params(Some(&args.format), Some(&args.encoding))
        .map_err(crate::explain)?;
    // The shell has no request to protect: export the whole list, up to what one sheet holds.
    app.settings.export_limit =
        i64::try_from(huike_app::export::XLSX_MAX_ROWS - 1).unwrap_or(i64::MAX);
    let mut actor = actor(app, args.as_user.as_deref()).await?;
    actor.lang = if args.english { Lang::En } else { Lang::ZhCn };
    let table = list_export::whole_list(app, &actor, &args.list)
        .await
        .map_err(crate::explain)?;
    let file = list_export::render(app, &table, format).map_err(crate::explain)?;
    std::fs::write(&args.out, &file.bytes)
        .with_context(|| format!("cannot write {}", args.out.display()))?;
    eprintln!(
        "wrote {} {} to {}{}",
        file.rows,
        args.list,
        args.out.display(),
        if file.truncated {
            " (the list is longer: only the first rows fit)"
        } else {
            ""
        }
    );
    Ok(())
}
