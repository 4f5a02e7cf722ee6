//! Word lists for demo data: company name parts, titles, tags, hobbies, notes and the
//! timeline's summaries.

/// Characters that make up made-up brand words (华信, 恒通, 鑫源 …), with pinyin for
/// company e-mail domains.
pub const BRAND_CHARS: &[(&str, &str)] = &[
    ("华", "hua"),
    ("信", "xin"),
    ("恒", "heng"),
    ("通", "tong"),
    ("永", "yong"),
    ("兴", "xing"),
    ("鑫", "xin"),
    ("源", "yuan"),
    ("宏", "hong"),
    ("达", "da"),
    ("瑞", "rui"),
    ("丰", "feng"),
    ("金", "jin"),
    ("泰", "tai"),
    ("盛", "sheng"),
    ("世", "shi"),
    ("中", "zhong"),
    ("诚", "cheng"),
    ("天", "tian"),
    ("成", "cheng"),
    ("隆", "long"),
    ("昌", "chang"),
    ("德", "de"),
    ("利", "li"),
    ("汇", "hui"),
    ("博", "bo"),
    ("远", "yuan"),
    ("嘉", "jia"),
    ("和", "he"),
    ("海", "hai"),
    ("东", "dong"),
    ("方", "fang"),
    ("新", "xin"),
    ("创", "chuang"),
    ("佳", "jia"),
    ("美", "mei"),
    ("安", "an"),
    ("康", "kang"),
    ("富", "fu"),
    ("豪", "hao"),
    ("凯", "kai"),
    ("锦", "jin"),
    ("绿", "lv"),
    ("洲", "zhou"),
    ("银", "yin"),
    ("光", "guang"),
    ("明", "ming"),
    ("晨", "chen"),
    ("星", "xing"),
    ("宇", "yu"),
    ("合", "he"),
    ("力", "li"),
    ("正", "zheng"),
    ("润", "run"),
    ("邦", "bang"),
    ("聚", "ju"),
    ("鼎", "ding"),
    ("越", "yue"),
    ("峰", "feng"),
    ("益", "yi"),
    ("万", "wan"),
    ("百", "bai"),
    ("顺", "shun"),
    ("腾", "teng"),
    ("飞", "fei"),
    ("祥", "xiang"),
    ("福", "fu"),
    ("宝", "bao"),
    ("荣", "rong"),
    ("旺", "wang"),
    ("立", "li"),
    ("科", "ke"),
];

/// Which legal forms an industry word takes.
pub const COMPANY: u8 = 1;
pub const SHOP: u8 = 2;
pub const FACTORY: u8 = 4;

/// Industry words and the legal forms they appear with.
pub const INDUSTRIES: &[(&str, u8)] = &[
    ("电子科技", COMPANY),
    ("机械设备", COMPANY | SHOP),
    ("建材", COMPANY | SHOP),
    ("五金", COMPANY | SHOP),
    ("五金制品", COMPANY | FACTORY),
    ("贸易", COMPANY),
    ("商贸", COMPANY),
    ("食品", COMPANY | FACTORY),
    ("纺织", COMPANY | FACTORY),
    ("服装", COMPANY | SHOP | FACTORY),
    ("印务", COMPANY),
    ("印刷", FACTORY),
    ("包装材料", COMPANY | SHOP),
    ("纸箱", FACTORY),
    ("塑料制品", COMPANY | FACTORY),
    ("化工", COMPANY),
    ("医疗器械", COMPANY),
    ("网络科技", COMPANY),
    ("信息技术", COMPANY),
    ("物流", COMPANY),
    ("餐饮管理", COMPANY),
    ("酒店管理", COMPANY),
    ("装饰工程", COMPANY),
    ("家具", COMPANY | SHOP | FACTORY),
    ("汽车配件", COMPANY | SHOP),
    ("电器", COMPANY | SHOP),
    ("照明电器", COMPANY | FACTORY),
    ("环保科技", COMPANY),
    ("新材料", COMPANY),
    ("农业发展", COMPANY),
    ("文化传媒", COMPANY),
    ("教育咨询", COMPANY),
    ("办公用品", COMPANY | SHOP),
    ("钢铁", COMPANY),
    ("水泥制品", FACTORY),
    ("模具", COMPANY | FACTORY),
    ("精密机械", COMPANY | FACTORY),
    ("仪器仪表", COMPANY | FACTORY),
    ("光电", COMPANY),
    ("通信设备", COMPANY),
    ("生物科技", COMPANY),
    ("制药", COMPANY | FACTORY),
    ("日用品", COMPANY | SHOP),
    ("日杂", SHOP),
    ("百货", SHOP),
    ("副食", SHOP),
    ("水暖", SHOP),
    ("灯饰", SHOP),
    ("劳保用品", SHOP),
    ("茶叶", COMPANY | SHOP),
    ("陶瓷", COMPANY | FACTORY),
    ("玻璃制品", FACTORY),
    ("纸业", COMPANY),
    ("酒业", COMPANY),
    ("实业", COMPANY),
    ("建设工程", COMPANY),
    ("物业管理", COMPANY),
    ("电力设备", COMPANY),
    ("电线电缆", COMPANY | FACTORY),
    ("铸造", FACTORY),
    ("木器", FACTORY),
    ("机械", FACTORY),
];

