//! Journeys in real headless Chromium: log in, create a customer with a contact, find it by
//! pinyin initials and see the contact's approach; and enter an order with a doubt, work its
//! day-2 call from Today, and find the outcome on the customer's timeline.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use huike_domain::{Lang, PersonalityType};
use thirtyfour::components::SelectElement;
use thirtyfour::prelude::*;

use crate::helpers::PASSWORD;
use crate::on_each_backend;

/// A chromedriver process, stopped when dropped.
pub(crate) struct Driver {
    child: Child,
    url: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn find_program(names: &[&str]) -> Option<String> {
    let path = std::env::var("PATH").unwrap_or_default();
    for name in names {
        for dir in path.split(':') {
            let p = std::path::Path::new(dir).join(name);
            if p.is_file() {
                return Some(p.display().to_string());
            }
        }
    }
    None
}

/// The port in chromedriver's "ChromeDriver was started successfully on port 45517." line.
fn listening_port(line: &str) -> Option<u16> {
    let rest = line.split_once("started successfully on port ")?.1;
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok().filter(|&p| p != 0)
}

/// Starts chromedriver, or says loudly why the browser test cannot run (a failure in CI).
///
/// It is started with `--port=0` and picks a free port itself; the port is read from the
/// line it prints once it listens. (Binding a port here, letting it go and passing its
/// number on leaves a moment in which another process can take it.)
pub(crate) async fn start_driver() -> Option<(Driver, String)> {
    let (Some(driver), Some(browser)) = (
        find_program(&["chromedriver"]),
        find_program(&["chromium", "chromium-browser", "google-chrome"]),
    ) else {
        let msg = "skipped: no chromium/chromedriver (scripts/test installs them)";
        if std::env::var("CI").as_deref() == Ok("true") {
            panic!("{msg}");
        }
        eprintln!("\n*** BROWSER TEST {msg} ***\n");
        return None;
    };
    let mut child = Command::new(driver)
        .arg("--port=0")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromedriver");
    let stdout = child.stdout.take().expect("chromedriver's output");
    // Owned before anything below can panic, so chromedriver is stopped then too.
    let mut d = Driver {
        child,
        url: String::new(),
    };
    // Reads every line, so chromedriver never blocks on a full pipe, and reports the port
    // (or, if the output ends without naming one, what it said instead).
    let (found, port) = tokio::sync::oneshot::channel::<Result<u16, String>>();
    std::thread::spawn(move || {
        let mut found = Some(found);
        let mut said = String::new();
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(tx) = found.take() {
                match listening_port(&line) {
                    Some(port) => {
                        let _ = tx.send(Ok(port));
                    }
                    None => {
                        said.push_str(&line);
                        said.push('\n');
                        found = Some(tx);
                    }
                }
            }
        }
        if let Some(tx) = found {
            let _ = tx.send(Err(said));
        }
    });
    let port = match tokio::time::timeout(Duration::from_secs(20), port).await {
        Ok(Ok(Ok(port))) => port,
        Ok(Ok(Err(said))) => panic!(
            "chromedriver exited without saying which port it took \
             (it needs to accept --port=0); it said:\n{said}"
        ),
        Ok(Err(_)) => panic!("the thread reading chromedriver's output stopped"),
        Err(_) => panic!("chromedriver did not say which port it took within 20 s"),
    };
    d.url = format!("http://127.0.0.1:{port}");
    for _ in 0..100 {
        if reqwest::get(format!("{}/status", d.url)).await.is_ok() {
            return Some((d, browser));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("chromedriver did not answer on port {port}");
}

pub(crate) async fn open_browser(driver: &Driver, binary: &str) -> WebDriver {
    let mut caps = DesiredCapabilities::chrome();
    caps.set_binary(binary).unwrap();
    for arg in [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-extensions",
        "--no-first-run",
        "--window-size=1280,900",
        "--lang=zh-CN",
    ] {
        caps.add_arg(arg).unwrap();
    }
    // Headless Chromium ignores --lang; the preference sets the Accept-Language it sends.
    caps.add_experimental_option(
        "prefs",
        serde_json::json!({ "intl.accept_languages": "zh-CN,zh" }),
    )
    .unwrap();
    WebDriver::new(&driver.url, caps)
        .await
        .expect("open Chromium")
}

/// Finds an element, waiting for the page that a click or a submit is loading (a loaded test
/// machine can take seconds).
pub(crate) async fn wait_for(b: &WebDriver, by: By) -> WebDriverResult<WebElement> {
    b.query(by)
        .wait(Duration::from_secs(20), Duration::from_millis(100))
        .first()
        .await
}

/// Closes the browser after a journey; a failed step shows where it was and the page, then
/// fails the test.
pub(crate) async fn end_journey(b: WebDriver, result: WebDriverResult<()>) {
    if let Err(e) = &result {
        eprintln!("browser step failed: {e}");
        if let Ok(url) = b.current_url().await {
            eprintln!("at {url}");
        }
        if let Ok(src) = b.source().await {
            eprintln!("page at failure:\n{src}");
        }
    }
    b.quit().await.ok();
    result.expect("browser journey");
}

pub(crate) async fn type_into(b: &WebDriver, id: &str, text: &str) {
    let e = wait_for(b, By::Id(id)).await.unwrap();
    e.clear().await.unwrap();
    e.send_keys(text).await.unwrap();
}

#[tokio::test]
async fn in_chromium_a_rep_creates_a_customer_with_a_contact_finds_it_by_initials_and_sees_the_approach()
 {
    let Some((driver, binary)) = start_driver().await else {
        return;
    };
    on_each_backend!(|t| {
        t.seed_users().await;
        let started = std::time::Instant::now();
        let b = open_browser(&driver, &binary).await;
        eprintln!("browser open in {:?}", started.elapsed());
        let run = async {
            // Opening a page without a session lands on the login form.
            b.goto(format!("{}/customers", t.base)).await?;
            wait_for(&b, By::Id("f-username")).await?;
            assert!(b.current_url().await?.path().starts_with("/login"));
            type_into(&b, "f-username", "sales1").await;
            type_into(&b, "f-password", PASSWORD).await;
            wait_for(&b, By::Css("button[type=submit]"))
                .await?
                .click()
                .await?;
            wait_for(&b, By::Css("a[href='/customers/new']"))
                .await?
                .click()
                .await?;

            type_into(&b, "f-name", "恒通贸易有限公司").await;
            type_into(&b, "f-phone", "0571-88881234").await;
            type_into(&b, "f-city", "杭州市").await;
            wait_for(&b, By::Css("button.primary[type=submit]"))
                .await?
                .click()
                .await?;
            // The customer page; add a contact from it.
            wait_for(&b, By::XPath("//a[contains(@href, '/contacts/new')]"))
                .await?
                .click()
                .await?;
            type_into(&b, "f-name", "张三").await;
            type_into(&b, "f-title", "采购经理").await;
            let personality =
                SelectElement::new(&wait_for(&b, By::Id("f-personality")).await?).await?;
            personality.select_by_value("fault_finding").await?;
            wait_for(&b, By::Css("button.primary[type=submit]"))
                .await?
                .click()
                .await?;

            // Find the contact by its pinyin initials from the search box in the header.
            // Wait for the customer page (its contact list) before searching from its header.
            wait_for(&b, By::Id("contacts")).await?;
            let q = wait_for(&b, By::Id("q")).await?;
            q.send_keys("zs").await?;
            q.send_keys(Key::Enter).await?;
            let hit = b
                .query(By::XPath(
                    "//li[contains(@class,'hit')]/a[contains(., '张三')]",
                ))
                .wait(Duration::from_secs(10), Duration::from_millis(100))
                .first()
                .await?;
            hit.click().await?;

            // The customer page shows the contact with the approach for its personality type.
            let approach = wait_for(&b, By::Css("#contacts ~ .grid2 .approach-text")).await?;
            assert_eq!(
                approach.text().await?.trim(),
                PersonalityType::FaultFinding.approach(Lang::ZhCn)
            );
            let title = wait_for(&b, By::Tag("h1")).await?.text().await?;
            assert!(title.contains("恒通贸易有限公司"), "on {title}");
            WebDriverResult::Ok(())
        };
        let result = run.await;
        end_journey(b, result).await;
        eprintln!("journey done in {:?}", started.elapsed());
    });
}

#[test]
fn the_driver_port_is_read_from_its_start_line() {
    assert_eq!(
        listening_port("ChromeDriver was started successfully on port 45517."),
        Some(45517)
    );
    assert_eq!(
        listening_port("Starting ChromeDriver 156.0.8078.129 on port 0"),
        None
    );
    assert_eq!(
        listening_port("ChromeDriver was started successfully on port 0."),
        None
    );
}

#[tokio::test]
async fn in_chromium_an_order_with_a_doubt_puts_the_day_2_call_on_today_and_its_outcome_on_the_timeline()
 {
    let Some((driver, binary)) = start_driver().await else {
        return;
    };
    on_each_backend!(|t| {
        t.seed_users().await;
        t.app.clock.set("2026-04-01T09:00:00+08:00").expect("clock");
        let admin = t.api("admin").await;
        let (st, p) = admin
            .post(
                "/products",
                serde_json::json!({ "sku": "BR-1", "name": "贴标机", "unit": "台", "price": "2600", "active": true }),
            )
            .await;
        assert_eq!(st, reqwest::StatusCode::CREATED, "{p}");
        let rep = t.api("sales1").await;
        let customer = rep.customer("绍兴越城印染有限公司").await;
        let (st, k) = rep
            .post(
                &format!("/customers/{customer}/contacts"),
                serde_json::json!({ "name": "周丽", "personality": "composed" }),
            )
            .await;
        assert_eq!(st, reqwest::StatusCode::CREATED, "{k}");
        let b = open_browser(&driver, &binary).await;
        let run = async {
            b.goto(format!("{}/login", t.base)).await?;
            type_into(&b, "f-username", "sales1").await;
            type_into(&b, "f-password", PASSWORD).await;
            wait_for(&b, By::Css("button[type=submit]"))
                .await?
                .click()
                .await?;
            // Today is the home page: nothing due yet.
            wait_for(&b, By::Id("due-count")).await?;
            // The order, from the customer's page, with the doubt the customer still had.
            b.goto(format!("{}/orders/new?customer_id={customer}", t.base))
                .await?;
            let contact = SelectElement::new(&wait_for(&b, By::Id("f-contact_id")).await?).await?;
            contact.select_by_visible_text("周丽").await?;
            let product =
                SelectElement::new(&wait_for(&b, By::Id("line-0-product")).await?).await?;
            product.select_by_index(1).await?;
            type_into(&b, "line-0-qty", "1").await;
            b.execute(
                "document.getElementById('f-order_date').value = '2026-03-30';\
                 document.getElementById('f-delivery_date').value = '2026-03-30';",
                vec![],
            )
            .await?;
            type_into(&b, "f-doubts", "担心安装周期太长").await;
            wait_for(&b, By::Css("form.edit button.primary"))
                .await?
                .click()
                .await?;
            wait_for(&b, By::Id("follow-ups")).await?;

            // Today: the thank-you note (overdue) and today's day-2 call with the doubt and
            // the approach for the contact's personality.
            b.goto(format!("{}/", t.base)).await?;
            wait_for(&b, By::Css("article[data-kind='thank_you']")).await?;
            let call = wait_for(&b, By::Css("article[data-kind='day_2']")).await?;
            let text = call.text().await?;
            assert!(text.contains("担心安装周期太长"), "{text}");
            assert!(
                text.contains(PersonalityType::Composed.approach(Lang::ZhCn)),
                "{text}"
            );
            assert_eq!(
                wait_for(&b, By::Id("nav-due")).await?.text().await?.trim(),
                "2"
            );
            // Done with an outcome: htmx swaps the card in place.
            call.find(By::Css("input[name='note']"))
                .await?
                .send_keys("已经装好，用得很顺手")
                .await?;
            call.find(By::Css("button[value='reached']"))
                .await?
                .click()
                .await?;
            wait_for(
                &b,
                By::Css("article[data-kind='day_2'][data-status='done']"),
            )
            .await?;

            // The customer's timeline has it.
            b.goto(format!("{}/customers/{customer}", t.base)).await?;
            let timeline = wait_for(&b, By::Id("timeline-list")).await?.text().await?;
            assert!(timeline.contains("已经装好，用得很顺手"), "{timeline}");
            WebDriverResult::Ok(())
        };
        let result = run.await;
        end_journey(b, result).await;
    });
}

#[tokio::test]
async fn in_chromium_a_rep_reviews_and_sends_the_mid_autumn_campaign_from_today_and_sees_it_on_the_timeline()
 {
    let Some((driver, binary)) = start_driver().await else {
        return;
    };
    on_each_backend!(|t| {
        t.seed_users().await;
        // 中秋 2026.
        t.app.clock.set("2026-09-25T10:00:00+08:00").expect("clock");
        let rep = t.api("sales1").await;
        let customer = rep.customer("嘉兴南湖电器有限公司").await;
        for (name, email) in [("孙月明", "sun@example.com"), ("何团圆", "he@example.com")] {
            let (st, k) = rep
                .post(
                    &format!("/customers/{customer}/contacts"),
                    serde_json::json!({ "name": name, "email": email }),
                )
                .await;
            assert_eq!(st, reqwest::StatusCode::CREATED, "{k}");
        }
        let b = open_browser(&driver, &binary).await;
        let run = async {
            b.goto(format!("{}/login", t.base)).await?;
            type_into(&b, "f-username", "sales1").await;
            type_into(&b, "f-password", PASSWORD).await;
            wait_for(&b, By::Css("button[type=submit]"))
                .await?
                .click()
                .await?;
            // Today shows the festival as one campaign, not two chores.
            let card = wait_for(&b, By::Css("#campaigns a.campaign")).await?;
            let text = card.text().await?;
            assert!(text.contains("中秋 问候: 2 位联系人"), "{text}");
            assert!(text.contains("查看并发送"), "{text}");
            card.click().await?;
            // Review: each contact's message, opened in place.
            let row = wait_for(&b, By::Css("#greetings tbody tr")).await?;
            row.find(By::Css("summary")).await?.click().await?;
            let preview = row.find(By::Css("pre.preview")).await?.text().await?;
            assert!(preview.contains("中秋快乐"), "{preview}");
            wait_for(&b, By::Id("send-campaign")).await?.click().await?;
            let report = wait_for(&b, By::Id("sent-report")).await?.text().await?;
            assert!(report.contains("2-0-0"), "{report}");
            // The greeting is on the customer's timeline, by e-mail.
            b.goto(format!("{}/customers/{customer}", t.base)).await?;
            let timeline = wait_for(&b, By::Id("timeline-list")).await?.text().await?;
            assert!(timeline.contains("中秋问候"), "{timeline}");
            assert!(timeline.contains("孙月明"), "{timeline}");
            // Today no longer asks for it.
            b.goto(format!("{}/", t.base)).await?;
            wait_for(&b, By::Id("due-count")).await?;
            assert!(b.find(By::Id("campaigns")).await.is_err());
            WebDriverResult::Ok(())
        };
        let result = run.await;
        end_journey(b, result).await;
    });
}
