//! Customer import and list export on real files, built here with rust_xlsxwriter and
//! encoding_rs (no binary fixtures).
#![allow(clippy::unwrap_used)]

use std::io::{Cursor, Read, Write};
use std::time::Instant;

use huike_app::export::{CsvEncoding, to_csv, to_xlsx};
use huike_app::import::{
    Field, ReadOptions, read_table, read_table_with_info, suggest_mapping, validate_mapping,
    validate_rows, validate_rows_with_progress,
};
use huike_domain::{Birthday, BuyingRole, CustomerClass, CustomerKind, PersonalityType};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet};

fn s(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| x.to_string()).collect()
}

fn write_row(ws: &mut Worksheet, row: u32, cells: &[&str]) {
    for (c, v) in cells.iter().enumerate() {
        if !v.is_empty() {
            ws.write_string(row, c as u16, *v).unwrap();
        }
    }
}

/// Replaces `placeholder` in the workbook's shared strings: Excel (and rust_xlsxwriter) refuse
/// cells over 32,767 characters, but other tools write them, so the test file must have one.
fn replace_shared_string(xlsx: &[u8], placeholder: &str, value: &str) -> Vec<u8> {
    let mut archive = zip::ZipArchive::new(Cursor::new(xlsx)).unwrap();
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let mut replaced = false;
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).unwrap();
        let name = file.name().unwrap().to_string();
        let mut data = Vec::new();
        file.read_to_end(&mut data).unwrap();
        if name == "xl/sharedStrings.xml" {
            let xml = String::from_utf8(data).unwrap();
            assert!(xml.contains(placeholder));
            data = xml.replace(placeholder, value).into_bytes();
            replaced = true;
        }
        out.start_file(name, opts).unwrap();
        out.write_all(&data).unwrap();
    }
    assert!(replaced);
    out.finish().unwrap().into_inner()
}

const BIG: &str = "__TEN_MEGABYTES__";

/// Title row, merged customer cells over three contact rows, blank rows, a conflicting
/// duplicate, a malformed phone, a 10 MB cell, a number-typed phone and a date-typed birthday.
fn messy_workbook() -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("客户").unwrap();
    let bold = Format::new().set_bold();
    let plain = Format::new();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    // Row 1: a title merged across the table.
    ws.merge_range(0, 0, 0, 7, "2026年客户名单", &bold).unwrap();
    // Row 2: the header, with a "*" and full-width marks as people type them.
    write_row(
        ws,
        1,
        &[
            "客户名称*",
            "电话",
            "城市",
            "地址",
            "联系人",
            "手机",
            "角色",
            "生日",
        ],
    );
    // Rows 3–5: one customer, its name, phone and city merged over three contact rows.
    ws.merge_range(2, 0, 4, 0, "华为技术有限公司", &plain)
        .unwrap();
    ws.merge_range(2, 1, 4, 1, "0755-28780808", &plain).unwrap();
    ws.merge_range(2, 2, 4, 2, "深圳", &plain).unwrap();
    write_row(
        ws,
        2,
        &[
            "",
            "",
            "",
            "深圳市龙岗区坂田华为基地",
            "张三",
            "13812345678",
            "决策者",
            "1980-05-03",
        ],
    );
    write_row(
        ws,
        3,
        &[
            "",
            "",
            "",
            "",
            "李四",
            "139 1234 5678",
            "采购",
            "农历八月十五",
        ],
    );
    write_row(ws, 4, &["", "", "", "", "王五", "", "使用者", ""]);
    // Row 6 blank. Row 7: a malformed contact phone.
    write_row(
        ws,
        6,
        &["腾讯", "0755-86013388", "深圳", "", "马六", "12345", "", ""],
    );
    // Row 8 blank. Row 9: the first customer again with a different phone.
    write_row(
        ws,
        8,
        &[
            "华为技术有限公司",
            "010-12345678",
            "",
            "",
            "赵七",
            "",
            "",
            "",
        ],
    );
    // Row 10: a 10 MB address.
    write_row(
        ws,
        9,
        &["阿里巴巴", "0571-85022088", "杭州", BIG, "孙八", "", "", ""],
    );
    // Row 11: a number-typed mobile and a date-typed birthday.
    write_row(ws, 10, &["小米", "", "北京", "", "雷九"]);
    ws.write_number(10, 5, 13900001111.0).unwrap();
    ws.write_datetime_with_format(10, 7, ExcelDateTime::from_ymd(1985, 6, 1).unwrap(), &date)
        .unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    replace_shared_string(&bytes, BIG, &"长".repeat(10 * 1024 * 1024 / 3))
}

