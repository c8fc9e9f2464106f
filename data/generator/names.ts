// Chinese vocabulary for realistic names and texts: trade names (字号), industry words, shop words, people's names,
// 12345 ticket topics and inspection findings. Words may carry extra responsible departments (a pharmacy -> DRUG).

export interface Word {
  text: string;
  weight: number;
  /** departments responsible for an entity named with this word, beyond its industry's */
  departments?: readonly string[];
}

const w = (text: string, weight = 1, departments?: readonly string[]): Word => ({ text, weight, departments });

/** Characters that make up 2-character trade names (字号). */
export const TRADE_NAME_CHARS = (
  '华创盛达鑫源丰泰隆兴恒信和利宏辉嘉金荣顺祥瑞腾通新永裕昌佳美发富光海汇骏凯康朗力联明诺鹏启锐盈智卓众中博安宝邦诚晨德东方峰福港' +
  '广国好合弘鸿虹吉健捷锦景俊科乐丽林龙茂铭南品奇千勤青庆仁润赛尚升胜晟实世天拓万威伟维翔欣星旭亚扬耀益易逸银优宇元远悦粤云展' +
  '正志致舟梓泽臻骐铂璟睿百贝彩灿春聚菲凡沣宸航浩皓禾恩鼎冠桂涵翰禧骅坤岚蓝麟隆美沐宁鹏启圣颂泰田潼蔚雯祥鑫亿盈宥钰誉源湛卓'
).split('');

/** Guangdong's common surnames with rough weights. */
export const SURNAMES: readonly Word[] = [
  w('陈', 12), w('黄', 7.5), w('李', 7), w('张', 5), w('梁', 4.5), w('林', 4.5), w('刘', 4.5), w('吴', 3.5), w('罗', 3),
  w('何', 2.8), w('郑', 2.6), w('杨', 2.5), w('曾', 2.3), w('钟', 2.2), w('谢', 2.2), w('郭', 2), w('邓', 2), w('冯', 1.8),
  w('蔡', 1.8), w('许', 1.6), w('王', 1.6), w('周', 1.5), w('叶', 1.5), w('苏', 1.4), w('卢', 1.3), w('潘', 1.2), w('麦', 1),
  w('余', 1), w('彭', 1), w('赖', 1), w('莫', 0.9), w('朱', 0.9), w('方', 0.8), w('谭', 0.8), w('关', 0.7), w('邱', 0.7),
  w('温', 0.7), w('胡', 0.7), w('江', 0.6), w('庄', 0.6), w('廖', 0.6), w('严', 0.4), w('欧阳', 0.3), w('司徒', 0.15),
];

export const GIVEN_NAME_CHARS = (
  '伟强明华建国志勇军杰涛斌辉鹏飞俊峰磊超文锋波海平东亮健斌龙晓丽芳敏静燕玲婷娟秀英红霞雪梅琳颖慧欣怡佳宇浩然子轩梓涵' +
  '嘉诚家豪锦荣振宏永坚少玉美凤金桂兰淑贤惠宁瑶思琪晴雅欢乐春秋冬剑锐智成德松柏林森泽源彬炜炳灿荣耀光耀宗汉'
).split('');

/** City short names used in decision numbers (e.g. 深市监罚〔2025〕…号). */
export const CITY_ABBREVIATION: Record<string, string> = {
  '440100': '穗', '440200': '韶', '440300': '深', '440400': '珠', '440500': '汕', '440600': '佛', '440700': '江',
  '440800': '湛', '440900': '茂', '441200': '肇', '441300': '惠', '441400': '梅', '441500': '汕尾', '441600': '河',
  '441700': '阳', '441800': '清', '441900': '莞', '442000': '中', '445100': '潮', '445200': '揭', '445300': '云',
};

/** Short names of departments in document numbers (市监 for market regulation ...). */
export const DEPARTMENT_ABBREVIATION: Record<string, string> = {
  SAMR: '市监', TAX: '税', MEE: '环', HEALTH: '卫健', EMERGENCY: '应急', TRANSPORT: '交', CULTURE: '文旅', HRSS: '人社',
  COMMERCE: '商务', AGRI: '农', HOUSING: '建', EDUCATION: '教', PUBSEC: '公', DRUG: '药监', NATRES: '自然资源', WATER: '水',
};

