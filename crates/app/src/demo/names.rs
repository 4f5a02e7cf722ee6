//! Chinese personal names for demo data: surnames with their real-world frequency, given
//! names of one or two characters, each with its pinyin (for e-mail and WeChat ids).

use std::sync::OnceLock;

use super::rng::{Cumulative, Rng};

/// Surname, pinyin, frequency in hundredths of a percent (approximate national shares;
/// the rare ones are kept so search and pinyin handle them: 单 shan, 解 xie, 曾 zeng, 区 ou,
/// 仇 qiu, 查 zha, compound surnames).
pub const SURNAMES: &[(&str, &str, u32)] = &[
    ("王", "wang", 725),
    ("李", "li", 719),
    ("张", "zhang", 686),
    ("刘", "liu", 538),
    ("陈", "chen", 453),
    ("杨", "yang", 308),
    ("黄", "huang", 223),
    ("赵", "zhao", 219),
    ("吴", "wu", 205),
    ("周", "zhou", 189),
    ("徐", "xu", 167),
    ("孙", "sun", 154),
    ("马", "ma", 145),
    ("朱", "zhu", 139),
    ("胡", "hu", 129),
    ("郭", "guo", 116),
    ("何", "he", 114),
    ("高", "gao", 106),
    ("林", "lin", 101),
    ("罗", "luo", 95),
    ("郑", "zheng", 92),
    ("梁", "liang", 87),
    ("谢", "xie", 83),
    ("宋", "song", 74),
    ("唐", "tang", 74),
    ("许", "xu", 70),
    ("韩", "han", 67),
    ("冯", "feng", 64),
    ("邓", "deng", 61),
    ("曹", "cao", 59),
    ("彭", "peng", 57),
    ("曾", "zeng", 55),
    ("肖", "xiao", 54),
    ("田", "tian", 52),
    ("董", "dong", 51),
    ("袁", "yuan", 49),
    ("潘", "pan", 48),
    ("于", "yu", 48),
    ("蒋", "jiang", 47),
    ("蔡", "cai", 46),
    ("余", "yu", 45),
    ("杜", "du", 44),
    ("叶", "ye", 44),
    ("程", "cheng", 42),
    ("苏", "su", 40),
    ("魏", "wei", 39),
    ("吕", "lv", 38),
    ("丁", "ding", 37),
    ("任", "ren", 36),
    ("沈", "shen", 35),
    ("姚", "yao", 34),
    ("卢", "lu", 34),
    ("姜", "jiang", 33),
    ("崔", "cui", 32),
    ("钟", "zhong", 32),
    ("谭", "tan", 31),
    ("陆", "lu", 30),
    ("汪", "wang", 29),
    ("范", "fan", 28),
    ("金", "jin", 27),
    ("石", "shi", 26),
    ("廖", "liao", 25),
    ("贾", "jia", 24),
    ("夏", "xia", 23),
    ("韦", "wei", 22),
    ("付", "fu", 21),
    ("方", "fang", 21),
    ("白", "bai", 20),
    ("邹", "zou", 20),
    ("孟", "meng", 19),
    ("熊", "xiong", 19),
    ("秦", "qin", 18),
    ("邱", "qiu", 18),
    ("江", "jiang", 17),
    ("尹", "yin", 16),
    ("薛", "xue", 16),
    ("闫", "yan", 16),
    ("段", "duan", 15),
    ("雷", "lei", 15),
    ("侯", "hou", 15),
    ("龙", "long", 14),
    ("史", "shi", 14),
    ("陶", "tao", 13),
    ("黎", "li", 13),
    ("贺", "he", 13),
    ("顾", "gu", 12),
    ("毛", "mao", 12),
    ("郝", "hao", 12),
    ("龚", "gong", 12),
    ("邵", "shao", 11),
    ("万", "wan", 11),
    ("钱", "qian", 11),
    ("严", "yan", 10),
    ("覃", "qin", 10),
    ("武", "wu", 10),
    ("戴", "dai", 10),
    ("莫", "mo", 9),
    ("孔", "kong", 9),
    ("向", "xiang", 9),
    ("汤", "tang", 9),
    ("常", "chang", 8),
    ("温", "wen", 8),
    ("康", "kang", 8),
    ("施", "shi", 7),
    ("文", "wen", 7),
    ("牛", "niu", 7),
    ("樊", "fan", 7),
    ("葛", "ge", 7),
    ("邢", "xing", 6),
    ("安", "an", 6),
    ("齐", "qi", 6),
    ("易", "yi", 6),
    ("乔", "qiao", 6),
    ("伍", "wu", 6),
    ("庞", "pang", 6),
    ("颜", "yan", 5),
    ("倪", "ni", 5),
    ("庄", "zhuang", 5),
    ("聂", "nie", 5),
    ("章", "zhang", 5),
    ("鲁", "lu", 5),
    ("岳", "yue", 5),
    ("翟", "zhai", 5),
    ("殷", "yin", 5),
    ("詹", "zhan", 4),
    ("申", "shen", 4),
    ("耿", "geng", 4),
    ("关", "guan", 4),
    ("兰", "lan", 4),
    ("焦", "jiao", 4),
    ("俞", "yu", 4),
    ("左", "zuo", 4),
    ("柳", "liu", 4),
    ("甘", "gan", 4),
    ("祝", "zhu", 4),
    ("包", "bao", 3),
    ("宁", "ning", 3),
    ("尚", "shang", 3),
    ("符", "fu", 3),
    ("舒", "shu", 3),
    ("阮", "ruan", 3),
    ("柯", "ke", 3),
    ("纪", "ji", 3),
    ("梅", "mei", 3),
    ("童", "tong", 3),
    ("凌", "ling", 3),
    ("毕", "bi", 3),
    ("单", "shan", 2),
    ("解", "xie", 2),
    ("欧阳", "ouyang", 3),
    ("区", "ou", 1),
    ("仇", "qiu", 1),
    ("查", "zha", 1),
    ("朴", "piao", 1),
    ("缪", "miao", 1),
    ("司马", "sima", 1),
    ("诸葛", "zhuge", 1),
    ("上官", "shangguan", 1),
    ("东方", "dongfang", 1),
    ("皇甫", "huangfu", 1),
    ("令狐", "linghu", 1),
    ("慕容", "murong", 1),
    ("尉迟", "yuchi", 1),
];