pub const TAGS: &[&str] = &[
    "老客户",
    "重点客户",
    "潜在客户",
    "转介绍",
    "展会获客",
    "网络询盘",
    "价格敏感",
    "长期合作",
    "需回访",
    "政府采购",
    "经销商",
    "终端用户",
    "月结客户",
    "大客户",
];

pub const HOBBIES: &[&str] = &[
    "钓鱼",
    "高尔夫",
    "羽毛球",
    "乒乓球",
    "篮球",
    "足球",
    "跑步",
    "登山",
    "徒步",
    "摄影",
    "书法",
    "国画",
    "品茶",
    "收藏",
    "旅游",
    "象棋",
    "围棋",
    "唱歌",
    "健身",
    "游泳",
    "骑行",
    "读书",
    "美食",
    "红酒",
    "养花",
    "自驾游",
    "太极拳",
    "网球",
];

/// Titles by buying role code.
pub fn titles(role: &str) -> &'static [&'static str] {
    match role {
        "decision_maker" => &["总经理", "董事长", "老板", "厂长", "执行董事"],
        "purchaser" => &["采购经理", "采购专员", "采购主管", "供应链经理"],
        "user" => &["车间主任", "行政主管", "店长", "仓库主管", "生产经理"],
        "technical_evaluator" => &["技术总监", "工程师", "设备主管", "IT主管"],
        "influencer" => &["副总经理", "财务总监", "项目经理", "销售总监"],
        _ => &["总经理助理", "办公室主任", "前台", "行政专员"],
    }
}

pub const BUYING_ROLES: &[(&str, u32)] = &[
    ("decision_maker", 15),
    ("purchaser", 30),
    ("user", 20),
    ("technical_evaluator", 12),
    ("influencer", 13),
    ("gatekeeper", 10),
];

/// Personality codes (domain `PersonalityType`) and how often a rep records each; `None`
/// (not yet judged) is decided separately.
pub const PERSONALITIES: &[(&str, u32)] = &[
    ("composed", 14),
    ("indecisive", 10),
    ("boastful", 6),
    ("forthright", 14),
    ("talkative", 10),
    ("taciturn", 9),
    ("fault_finding", 8),
    ("insincere", 4),
    ("cold_arrogant", 5),
    ("impulsive", 7),
    ("resentful", 3),
    ("slippery", 5),
];

/// Preferred channels (domain `Channel` codes) with weights.
pub const PREFERRED_CHANNELS: &[(&str, u32)] = &[
    ("wechat", 36),
    ("phone", 30),
    ("visit", 8),
    ("sms", 5),
    ("email", 8),
    ("qq", 3),
    ("fax", 1),
    ("letter", 1),
    ("event", 1),
    ("note", 1),
];

pub const CONTACT_NOTES: &[&str] = &[
    "上午会多，下午三点后联系",
    "不喝酒，饭局安排茶",
    "对价格敏感，报价先给底价区间",
    "喜欢被称呼“总”",
    "决策前会征求技术部意见",
    "逢年过节记得发问候",
    "只接受微信沟通，不爱接电话",
    "注重交期，临时加急多",
    "老乡，同是浙江人",
    "孩子在读高中，关注升学",
];

pub const ORDER_NOTES: &[&str] = &[
    "月结30天",
    "款到发货",
    "含13%增值税专用发票",
    "加急，请优先安排",
    "送货上门，需提前电话联系",
    "分两批交货",
    "年度框架协议价",
    "样品单",
    "节前备货",
];

pub const FREE_MAIL: &[(&str, u32)] = &[
    ("qq.com", 40),
    ("163.com", 30),
    ("126.com", 12),
    ("sina.com", 6),
    ("139.com", 5),
    ("foxmail.com", 4),
    ("gmail.com", 3),
];

pub const COMPANY_MAIL_USERS: &[&str] = &[
    "info", "sales", "service", "contact", "admin", "caigou", "office",
];

/// Family event notes by kind code.
pub fn family_notes(kind: &str) -> &'static [&'static str] {
    match kind {
        "child_school" => &[
            "儿子九月上小学",
            "女儿升初中",
            "孩子考上大学",
            "孩子上幼儿园",
        ],
        "moving_house" => &["乔迁新居", "搬到新小区，离公司近了", "换了大房子"],
        "new_shop" => &["新店开业", "分店开张", "新厂房投产"],
        "wedding" => &["本人婚礼", "女儿出嫁", "儿子结婚"],
        "new_baby" => &["喜得千金", "喜得贵子", "添了孙子"],
        _ => &["父亲七十大寿", "公司十周年庆", "银婚纪念", "退休"],
    }
}