#[test]
fn a_messy_workbook_gives_exactly_the_expected_row_errors() {
    let bytes = messy_workbook();
    let table = read_table(&bytes, "客户.xlsx", &ReadOptions::default()).unwrap();
    assert_eq!(table.header_row, 2);
    assert_eq!(
        table.headers,
        s(&[
            "客户名称*",
            "电话",
            "城市",
            "地址",
            "联系人",
            "手机",
            "角色",
            "生日"
        ])
    );
    let numbers: Vec<usize> = table.rows.iter().map(|r| r.row_number).collect();
    assert_eq!(numbers, vec![3, 4, 5, 7, 9, 10, 11]);
    // Merged cells fill their whole range.
    for r in &table.rows[..3] {
        assert_eq!(r.cell(0), "华为技术有限公司");
        assert_eq!(r.cell(1), "0755-28780808");
    }
    // Typed cells read as text the user would type.
    assert_eq!(table.rows[6].cell(5), "13900001111");
    assert_eq!(table.rows[6].cell(7), "1985-06-01");
    // The 10 MB cell is kept for validation to report.
    assert!(table.rows[5].cell(3).len() > 9_000_000);

    let mapping = suggest_mapping(&table.headers);
    validate_mapping(&mapping).unwrap();
    assert_eq!(mapping.column_of(Field::Name).map(|c| c.index), Some(0));
    let plan = validate_rows(&table, &mapping);

    let got: Vec<(usize, &str, &str, Option<&str>)> = plan
        .errors
        .iter()
        .map(|e| {
            (
                e.row,
                e.field.as_str(),
                e.code.as_str(),
                e.column.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (7, "contact_phone", "invalid_phone", Some("手机")),
            (9, "phone", "duplicate_customer", Some("电话")),
            (10, "address", "too_long", Some("地址")),
        ]
    );
    let [bad_phone, dup, long] = &plan.errors[..] else {
        panic!()
    };
    assert_eq!(bad_phone.value, "12345");
    assert!(
        bad_phone.message_zh.contains("第 7 行")
            && bad_phone
                .message_zh
                .contains("「12345」不是有效的手机号或座机号")
    );
    assert!(
        bad_phone.message_en.contains("Row 7")
            && bad_phone
                .message_en
                .contains("\"12345\" is not a valid mobile")
    );
    assert!(dup.message_zh.contains("第 3 行"), "{}", dup.message_zh);
    assert!(dup.message_en.contains("row 3"), "{}", dup.message_en);
    assert_eq!(dup.value, "010-12345678");
    // The huge value is not copied into the report.
    assert!(long.value.chars().count() <= 51);
    assert!(long.message_zh.len() < 300 && long.message_en.len() < 300);
    // The reason is the address form's own.
    assert!(
        long.message_en
            .contains("Address may have at most 500 characters"),
        "{}",
        long.message_en
    );

    assert!(!plan.is_clean());
    assert_eq!(plan.rows_read, 7);
    let names: Vec<&str> = plan.customers.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, vec!["华为技术有限公司", "小米"]);
    let hw = &plan.customers[0];
    assert_eq!(hw.source_rows, vec![3, 4, 5]);
    assert_eq!(hw.phone.as_deref(), Some("0755-28780808"));
    assert_eq!(hw.address.as_deref(), Some("深圳市龙岗区坂田华为基地"));
    let contacts: Vec<(&str, Option<&str>, Option<BuyingRole>)> = hw
        .contacts
        .iter()
        .map(|c| (c.name.as_str(), c.phone.as_deref(), c.role))
        .collect();
    assert_eq!(
        contacts,
        vec![
            ("张三", Some("13812345678"), Some(BuyingRole::DecisionMaker)),
            ("李四", Some("13912345678"), Some(BuyingRole::Purchaser)),
            ("王五", None, Some(BuyingRole::User)),
        ]
    );
    assert_eq!(
        hw.contacts[1].birthday,
        Some(Birthday::Lunar {
            year: None,
            month: 8,
            day: 15,
            leap: false
        })
    );
    let xm = &plan.customers[1].contacts[0];
    assert_eq!(xm.phone.as_deref(), Some("13900001111"));
    assert_eq!(
        xm.birthday,
        Some(Birthday::Solar {
            year: Some(1985),
            month: 6,
            day: 1
        })
    );
}