/// Characters common in men's given names, with pinyin.
const MALE: &[(&str, &str)] = &[
    ("伟", "wei"),
    ("强", "qiang"),
    ("磊", "lei"),
    ("军", "jun"),
    ("勇", "yong"),
    ("杰", "jie"),
    ("涛", "tao"),
    ("斌", "bin"),
    ("超", "chao"),
    ("明", "ming"),
    ("刚", "gang"),
    ("平", "ping"),
    ("辉", "hui"),
    ("鹏", "peng"),
    ("华", "hua"),
    ("飞", "fei"),
    ("鑫", "xin"),
    ("波", "bo"),
    ("宇", "yu"),
    ("浩", "hao"),
    ("凯", "kai"),
    ("健", "jian"),
    ("俊", "jun"),
    ("帆", "fan"),
    ("旭", "xu"),
    ("龙", "long"),
    ("建", "jian"),
    ("国", "guo"),
    ("志", "zhi"),
    ("文", "wen"),
    ("海", "hai"),
    ("东", "dong"),
    ("峰", "feng"),
    ("成", "cheng"),
    ("亮", "liang"),
    ("晨", "chen"),
    ("宏", "hong"),
    ("洋", "yang"),
    ("林", "lin"),
    ("振", "zhen"),
    ("德", "de"),
    ("永", "yong"),
    ("庆", "qing"),
    ("春", "chun"),
    ("家", "jia"),
    ("子", "zi"),
    ("博", "bo"),
    ("嘉", "jia"),
    ("天", "tian"),
    ("泽", "ze"),
    ("瑞", "rui"),
    ("鸿", "hong"),
    ("毅", "yi"),
    ("松", "song"),
    ("坤", "kun"),
    ("诚", "cheng"),
    ("锋", "feng"),
    ("立", "li"),
    ("新", "xin"),
    ("福", "fu"),
    ("荣", "rong"),
    ("光", "guang"),
    ("忠", "zhong"),
    ("仁", "ren"),
    ("义", "yi"),
    ("昊", "hao"),
    ("铭", "ming"),
    ("轩", "xuan"),
];