pub const FAMILY_KINDS: &[(&str, u32)] = &[
    ("child_school", 28),
    ("moving_house", 18),
    ("new_shop", 14),
    ("wedding", 12),
    ("new_baby", 14),
    ("other", 14),
];

/// Interaction channels (domain `Channel` codes) with weights and the share inbound.
pub const INTERACTION_CHANNELS: &[(&str, u32, f64)] = &[
    ("phone", 30, 0.4),
    ("wechat", 25, 0.45),
    ("visit", 15, 0.15),
    ("sms", 7, 0.1),
    ("email", 8, 0.35),
    ("qq", 3, 0.5),
    ("event", 3, 0.0),
    ("letter", 2, 0.1),
    ("fax", 1, 0.5),
    ("note", 6, 0.0),
];

/// Summaries by (channel, inbound). `{c}` is the contact, `{p}` a product.
pub fn summaries(channel: &str, inbound: bool) -> &'static [&'static str] {
    match (channel, inbound) {
        ("phone", false) => &[
            "电话回访{c}，对上批{p}质量满意",
            "致电{c}确认{p}的交货时间",
            "电话跟进报价，{c}说下周给答复",
            "提醒{c}对账并确认付款日期",
            "电话约{c}下周拜访",
        ],
        ("phone", true) => &[
            "{c}来电询问{p}价格",
            "{c}来电反映{p}有少量破损，已安排补发",
            "{c}来电要求加急发货",
            "{c}来电咨询新品",
        ],
        ("wechat", false) => &[
            "微信发送{p}新品报价单给{c}",
            "微信发送节日问候给{c}",
            "微信发送发货单和物流单号",
            "微信分享{p}使用案例给{c}",
        ],
        ("wechat", true) => &[
            "{c}微信发来{p}的采购需求",
            "{c}微信询问发票开具进度",
            "{c}微信发来下季度采购计划",
        ],
        ("visit", false) => &[
            "上门拜访{c}，了解{p}使用情况",
            "拜访{c}，对方希望下月追加{p}",
            "陪同技术人员上门，为{c}演示{p}",
            "拜访{c}，洽谈年度框架协议",
        ],
        ("visit", true) => &["{c}来公司参观，看了{p}样品", "{c}到访洽谈合作细节"],
        ("sms", false) => &[
            "短信提醒{c}交货时间",
            "短信发送生日祝福给{c}",
            "短信通知{p}到货",
        ],
        ("sms", true) => &["{c}短信回复确认收货"],
        ("email", false) => &[
            "邮件发送{p}报价单和产品资料",
            "邮件发送对账单给{c}",
            "邮件发送合同草稿给{c}审阅",
        ],
        ("email", true) => &["{c}邮件发来询价单", "{c}邮件确认合同条款"],
        ("qq", false) => &["QQ发送{p}产品图片给{c}"],
        ("qq", true) => &["{c}通过QQ询问{p}库存"],
        ("event", _) => &[
            "邀请{c}参加春季新品发布会",
            "{c}参加了公司客户答谢会",
            "邀请{c}参加行业展会",
        ],
        ("letter", _) => &["寄送中秋贺卡给{c}", "寄送新年台历和感谢信", "寄送纸质合同"],
        ("fax", _) => &["传真发送{p}订货确认单", "收到{c}传真的采购单"],
        _ => &[
            "{c}下月有采购计划，需跟进",
            "客户对{p}价格有异议，需申请特价",
            "{c}调岗，新对接人待确认",
            "备注：年底前安排回访",
        ],
    }
}

/// Archive texts.
pub const ORG_FORMS: &[&str] = &[
    "有限责任公司",
    "股份有限公司",
    "个人独资企业",
    "合伙企业",
    "个体工商户",
];
pub const BUSINESS_TYPES: &[&str] = &["生产制造", "批发", "零售", "贸易", "服务", "工程"];
pub const CREDIT: &[&str] = &["优秀", "良好", "良好", "一般", "较差"];
pub const TRADING_TERMS: &[&str] = &["月结30天", "月结60天", "款到发货", "货到付款", "预付30%"];
pub const GROWTH: &[&str] = &["高", "中", "中", "低"];
pub const ATTITUDES: &[&str] = &[
    "合作态度积极，愿意长期合作",
    "认可我方服务，但价格压得紧",
    "同时与两家供应商合作，需加强关系",
    "新合作，仍在观察期",
];
pub const PROCESSES: &[&str] = &[
    "部门申请→总经理审批→采购下单",
    "采购部比价三家→财务审核→下单",
    "年度招标，季度补单",
    "老板直接决定",
];
pub const COMPETITOR_STRENGTHS: &[&str] = &["价格低", "交货快", "本地仓库", "品类全", "账期长"];
pub const COMPETITOR_WEAKNESSES: &[&str] = &[
    "售后慢",
    "质量不稳定",
    "起订量高",
    "服务态度一般",
    "发票不及时",
];
pub const COMPETITOR_RELATIONS: &[&str] = &["主要供应商", "备选供应商", "曾合作", "正在接触"];
