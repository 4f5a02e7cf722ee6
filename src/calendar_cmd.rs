//! `huike calendar …`: the festival calendar and lunar ↔ solar conversion from the shell, for
//! admins checking a date and for scripts (CSV output).

use anyhow::{Context, bail};
use clap::{Subcommand, ValueEnum};
use huike_domain::festival::festivals_in_years;
use huike_domain::lunar::{self, LunarError};
use huike_domain::{Festival, Lang};

#[derive(Subcommand)]
pub enum CalendarCommand {
    /// List the festivals falling in solar years FROM..=TO, in date order.
    Festivals {
        #[arg(long)]
        from: i32,
        /// Last year (defaults to FROM).
        #[arg(long)]
        to: Option<i32>,
        #[arg(long, value_enum, default_value_t = Format::Csv)]
        format: Format,
    },
    /// Print the solar date (YYYY-MM-DD) of a lunar date.
    ToSolar {
        /// Lunar year (numbered by the solar year it begins in).
        #[arg(long)]
        year: i32,
        #[arg(long)]
        month: u32,
        #[arg(long)]
        day: u32,
        /// The date is in the leap month (闰月) that follows MONTH.
        #[arg(long)]
        leap: bool,
    },
    /// Print the lunar date of a solar date given as YYYY-MM-DD.
    ToLunar { date: String },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    /// `year,festival,date` with a header line.
    Csv,
    /// `[{"year":…,"festival":…,"code":…,"date":…}]`.
    Json,
}

pub fn run(cmd: &CalendarCommand) -> anyhow::Result<()> {
    match cmd {
        CalendarCommand::Festivals { from, to, format } => {
            let to = to.unwrap_or(*from);
            let list = festivals_in_years(*from, to)
                .map_err(|e| anyhow::anyhow!("{} ({})", e, e.message(Lang::ZhCn)))?;
            print!("{}", render(&list, *format));
        }
        CalendarCommand::ToSolar {
            year,
            month,
            day,
            leap,
        } => match lunar::to_solar(*year, *month, *day, *leap) {
            Ok(d) => println!("{}", d.format("%Y-%m-%d")),
            Err(e) => bail!(
                "{}: lunar {year}-{month:02}-{day:02}{} ({})",
                e,
                if *leap { " leap" } else { "" },
                lunar_error_zh(e)
            ),
        },
        CalendarCommand::ToLunar { date } => {
            let d = chrono::NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d")
                .with_context(|| format!("{date:?} is not a date: write YYYY-MM-DD"))?;
            let Some(l) = lunar::to_lunar(d) else {
                bail!("{d}: outside the lunar tables (1900-12-22 to 2101-01-28)");
            };
            println!(
                "{} ({}{}-{:02}-{:02})",
                l.display(Lang::ZhCn),
                if l.leap { "leap " } else { "" },
                l.year,
                l.month,
                l.day
            );
        }
    }
    Ok(())
}

fn lunar_error_zh(e: LunarError) -> &'static str {
    e.message(Lang::ZhCn)
}

fn render(list: &[(Festival, chrono::NaiveDate)], format: Format) -> String {
    use chrono::Datelike;
    match format {
        Format::Csv => {
            let mut out = String::from("year,festival,date\n");
            for (f, d) in list {
                out.push_str(&format!(
                    "{},{},{}\n",
                    d.year(),
                    f.label(Lang::ZhCn),
                    d.format("%Y-%m-%d")
                ));
            }
            out
        }
        Format::Json => {
            let rows: Vec<serde_json::Value> = list
                .iter()
                .map(|(f, d)| {
                    serde_json::json!({
                        "year": d.year(),
                        "festival": f.label(Lang::ZhCn),
                        "code": f.code(),
                        "date": d.format("%Y-%m-%d").to_string(),
                    })
                })
                .collect();
            format!("{}\n", serde_json::Value::Array(rows))
        }
    }
}