const GOOD_HEADERS: [&str; 22] = [
    "客户名称",
    "客户类型",
    "客户等级",
    "标签",
    "省份",
    "城市",
    "区县",
    "地址",
    "电话",
    "邮箱",
    "微信",
    "QQ",
    "负责人",
    "成立日期",
    "首次交易日期",
    "联系人",
    "职务",
    "联系人电话",
    "联系人邮箱",
    "个性类型",
    "角色",
    "生日",
];

fn good_rows() -> Vec<Vec<String>> {
    vec![
        s(&[
            "上海晨光文具股份有限公司",
            "企业",
            "A",
            "文具，老客户",
            "上海",
            "上海",
            "奉贤区",
            "金钱公路3469号",
            "021-57475621",
            "Service@MG-Pen.com",
            "mgpen",
            "800012345",
            "zhangwei",
            "1997-06-01",
            "2015-03-12",
            "陈明",
            "采购经理",
            "13812345678",
            "chenming@mg-pen.com",
            "从容不迫型",
            "采购者",
            "1975-04-12",
        ]),
        s(&[
            "上海晨光文具股份有限公司",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "刘洋",
            "总经理",
            "+86 139-0000-1111",
            "",
            "豪爽干练型",
            "决策者",
            "农历1968-09-09",
        ]),
        s(&[
            "王建国",
            "个人",
            "C",
            "",
            "浙江",
            "杭州",
            "西湖区",
            "",
            "13700001111",
            "",
            "wjg1970",
            "",
            "lisi",
            "",
            "2024-01-05",
            "王建国",
            "",
            "13700001111",
            "",
            "沉默寡言型",
            "",
            "",
        ]),
        s(&[
            "深圳市大疆创新科技有限公司",
            "organization",
            "b",
            "无人机; 重点、华南",
            "广东",
            "深圳",
            "南山区",
            "",
            "0755 2665 6677",
            "",
            "",
            "",
            "",
            "2006/1/18",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
        ]),
    ]
}

fn good_workbook(headers: &[&str], rows: &[Vec<String>]) -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    write_row(ws, 0, headers);
    for (r, row) in rows.iter().enumerate() {
        let cells: Vec<&str> = row.iter().map(String::as_str).collect();
        write_row(ws, r as u32 + 1, &cells);
    }
    wb.save_to_buffer().unwrap()
}