/// Characters common in women's given names, with pinyin.
const FEMALE: &[(&str, &str)] = &[
    ("芳", "fang"),
    ("娜", "na"),
    ("敏", "min"),
    ("静", "jing"),
    ("丽", "li"),
    ("艳", "yan"),
    ("娟", "juan"),
    ("霞", "xia"),
    ("秀", "xiu"),
    ("玲", "ling"),
    ("桂", "gui"),
    ("英", "ying"),
    ("燕", "yan"),
    ("红", "hong"),
    ("梅", "mei"),
    ("琳", "lin"),
    ("婷", "ting"),
    ("雪", "xue"),
    ("慧", "hui"),
    ("晶", "jing"),
    ("颖", "ying"),
    ("倩", "qian"),
    ("洁", "jie"),
    ("佳", "jia"),
    ("欣", "xin"),
    ("月", "yue"),
    ("萍", "ping"),
    ("莉", "li"),
    ("丹", "dan"),
    ("蕾", "lei"),
    ("琴", "qin"),
    ("云", "yun"),
    ("兰", "lan"),
    ("凤", "feng"),
    ("华", "hua"),
    ("玉", "yu"),
    ("萱", "xuan"),
    ("怡", "yi"),
    ("雯", "wen"),
    ("璐", "lu"),
    ("瑶", "yao"),
    ("薇", "wei"),
    ("露", "lu"),
    ("晓", "xiao"),
    ("春", "chun"),
    ("美", "mei"),
    ("淑", "shu"),
    ("爽", "shuang"),
    ("茜", "qian"),
    ("思", "si"),
    ("雨", "yu"),
    ("诗", "shi"),
    ("梦", "meng"),
    ("可", "ke"),
    ("心", "xin"),
    ("悦", "yue"),
    ("宁", "ning"),
    ("文", "wen"),
    ("彤", "tong"),
    ("娇", "jiao"),
];

#[derive(Debug, Clone)]
pub struct PersonName {
    pub surname: &'static str,
    pub given: String,
    pub surname_pinyin: &'static str,
    pub given_pinyin: String,
    pub female: bool,
}

impl PersonName {
    pub fn full(&self) -> String {
        let mut s = String::with_capacity(self.surname.len() + self.given.len());
        s.push_str(self.surname);
        s.push_str(&self.given);
        s
    }

    pub fn pinyin(&self) -> String {
        format!("{}{}", self.surname_pinyin, self.given_pinyin)
    }

    /// 王先生 / 李女士: how a contact is often recorded before the given name is known.
    pub fn honorific(&self) -> String {
        format!(
            "{}{}",
            self.surname,
            if self.female { "女士" } else { "先生" }
        )
    }
}

fn surname_table() -> &'static Cumulative {
    static T: OnceLock<Cumulative> = OnceLock::new();
    T.get_or_init(|| Cumulative::new(SURNAMES.iter().map(|s| s.2)))
}

pub fn surname(rng: &mut Rng) -> (&'static str, &'static str) {
    let (s, p, _) = SURNAMES[surname_table().pick(rng)];
    (s, p)
}

/// A full name: a weighted surname and a given name of one (~25%) or two characters.
pub fn person(rng: &mut Rng) -> PersonName {
    let (surname, surname_pinyin) = surname(rng);
    let female = rng.chance(0.45);
    let pool = if female { FEMALE } else { MALE };
    let (mut given, mut given_pinyin) = {
        let (c, p) = rng.pick(pool);
        (c.to_string(), p.to_string())
    };
    // Compound surnames mostly take two-character given names too, but 欧阳娜 is as real as
    // 欧阳娜娜; keep the 1:3 ratio for all.
    if !rng.chance(0.25) {
        let (c, p) = rng.pick(pool);
        // 芳芳, 婷婷: doubled characters are common in women's names; otherwise avoid them.
        if *c != given || female {
            given.push_str(c);
            given_pinyin.push_str(p);
        } else {
            let (c2, p2) = rng.pick(pool);
            given.push_str(c2);
            given_pinyin.push_str(p2);
        }
    }
    PersonName {
        surname,
        given,
        surname_pinyin,
        given_pinyin,
        female,
    }
}
