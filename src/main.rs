//! `huike`: serve the web app, migrate, generate demo data, and manage users from the shell.

mod calendar_cmd;

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};
use huike_app::demo::{self, DemoConfig, DemoSummary};
use huike_app::users::UserInput;
use huike_app::{App, AppError};
use huike_store::Db;
use huike_web::{Application, Config};

mod io_cmd;
mod jobs_cmd;
mod order_import_cmd;

/// mimalloc serves every allocation of the process, SQLite's included (its `override`
/// feature replaces `malloc`): under load glibc's allocator spent a fifth of the server's
/// CPU in its own bookkeeping and arena locks, between eight SQLite worker threads and the
/// request threads.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "huike",
    version,
    about = "回客 Huike: sales and after-sales service system"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web app and the API (migrates the database first).
    Serve {
        /// Create demo accounts and customers when the database has no users yet.
        #[arg(long)]
        demo: bool,
        /// How many demo customers to create with --demo.
        #[arg(long, default_value_t = 300)]
        demo_customers: usize,
        /// Port to listen on (overrides HUIKE_PORT).
        #[arg(long)]
        port: Option<u16>,
    },
    /// Create or upgrade the database schema, then exit.
    Migrate,
    /// Generate demo data (deterministic for a seed).
    Demo {
        #[arg(long, default_value_t = 1000)]
        customers: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Import customers with contacts from .xlsx/.csv (all or nothing; --dry-run checks only).
    Import(io_cmd::ImportArgs),
    /// Import orders with their lines from .xlsx/.csv, one line a row (all or nothing; an
    /// order number already there is skipped; --past-tasks also plans follow-ups already due).
    ImportOrders(order_import_cmd::ImportOrdersArgs),
    /// Export a list (customers, contacts, products, orders) to .xlsx or .csv.
    Export(io_cmd::ExportArgs),
    /// Manage user accounts.
    User {
        #[command(subcommand)]
        action: UserCommand,
    },
    /// The scheduled jobs (inquiry planning, session sweeping): list them, or run one now.
    Jobs {
        #[command(subcommand)]
        action: jobs_cmd::JobsCommand,
    },
    /// Festivals and lunar ↔ solar dates (needs no database or configuration).
    Calendar {
        #[command(subcommand)]
        action: calendar_cmd::CalendarCommand,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Add a user.
    Add {
        #[arg(long)]
        username: String,
        /// admin | manager | sales | service
        #[arg(long, default_value = "sales")]
        role: String,
        #[arg(long, default_value = "")]
        display_name: String,
        /// Department name (created if missing).
        #[arg(long)]
        department: Option<String>,
        /// Where Huike writes to them (a manager hears of promises broken in the team).
        #[arg(long, default_value = "")]
        email: String,
        /// The password; read from HUIKE_PASSWORD when omitted.
        #[arg(long, env = "HUIKE_PASSWORD", hide_env_values = true)]
        password: String,
    },
    /// Set a user's password (ends their sessions).
    Passwd {
        #[arg(long)]
        username: String,
        #[arg(long, env = "HUIKE_PASSWORD", hide_env_values = true)]
        password: String,
    },
    /// List users.
    List,
}

fn init_logs(format: &str) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("HUIKE_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn,tower_http=info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    if format == "json" {
        builder.json().init();
    } else {
        builder.init();
    }
}

/// Turns a use-case error into a message a person at a terminal can act on.
fn explain(e: AppError) -> anyhow::Error {
    let fields: Vec<String> = e
        .field_errors()
        .iter()
        .map(|f| format!("  {}: {}", f.field, f.message_en))
        .collect();
    if fields.is_empty() {
        anyhow::anyhow!(e.message(huike_domain::Lang::En))
    } else {
        anyhow::anyhow!(
            "{}\n{}",
            e.message(huike_domain::Lang::En),
            fields.join("\n")
        )
    }
}

async fn open(config: &Config) -> anyhow::Result<App> {
    let db = Db::connect(&config.database_url)
        .await
        .with_context(|| format!("cannot open the database at {}", mask(&config.database_url)))?;
    db.migrate().await.context("cannot migrate the database")?;
    let clock = huike_app::Clock::from_env().map_err(anyhow::Error::msg)?;
    Ok(App::with_clock(db, config.app_settings(), clock))
}

/// One line about a finished demo load.
fn describe(s: &DemoSummary) -> String {
    format!(
        "{} customers, {} contacts, {} timeline entries, {} orders with {} lines, {} users, \
         {} products, {} search terms, {} follow-up tasks in {:.1} s",
        s.customers,
        s.contacts,
        s.interactions,
        s.orders,
        s.order_lines,
        s.users,
        s.products,
        s.search_terms,
        s.tasks,
        s.elapsed.as_secs_f64()
    )
}