#[test]
fn a_good_workbook_yields_every_customer_and_contact() {
    let rows = good_rows();
    let bytes = good_workbook(&GOOD_HEADERS, &rows);
    let table = read_table(&bytes, "good.xlsx", &ReadOptions::default()).unwrap();
    let mapping = suggest_mapping(&table.headers);
    assert!(mapping.ignored().is_empty(), "{:?}", mapping.ignored());
    validate_mapping(&mapping).unwrap();
    let plan = validate_rows(&table, &mapping);
    assert!(plan.is_clean(), "{:#?}", plan.errors);
    assert_eq!(plan.rows_read, 4);
    assert_eq!(plan.customers.len(), 3);
    assert_eq!(plan.contact_count(), 3);

    let mg = &plan.customers[0];
    assert_eq!(mg.kind, CustomerKind::Organization);
    assert_eq!(mg.class, Some(CustomerClass::A));
    assert_eq!(mg.tags, s(&["文具", "老客户"]));
    assert_eq!(
        (
            mg.province.as_deref(),
            mg.city.as_deref(),
            mg.district.as_deref()
        ),
        (Some("上海"), Some("上海"), Some("奉贤区"))
    );
    assert_eq!(mg.address.as_deref(), Some("金钱公路3469号"));
    assert_eq!(mg.phone.as_deref(), Some("021-57475621"));
    assert_eq!(mg.email.as_deref(), Some("Service@mg-pen.com"));
    assert_eq!(mg.wechat.as_deref(), Some("mgpen"));
    assert_eq!(mg.qq.as_deref(), Some("800012345"));
    assert_eq!(mg.owner.as_deref(), Some("zhangwei"));
    assert_eq!(mg.founded_on, chrono::NaiveDate::from_ymd_opt(1997, 6, 1));
    assert_eq!(
        mg.first_trade_on,
        chrono::NaiveDate::from_ymd_opt(2015, 3, 12)
    );
    assert_eq!(mg.source_rows, vec![2, 3]);
    let chen = &mg.contacts[0];
    assert_eq!(chen.name, "陈明");
    assert_eq!(chen.title.as_deref(), Some("采购经理"));
    assert_eq!(chen.phone.as_deref(), Some("13812345678"));
    assert_eq!(chen.email.as_deref(), Some("chenming@mg-pen.com"));
    assert_eq!(chen.personality, Some(PersonalityType::Composed));
    assert_eq!(chen.role, Some(BuyingRole::Purchaser));
    assert_eq!(
        chen.birthday,
        Some(Birthday::Solar {
            year: Some(1975),
            month: 4,
            day: 12
        })
    );
    assert_eq!(chen.source_row, 2);
    let liu = &mg.contacts[1];
    assert_eq!(liu.phone.as_deref(), Some("13900001111"));
    assert_eq!(liu.personality, Some(PersonalityType::Forthright));
    assert_eq!(
        liu.birthday,
        Some(Birthday::Lunar {
            year: Some(1968),
            month: 9,
            day: 9,
            leap: false
        })
    );

    let wang = &plan.customers[1];
    assert_eq!(wang.kind, CustomerKind::Person);
    assert_eq!(wang.class, Some(CustomerClass::C));
    assert_eq!(
        wang.contacts[0].personality,
        Some(PersonalityType::Taciturn)
    );

    let dji = &plan.customers[2];
    assert_eq!(dji.class, Some(CustomerClass::B));
    assert_eq!(dji.tags, s(&["无人机", "重点", "华南"]));
    assert_eq!(dji.phone.as_deref(), Some("0755-26656677"));
    assert_eq!(dji.founded_on, chrono::NaiveDate::from_ymd_opt(2006, 1, 18));
    assert!(dji.contacts.is_empty());

    // The plan is what the web layer shows and the service commits: it serialises.
    let json = serde_json::to_value(&plan).unwrap();
    assert_eq!(json["customers"][0]["contacts"][0]["role"], "purchaser");
    assert_eq!(
        json["customers"][0]["contacts"][1]["birthday"]["calendar"],
        "lunar"
    );
}

#[test]
fn a_gbk_csv_with_chinese_headers_reads() {
    let text = "客户名称,电话,联系人,个性类型\r\n华为技术有限公司,0755-28780808,张三,喋喋不休型\r\n\"腾讯,深圳\",0755-86013388,李四,\r\n";
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(text);
    assert!(!unmappable);
    assert!(std::str::from_utf8(&gbk).is_err());
    let (table, info) = read_table_with_info(&gbk, "客户.csv", &ReadOptions::default()).unwrap();
    assert_eq!(info.encoding.as_deref(), Some("GBK"));
    assert!(info.encoding_guessed);
    assert_eq!(info.delimiter, Some(','));
    assert_eq!(
        table.headers,
        s(&["客户名称", "电话", "联系人", "个性类型"])
    );
    assert_eq!(
        table.rows[0].cells,
        s(&["华为技术有限公司", "0755-28780808", "张三", "喋喋不休型"])
    );
    assert_eq!(
        table.rows[1].cells,
        s(&["腾讯,深圳", "0755-86013388", "李四"])
    );
    let plan = validate_rows(&table, &suggest_mapping(&table.headers));
    assert!(plan.is_clean(), "{:?}", plan.errors);
    assert_eq!(
        plan.customers[0].contacts[0].personality,
        Some(PersonalityType::Talkative)
    );

    // GB18030 chosen by hand reads the same bytes the same way.
    let opts = ReadOptions {
        encoding: Some("gb18030".into()),
        ..ReadOptions::default()
    };
    assert_eq!(read_table(&gbk, "x.csv", &opts).unwrap(), table);
}