/** Departments responsible for every entity of an industry section, beyond SAMR. */
export const INDUSTRY_DEPARTMENTS: Record<string, readonly string[]> = {
  A: ['AGRI'], B: ['NATRES', 'EMERGENCY'], C: ['EMERGENCY', 'MEE'], D: ['EMERGENCY'], E: ['HOUSING'], G: ['TRANSPORT'],
  K: ['HOUSING'], N: ['MEE'], P: ['EDUCATION'], Q: ['HEALTH'], R: ['CULTURE'],
};

/** Enterprise name words by industry: 深圳市 + 字号 + word + 有限公司. */
export const ENTERPRISE_WORDS: Record<string, readonly Word[]> = {
  A: [w('农业发展', 3), w('生态农业', 2), w('水产养殖', 1.5), w('农业科技', 2), w('种养', 1), w('林业', 0.5)],
  B: [w('矿业', 2), w('石材', 1)],
  C: [
    w('电子', 4), w('五金制品', 3), w('塑胶制品', 2.5), w('家具', 2), w('服装', 2), w('食品', 1.5), w('陶瓷', 1), w('机械设备', 2.5),
    w('照明电器', 1.5), w('化工', 0.8), w('印刷', 1), w('包装材料', 1.2), w('模具', 1.2), w('纺织', 1), w('家用电器', 1.5),
    w('新材料', 1), w('精密制造', 1),
  ],
  D: [w('新能源', 3), w('电力', 1), w('燃气', 1), w('供水', 0.5)],
  E: [w('建筑工程', 3), w('装饰工程', 4), w('建设工程', 2), w('机电安装工程', 1.5), w('园林绿化工程', 1), w('钢结构工程', 0.8)],
  F: [
    w('贸易', 6), w('商贸', 5), w('实业', 3), w('进出口', 2.5), w('电子商务', 3), w('供应链管理', 2), w('医药', 0.8, ['DRUG']),
    w('百货', 1), w('汽车销售', 0.8, ['COMMERCE']), w('建材', 1.5), w('食品贸易', 1.5), w('石油化工', 0.2, ['COMMERCE', 'EMERGENCY']),
    w('二手车交易', 0.2, ['COMMERCE']),
  ],
  G: [w('物流', 5), w('运输', 3), w('货运代理', 2), w('快递', 1), w('仓储', 1)],
  H: [w('餐饮管理', 5), w('餐饮服务', 3), w('酒店管理', 2, ['HEALTH', 'PUBSEC']), w('食品配送', 1)],
  I: [w('信息技术', 4), w('网络科技', 4), w('软件', 2), w('数据科技', 1), w('智能科技', 2)],
  J: [w('投资', 3), w('融资租赁', 1), w('资产管理', 1.5)],
  K: [w('房地产开发', 2), w('物业管理', 3), w('房地产经纪', 2), w('置业', 1)],
  L: [
    w('企业管理咨询', 4), w('商务服务', 3), w('广告', 2), w('人力资源', 1.5, ['HRSS']), w('文化传播', 2), w('会展服务', 0.8),
    w('投资咨询', 1.2), w('知识产权代理', 0.5),
  ],
  M: [w('科技', 6), w('检测技术', 1), w('工程设计', 1.2), w('生物科技', 1.2), w('技术服务', 2), w('环境科技', 0.8)],
  N: [w('环保工程', 2), w('园林', 1), w('市政工程', 1), w('水务', 0.5, ['WATER'])],
  O: [w('家政服务', 2), w('汽车维修', 2, ['TRANSPORT']), w('美容', 2), w('清洁服务', 1.5), w('家电维修', 1)],
  P: [w('教育科技', 2, ['EDUCATION']), w('培训', 2), w('职业技能培训', 1, ['HRSS'])],
  Q: [w('医疗管理', 2), w('健康管理', 2), w('养老服务', 1), w('门诊部', 1)],
  R: [w('文化传媒', 3), w('影视', 1), w('体育发展', 1), w('娱乐', 1, ['PUBSEC']), w('旅游', 1.5)],
  S: [w('社区服务', 1)],
  T: [w('咨询', 1)],
};

