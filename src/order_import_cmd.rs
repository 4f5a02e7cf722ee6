//! `huike import-orders`: the order import from the shell, with its report.

use std::path::PathBuf;

use anyhow::{Context, bail};
use huike_app::App;
use huike_app::import::{OrderImportOptions, OrderImportReport, ReadOptions};
use huike_domain::money::format_money;

#[derive(clap::Args)]
pub struct ImportOrdersArgs {
    /// The .xlsx/.xls/.ods workbook or .csv file: one row per order line; rows with the same
    /// order number (订单号) are one order.
    file: PathBuf,
    /// Check everything and print the report, but write nothing.
    #[arg(long)]
    dry_run: bool,
    /// Also plan the follow-ups already due (an open backlog); by default an imported order
    /// gets only those due today or later.
    #[arg(long)]
    past_tasks: bool,
    /// Import as this user: the customers they may edit are the ones orders can name, and
    /// their permissions apply. Default: the first admin.
    #[arg(long = "as", value_name = "USERNAME")]
    as_user: Option<String>,
    /// CSV text encoding (utf-8, gbk, gb18030, utf-16le…); guessed when omitted.
    #[arg(long)]
    encoding: Option<String>,
    /// Worksheet to read (default: the first).
    #[arg(long)]
    sheet: Option<String>,
    /// Print the report as JSON instead of text.
    #[arg(long)]
    json: bool,
}

pub async fn import_orders(app: &App, args: ImportOrdersArgs) -> anyhow::Result<()> {
    let bytes = std::fs::read(&args.file)
        .with_context(|| format!("cannot read {}", args.file.display()))?;
    let actor = crate::io_cmd::actor(app, args.as_user.as_deref()).await?;
    let opts = OrderImportOptions {
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
        commit: !args.dry_run,
        past_tasks: args.past_tasks,
    };
    let report = huike_app::import::order_commit::run(app, &actor, bytes, opts)
        .await
        .map_err(crate::explain)?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print_report(&report, args.dry_run);
    }
    if !report.is_clean() {
        bail!(
            "nothing was imported: {} problem(s) in {} row(s){}",
            report.errors_total + report.column_errors.len(),
            report.error_rows,
            if report.column_errors.is_empty() {
                ""
            } else {
                " and the columns"
            }
        );
    }
    Ok(())
}

fn print_report(r: &OrderImportReport, dry_run: bool) {
    println!("{} — header on row {}", r.file_name, r.header_row);
    println!("columns:");
    for c in &r.columns {
        match c.field {
            Some(f) => println!(
                "  {:>3}. {} → {} ({})",
                c.index + 1,
                c.header,
                f.field().en,
                f.field().key
            ),
            None => println!("  {:>3}. {} → (ignored)", c.index + 1, c.header),
        }
    }
    for m in &r.column_errors {
        println!("columns: {} / {}", m.message_en, m.message_zh);
    }
    println!(
        "{} rows: {} orders, {} lines",
        r.rows_read, r.orders, r.lines
    );
    for s in &r.skipped {
        println!("  skipped: {} / {}", s.message_en, s.message_zh);
    }
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
    if r.is_clean() {
        for o in &r.imported {
            println!(
                "  {} {} {} {}",
                o.number,
                o.customer_name,
                o.order_date,
                format_money(o.total_fen, &o.currency)
            );
        }
    }
    if r.committed {
        println!(
            "imported {} orders ({} skipped as already imported) with {} after-sale tasks{} in {} ms",
            r.imported.len(),
            r.skipped.len(),
            r.tasks,
            if r.past_tasks {
                ", those already due included"
            } else {
                " due today or later"
            },
            r.millis
        );
    } else if dry_run && r.is_clean() {
        println!(
            "dry run: everything is right; {} orders would be imported, {} skipped ({} ms)",
            r.imported.len(),
            r.skipped.len(),
            r.millis
        );
    }
}