#[test]
fn a_utf8_bom_csv_reads_without_the_bom() {
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice("客户名称;城市\n小米;北京\n".as_bytes());
    let (table, info) = read_table_with_info(&bytes, "x.CSV", &ReadOptions::default()).unwrap();
    assert_eq!(info.encoding.as_deref(), Some("UTF-8"));
    assert!(!info.encoding_guessed);
    assert_eq!(info.delimiter, Some(';'));
    assert_eq!(table.headers, s(&["客户名称", "城市"]));
    let mapping = suggest_mapping(&table.headers);
    assert_eq!(mapping.column_of(Field::Name).map(|c| c.index), Some(0));
    assert_eq!(table.rows[0].cells, s(&["小米", "北京"]));
}

#[test]
fn english_headers_map() {
    let headers = [
        "Company",
        "Type",
        "Class",
        "Tags",
        "Province",
        "City",
        "District",
        "Address",
        "Tel",
        "E-mail",
        "WeChat",
        "QQ",
        "Sales rep",
        "Founded",
        "First trade",
        "Contact name",
        "Position",
        "Mobile",
        "Contact email",
        "Personality",
        "Role",
        "Birthday",
    ];
    let bytes = good_workbook(&headers, &[]);
    let table = read_table(&bytes, "en.xlsx", &ReadOptions::default()).unwrap();
    let mapping = suggest_mapping(&table.headers);
    let fields: Vec<Field> = mapping.columns.iter().map(|c| c.field.unwrap()).collect();
    assert_eq!(fields, Field::ALL.to_vec());
    let csv = "Customer,Phone,Contact,Contact phone,Role,Birthday\nACME Ltd,+44 20 7946 0958,Jane Roe,+1 415 555 0100,influencer,lunar 8/15\n";
    let table = read_table(csv.as_bytes(), "en.csv", &ReadOptions::default()).unwrap();
    let plan = validate_rows(&table, &suggest_mapping(&table.headers));
    assert!(plan.is_clean(), "{:?}", plan.errors);
    let c = &plan.customers[0];
    assert_eq!(c.phone.as_deref(), Some("+442079460958"));
    assert_eq!(c.contacts[0].role, Some(BuyingRole::Influencer));
    assert_eq!(c.contacts[0].phone.as_deref(), Some("+14155550100"));
}

#[test]
fn sheets_offsets_and_sniffing() {
    let mut wb = Workbook::new();
    wb.add_worksheet()
        .set_name("说明")
        .unwrap()
        .write_string(0, 0, "请看第二页")
        .unwrap();
    let ws = wb.add_worksheet();
    ws.set_name("名单").unwrap();
    // The table starts at C5.
    ws.write_string(4, 2, "客户名称").unwrap();
    ws.write_string(4, 3, "电话").unwrap();
    ws.write_string(6, 2, "小米").unwrap();
    ws.write_string(6, 3, "13900001111").unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    let opts = ReadOptions {
        sheet: Some("名单".into()),
        ..ReadOptions::default()
    };
    // No extension: the zip magic says workbook.
    let (table, info) = read_table_with_info(&bytes, "upload", &opts).unwrap();
    assert_eq!(info.sheets, s(&["说明", "名单"]));
    assert_eq!(table.header_row, 5);
    assert_eq!(table.headers, s(&["客户名称", "电话"]));
    assert_eq!(table.rows[0].row_number, 7);
    assert_eq!(table.rows[0].cells, s(&["小米", "13900001111"]));
    let first = read_table(&bytes, "x.xlsx", &ReadOptions::default()).unwrap();
    assert_eq!(first.headers, s(&["请看第二页"]));
    let opts = ReadOptions {
        sheet: Some("没有".into()),
        ..ReadOptions::default()
    };
    let err = read_table(&bytes, "x.xlsx", &opts).unwrap_err();
    assert_eq!(err.code(), "sheet_not_found");
    assert!(err.message_zh().contains("名单"));
}