/** Individual-business words by industry: 南山区 + 字号 + word. */
export const SHOP_WORDS: Record<string, readonly Word[]> = {
  A: [w('种植场', 2), w('养殖场', 2), w('果园', 1), w('鱼塘', 1)],
  B: [w('采石场', 1, ['NATRES'])],
  C: [w('加工厂', 3), w('制衣厂', 1.5), w('五金加工部', 1.5), w('食品加工坊', 1.2), w('家具厂', 1), w('印刷厂', 0.6)],
  D: [w('水电服务部', 1)],
  E: [w('装饰工程部', 3), w('水电安装部', 2), w('建材安装部', 1)],
  F: [
    w('便利店', 8), w('商行', 7), w('士多店', 4), w('批发部', 3), w('水果店', 3), w('五金店', 2.5), w('日用品店', 2.5), w('服装店', 4),
    w('烟酒商行', 2, ['COMMERCE']), w('副食店', 2), w('粮油店', 1.5), w('手机店', 2), w('药店', 1.5, ['DRUG']), w('茶叶店', 1.2),
    w('母婴用品店', 1), w('鞋店', 1.2), w('文具店', 0.8), w('海鲜档', 1.5), w('猪肉档', 1.5), w('蔬菜档', 2),
  ],
  G: [w('货运部', 3), w('搬家服务部', 1), w('物流部', 1.5), w('运输部', 1.5)],
  H: [
    w('餐馆', 6), w('小吃店', 4), w('饭店', 3), w('茶餐厅', 2), w('粥店', 1.5), w('奶茶店', 2.5), w('面馆', 2), w('烧腊店', 1.5),
    w('糖水店', 1), w('快餐店', 3), w('烧烤店', 1.5), w('旅馆', 1.5, ['HEALTH', 'PUBSEC']), w('民宿', 0.8, ['CULTURE', 'PUBSEC']),
  ],
  I: [w('电脑维修部', 2), w('网络服务部', 1)],
  L: [w('广告部', 2), w('中介服务部', 1.5), w('商务服务部', 1)],
  M: [w('设计工作室', 2), w('技术服务部', 1)],
  N: [w('清洁服务部', 1)],
  O: [
    w('理发店', 5), w('美容店', 3, ['HEALTH']), w('洗衣店', 1.5), w('家电维修部', 1.5), w('汽车维修店', 2, ['TRANSPORT']),
    w('摄影部', 1), w('美甲店', 1.5), w('足浴店', 1, ['HEALTH']), w('修鞋店', 0.5), w('开锁服务部', 0.5, ['PUBSEC']),
    w('家政服务部', 1),
  ],
  P: [w('培训部', 2, ['EDUCATION']), w('艺术培训部', 1, ['EDUCATION'])],
  Q: [w('诊所', 2), w('中医诊所', 1), w('养生馆', 1)],
  R: [w('棋牌室', 2, ['PUBSEC']), w('网吧', 1, ['PUBSEC']), w('健身房', 1), w('台球室', 1), w('书店', 1)],
  S: [w('服务部', 1)],
  T: [w('服务部', 1)],
};

export const COOPERATIVE_PRODUCTS: readonly Word[] = [
  w('荔枝种植', 3), w('蔬菜种植', 4), w('水果种植', 4), w('茶叶种植', 2), w('花卉种植', 1.5), w('南药种植', 1), w('水稻种植', 2),
  w('生猪养殖', 2), w('家禽养殖', 2.5), w('水产养殖', 2.5), w('农机', 1.5), w('农产品购销', 1.5), w('蜂业', 0.5),
];