/// Hides a password in a database URL before it is printed.
fn mask(url: &str) -> String {
    match (url.find("://"), url.find('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..s + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

/// Errors are printed as one readable message (with their causes), never as a backtrace,
/// whatever RUST_BACKTRACE says: they are for the person at the shell.
fn main() -> std::process::ExitCode {
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("Error: cannot start the runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run()) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("Error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run() -> anyhow::Result<()> {
    let cli = Cli::parse();
    if let Command::Calendar { action } = &cli.command {
        return calendar_cmd::run(action);
    }
    let mut config =
        Config::load().context("cannot read the configuration (huike.toml / HUIKE_*)")?;
    init_logs(&config.log_format);
    match cli.command {
        Command::Serve {
            demo,
            demo_customers,
            port,
        } => {
            if let Some(p) = port {
                config.port = p;
            }
            let app = open(&config).await?;
            if demo {
                let mut conn = app.db.pool().acquire().await?;
                let empty = huike_store::users::count(&mut conn).await? == 0;
                drop(conn);
                if empty {
                    println!("Creating demo data ({demo_customers} customers)…");
                    let cfg = DemoConfig::new(demo_customers, 1);
                    let s = demo::generate(&app, &cfg, |_| {}).await?;
                    println!("  {}", describe(&s));
                }
            }
            if app.clock.is_fixed() {
                tracing::warn!(now = %app.clock.now_local(), "the clock is fixed: for tests only");
            }
            let server = Application::build_with_app(config.clone(), app).await?;
            let addr = server.addr();
            println!("Huike is running at http://{addr}/");
            println!("  API: http://{addr}/api/v1  (docs: http://{addr}/api/docs)");
            if demo {
                println!(
                    "  Demo logins (password \"{}\"): admin, manager1, sales1, sales2, sales3, service1",
                    demo::DEMO_PASSWORD
                );
            }
            server.run_until(huike_web::shutdown_signal()).await?;
        }
        Command::Migrate => {
            open(&config).await?;
            println!("database at {} is up to date", mask(&config.database_url));
        }
        Command::Demo { customers, seed } => {
            let app = open(&config).await?;
            let cfg = DemoConfig::new(customers, seed);
            let started = std::time::Instant::now();
            let s = demo::generate(&app, &cfg, |p| {
                let secs = started.elapsed().as_secs_f64();
                let rate = p.customers_done as f64 / secs.max(0.001);
                eprintln!(
                    "  {}/{} customers, {secs:.0} s, {rate:.0}/s",
                    p.customers_done, p.customers_total
                );
            })
            .await?;
            println!("{}", describe(&s));
            println!(
                "Demo logins (password \"{}\"): admin, manager1, sales1 … sales{}, service1",
                demo::DEMO_PASSWORD,
                cfg.reps
            );
        }
        Command::Import(args) => io_cmd::import(&open(&config).await?, args).await?,
        Command::ImportOrders(args) => {
            order_import_cmd::import_orders(&open(&config).await?, args).await?
        }
        Command::Export(args) => io_cmd::export(&mut open(&config).await?, args).await?,
        Command::Jobs { action } => jobs_cmd::run(&open(&config).await?, action).await?,
        Command::Calendar { .. } => {} // answered above, before configuration is read
        Command::User { action } => {
            let app = open(&config).await?;
            match action {
                UserCommand::Add {
                    username,
                    role,
                    display_name,
                    department,
                    email,
                    password,
                } => {
                    let department_id = match department {
                        Some(name) => {
                            huike_app::users::create_department(&app, None, &name)
                                .await
                                .map_err(explain)?
                                .id
                        }
                        None => String::new(),
                    };
                    let u = huike_app::users::create(
                        &app,
                        None,
                        &UserInput {
                            username,
                            display_name,
                            role,
                            department_id,
                            password,
                            locale: "zh-CN".into(),
                            active: true,
                            email,
                            ..UserInput::default()
                        },
                    )
                    .await
                    .map_err(explain)?;
                    println!("added {} ({})", u.username, u.role);
                }
                UserCommand::Passwd { username, password } => {
                    huike_app::users::set_password(&app, &username, &password)
                        .await
                        .map_err(|e| match e {
                            AppError::NotFound => {
                                anyhow::anyhow!("there is no user named {username}")
                            }
                            other => explain(other),
                        })?;
                    println!("password changed for {username}; their sessions were ended");
                }
                UserCommand::List => {
                    let page = huike_app::users::list(
                        &app,
                        None,
                        huike_store::Paging {
                            page: 1,
                            per_page: 100,
                        },
                    )
                    .await
                    .map_err(explain)?;
                    if page.items.is_empty() {
                        bail!(
                            "no users yet: add one with `huike user add --username admin --role admin`"
                        );
                    }
                    println!(
                        "{:<20} {:<10} {:<16} NAME",
                        "USERNAME", "ROLE", "DEPARTMENT"
                    );
                    for u in page.items {
                        println!(
                            "{:<20} {:<10} {:<16} {}",
                            u.username,
                            u.role,
                            u.department_name.unwrap_or_default(),
                            u.display_name
                        );
                    }
                }
            }
        }
    }
    Ok(())
}