fn export_rows() -> (Vec<String>, Vec<Vec<String>>) {
    let headers = s(&["客户名称", "电话", "地址", "备注"]);
    let rows = vec![
        s(&[
            "华为技术有限公司",
            "0755-28780808",
            "深圳市龙岗区\n坂田",
            "=HYPERLINK(\"http://x\")",
        ]),
        s(&["小米", "13900001111", "北京, 海淀", "-1+2"]),
        s(&["\"引号\"公司", "010-12345678", "", "@SUM(A1)"]),
    ];
    (headers, rows)
}

#[test]
fn export_round_trips() {
    let (headers, rows) = export_rows();
    let xlsx = to_xlsx("客户列表", &headers, &rows).unwrap();
    let table = read_table(&xlsx, "export.xlsx", &ReadOptions::default()).unwrap();
    assert_eq!(table.headers, headers);
    assert_eq!(table.header_row, 1);
    let back: Vec<Vec<String>> = table
        .rows
        .iter()
        .map(|r| (0..headers.len()).map(|i| r.cell(i).to_string()).collect())
        .collect();
    assert_eq!(back, rows);

    for enc in [CsvEncoding::Gbk, CsvEncoding::Utf8Bom, CsvEncoding::Utf8] {
        let csv = to_csv(&headers, &rows, enc);
        if enc == CsvEncoding::Gbk {
            let (text, _, errors) = encoding_rs::GBK.decode(&csv);
            assert!(!errors);
            assert!(text.starts_with(
                "客户名称,电话,地址,备注\r\n华为技术有限公司,0755-28780808,\"深圳市龙岗区\n坂田\""
            ));
        }
        let table = read_table(&csv, "export.csv", &ReadOptions::default()).unwrap();
        assert_eq!(table.headers, headers);
        let back: Vec<Vec<String>> = table
            .rows
            .iter()
            .map(|r| (0..headers.len()).map(|i| r.cell(i).to_string()).collect())
            .collect();
        // Formula-like cells come back with the ' guard; everything else is unchanged.
        let mut expected = rows.clone();
        expected[0][3] = format!("'{}", rows[0][3]);
        expected[1][3] = format!("'{}", rows[1][3]);
        expected[2][3] = format!("'{}", rows[2][3]);
        assert_eq!(back, expected, "{enc:?}");
    }
}

/// Read + validate timing. 5,000 rows normally; `BENCH=1` for 100,000 (run with --release for
/// production-like numbers).
#[test]
fn large_file_timing() {
    let n: usize = if std::env::var("BENCH").as_deref() == Ok("1") {
        100_000
    } else {
        5_000
    };
    let headers = s(&[
        "客户名称",
        "客户类型",
        "城市",
        "地址",
        "电话",
        "邮箱",
        "联系人",
        "手机",
        "角色",
        "生日",
    ]);
    let rows: Vec<Vec<String>> = (0..n)
        .map(|i| {
            s(&[
                &format!("客户{}有限公司", i / 2),
                "企业",
                "上海",
                &format!("浦东新区世纪大道{}号", i / 2),
                &format!("021-{:08}", 50_000_000 + i / 2),
                &format!("info{}@example.com", i / 2),
                &format!("联系人{i}"),
                &format!("139{:08}", i),
                "决策者",
                "1980-05-03",
            ])
        })
        .collect();
    let t0 = Instant::now();
    let xlsx = to_xlsx("客户", &headers, &rows).unwrap();
    let write = t0.elapsed();

    let t1 = Instant::now();
    let table = read_table(&xlsx, "big.xlsx", &ReadOptions::default()).unwrap();
    let read = t1.elapsed();
    let t2 = Instant::now();
    let calls = std::cell::Cell::new(0);
    let plan = validate_rows_with_progress(&table, &suggest_mapping(&table.headers), &|_, _| {
        calls.set(calls.get() + 1)
    });
    let validate = t2.elapsed();
    eprintln!(
        "{n} rows × {} columns: export to_xlsx {write:?} ({} KiB), read_table {read:?}, validate_rows {validate:?}, {} progress calls",
        headers.len(),
        xlsx.len() / 1024,
        calls.get()
    );
    assert!(
        plan.is_clean(),
        "{:?}",
        &plan.errors[..plan.errors.len().min(3)]
    );
    assert_eq!(plan.rows_read, n);
    assert_eq!(plan.customers.len(), n / 2);
    assert_eq!(plan.contact_count(), n);
    assert_eq!(calls.get(), n.div_ceil(1000));
}