/** 12345 ticket topics (诉求内容分类) by industry section; `DEFAULT` for the others. */
export const COMPLAINT_TOPICS: Record<string, readonly string[]> = {
  F: ['商品质量问题', '价格欺诈', '虚假宣传', '缺斤短两', '售后服务纠纷', '销售过期食品', '退换货纠纷', '无照经营', '销售假冒伪劣商品'],
  H: ['食品安全问题', '餐饮卫生问题', '未明码标价', '油烟扰民', '疑似食物中毒', '价格纠纷', '无证经营'],
  O: ['预付卡退费纠纷', '服务质量纠纷', '乱收费', '维修质量问题', '商家跑路'],
  R: ['噪音扰民', '预付卡退费纠纷', '无证经营', '消防安全隐患'],
  K: ['物业服务纠纷', '房屋质量问题', '虚假房源', '中介乱收费'],
  E: ['施工噪音扰民', '拖欠农民工工资', '工程质量问题'],
  C: ['产品质量问题', '环境污染', '拖欠工资', '安全生产隐患'],
  G: ['快递延误丢失', '运输合同纠纷', '拖欠工资'],
  P: ['培训退费纠纷', '虚假宣传', '无证办学'],
  Q: ['医疗服务纠纷', '乱收费', '非法行医'],
  I: ['网络消费纠纷', '个人信息泄露', '自动续费纠纷'],
  L: ['合同纠纷', '虚假广告', '中介服务纠纷'],
  M: ['检测报告纠纷', '合同纠纷'],
  A: ['农资质量问题', '农产品质量安全'],
  DEFAULT: ['合同纠纷', '拖欠工资', '服务质量纠纷', '无照经营'],
};

/**
 * Topics that name a violation (safety, quality, fraud, pricing, licensing) rather than a dispute or a nuisance: the
 * v2 generator gives genuine complaints mostly these, noise mostly the others.
 */
export const VIOLATION_TOPICS: ReadonlySet<string> = new Set([
  '商品质量问题', '价格欺诈', '虚假宣传', '缺斤短两', '销售过期食品', '无照经营', '销售假冒伪劣商品', '食品安全问题', '餐饮卫生问题',
  '未明码标价', '疑似食物中毒', '无证经营', '乱收费', '维修质量问题', '消防安全隐患', '房屋质量问题', '虚假房源', '中介乱收费',
  '工程质量问题', '产品质量问题', '环境污染', '安全生产隐患', '无证办学', '非法行医', '个人信息泄露', '虚假广告', '农资质量问题',
  '农产品质量安全',
]);

export const CONSULTATION_TOPICS: readonly string[] = ['营业执照办理咨询', '年度报告公示咨询', '消费维权咨询', '经营许可咨询', '注销登记咨询'];

/** Reasons for listing in the abnormal-operation directory (经营异常名录). */
export const ABNORMAL_REASONS: readonly string[] = [
  '未依照规定的期限公示年度报告',
  '通过登记的住所或者经营场所无法联系',
  '未在责令的期限内公示有关企业信息',
  '公示企业信息隐瞒真实情况、弄虚作假',
];

/** Penalty descriptions by industry section; `DEFAULT` for the others. */
export const PENALTY_REASONS: Record<string, readonly string[]> = {
  F: ['销售不符合食品安全标准的食品', '价格违法行为', '销售侵犯注册商标专用权的商品', '虚假宣传', '未明码标价'],
  H: ['未取得食品经营许可从事食品经营', '食品经营场所卫生不符合要求', '使用超过保质期的食品原料'],
  C: ['生产不合格产品', '未按规定进行安全生产教育培训', '超标排放污染物', '产品标识不符合规定'],
  E: ['未取得施工许可擅自施工', '违反建筑施工安全规定'],
  G: ['未按规定办理道路运输经营许可', '超限超载运输'],
  O: ['未按规定公示收费标准', '虚假宣传'],
  Q: ['超出诊疗科目范围执业', '使用未取得执业资格人员'],
  R: ['未经许可从事娱乐场所经营', '消防设施不符合要求'],
  DEFAULT: ['未按规定公示年度报告', '发布违法广告', '未按规定办理变更登记', '违反合同监管规定'],
};

/** Findings by item specialty (specialties.csv codes); `DEFAULT` for the others. */
export const FINDING_PHRASES: Record<string, readonly string[]> = {
  registration: ['营业执照未在显著位置悬挂', '登记事项变更未办理变更登记', '实际经营场所与登记住所不符', '年度报告信息与实际不符'],
  food_safety: ['未建立食品进货查验记录', '从业人员健康证明过期', '食品贮存不符合要求', '经营场所卫生条件不达标', '超范围经营食品'],
  product_quality: ['产品标识不符合规定', '销售无合格证明的产品', '未执行产品质量标准', '抽检产品不合格'],
  special_equipment: ['特种设备未按期检验', '特种设备作业人员无证上岗', '特种设备安全技术档案不全'],
  pricing: ['未明码标价', '价格标示不规范', '收费项目未公示'],
  advertising: ['发布的广告含有绝对化用语', '广告未标明广告主信息', '广告内容与实际不符'],
  ip: ['使用未注册商标冒充注册商标', '专利标识标注不规范'],
  measurement: ['计量器具未按期检定', '使用不合格计量器具', '定量包装商品净含量不足'],
  e_commerce: ['网店未亮照经营', '未公示经营者身份信息', '网络交易记录保存不完整'],
  tax: ['发票使用不规范', '未按期办理纳税申报', '账簿设置不规范'],
  environment: ['污染防治设施未正常运行', '危险废物管理台账不完整', '排污许可证执行报告未提交'],
  occupational_health: ['未组织职业健康检查', '职业病危害因素未定期检测'],
  public_health: ['公共场所卫生许可证过期', '从业人员未取得健康证明', '消毒记录不完整'],
  medical_practice: ['超出诊疗科目范围执业', '医疗废物处置不规范', '病历书写不规范'],
  work_safety: ['安全生产责任制不健全', '特种作业人员无证上岗', '隐患排查治理记录缺失', '消防通道堵塞'],
  road_transport: ['车辆未按规定年审', '驾驶员从业资格证过期', '未建立车辆技术档案'],
  culture_market: ['未经许可经营演出场所', '接纳未成年人进入营业场所', '经营场所消防通道堵塞'],
  tourism: ['未按规定签订旅游合同', '旅游服务质量不达标'],
  labour: ['未依法签订劳动合同', '拖欠劳动者工资', '未按规定缴纳社会保险'],
  trade: ['单用途预付卡备案信息未报送', '经营台账不完整'],
  agriculture: ['农药经营台账不完整', '农产品质量安全记录缺失', '销售禁用农药'],
  construction: ['施工现场安全防护不到位', '未按规定办理质量监督手续'],
  real_estate: ['商品房销售未明码标价', '发布虚假房源信息', '未按规定公示资质证书'],
  education: ['培训内容超出许可范围', '收费未按规定公示', '教职人员资质不全'],
  public_security: ['未按规定登记住宿旅客信息', '治安防范措施不落实'],
  drugs: ['药品购进记录不完整', '处方药未凭处方销售', '药品储存温湿度不符合要求'],
  medical_devices: ['医疗器械进货查验记录不全', '经营未取得备案的医疗器械'],
  cosmetics: ['化妆品进货查验记录不全', '销售过期化妆品'],
  natural_resources: ['未经批准占用土地', '超出许可范围开采'],
  water: ['未经许可取水', '取水计量设施不合格'],
  DEFAULT: ['相关台账记录不完整', '未按规定公示有关信息', '经营行为不规范'],
};

/** Which industry sections an item of a specialty fits (an item of a specialty not listed fits every industry). */
export const SPECIALTY_INDUSTRIES: Record<string, string> = {
  food_safety: 'ACFH',
  product_quality: 'CF',
  special_equipment: 'CEGHK',
  pricing: 'FHKOPQR',
  advertising: 'FILMOPQ',
  ip: 'CFIM',
  measurement: 'CFH',
  e_commerce: 'FI',
  environment: 'BCDENO',
  occupational_health: 'BCD',
  public_health: 'HOR',
  medical_practice: 'Q',
  work_safety: 'BCDEFG',
  road_transport: 'GO',
  culture_market: 'HR',
  tourism: 'HR',
  trade: 'FH',
  agriculture: 'A',
  construction: 'E',
  real_estate: 'K',
  education: 'P',
  public_security: 'HOR',
  drugs: 'CFQ',
  medical_devices: 'CFQ',
  cosmetics: 'CFO',
  natural_resources: 'AB',
  water: 'ADN',
};
