// The shape of the synthetic province: how entities spread over cities, districts, types and industries, and the
// effects that make up each entity's hidden violation propensity. Numbers are approximations of published
// Guangdong market-entity statistics (end of 2024: 7.74 M enterprises, 10.63 M individual businesses).

export type EntityType = 'enterprise' | 'individual' | 'cooperative';
export const ENTITY_TYPES: readonly EntityType[] = ['enterprise', 'individual', 'cooperative'];
/** GB 32100 entity-type character under registration authority '9' (market regulation). */
export const USCC_TYPE_CHAR: Record<EntityType, string> = { enterprise: '1', individual: '2', cooperative: '3' };

/** Share of the province's market entities per city (percent; normalised at use). */
export const CITY_SHARE_PCT: Record<string, number> = {
  '440300': 22.0, // 深圳
  '440100': 17.0, // 广州
  '441900': 9.0, // 东莞
  '440600': 8.0, // 佛山
  '441300': 4.5, // 惠州
  '442000': 4.0, // 中山
  '440700': 3.6, // 江门
  '440500': 3.5, // 汕头
  '440800': 3.3, // 湛江
  '440900': 3.0, // 茂名
  '445200': 2.9, // 揭阳
  '441200': 2.5, // 肇庆
  '441800': 2.3, // 清远
  '441400': 2.2, // 梅州
  '440400': 2.1, // 珠海
  '440200': 1.7, // 韶关
  '441600': 1.5, // 河源
  '445100': 1.5, // 潮州
  '441700': 1.4, // 阳江
  '441500': 1.3, // 汕尾
  '445300': 1.1, // 云浮
};

/** Enterprise and cooperative shares within a city; individual businesses take the rest. */
export function cityTypeShares(cityCode: string): { enterprise: number; cooperative: number } {
  const enterprise =
    ({ '440300': 0.6, '440100': 0.48, '441900': 0.42, '440600': 0.38, '440400': 0.5, '442000': 0.34, '441300': 0.33 } as Record<string, number>)[
      cityCode
    ] ?? 0.3;
  const cooperative = ({ '440300': 0.0005, '440100': 0.003, '441900': 0.0005, '440600': 0.003, '440400': 0.002 } as Record<string, number>)[cityCode] ?? 0.022;
  return { enterprise, cooperative };
}

/** Relative weights of districts within their city (approximate entity counts); others follow `defaultDistrictWeight`. */
export const DISTRICT_WEIGHT: Record<string, number> = {
  // 深圳
  '440303': 7, '440304': 12, '440305': 11, '440306': 19, '440307': 17, '440308': 1.5, '440309': 11, '440310': 3, '440311': 4,
  // 广州
  '440103': 5, '440104': 8, '440105': 10, '440106': 16, '440111': 20, '440112': 7, '440113': 13, '440114': 8, '440115': 4, '440117': 2, '440118': 7,
  // 佛山
  '440604': 20, '440605': 33, '440606': 32, '440607': 8, '440608': 7,
  // 珠海
  '440402': 70, '440403': 15, '440404': 15,
  // 惠州
  '441302': 30, '441303': 20, '441322': 22, '441323': 20, '441324': 8,
  // 汕头
  '440507': 18, '440511': 20, '440512': 5, '440513': 17, '440514': 14, '440515': 24, '440523': 2,
};

export function defaultDistrictWeight(nameZh: string): number {
  if (nameZh.endsWith('区')) return 3;
  if (nameZh.endsWith('市')) return 2.5;
  return 1.4; // 县, 自治县
}

export const INDUSTRY_CODES = 'ABCDEFGHIJKLMNOPQRST'.split('');

/** Industry section weights (percent) for individual businesses. */
export const INDIVIDUAL_INDUSTRY_PCT: Record<string, number> = {
  A: 1.2, C: 3.5, E: 2.5, F: 53, G: 4.5, H: 15, I: 0.8, L: 1.5, M: 0.8, N: 0.3, O: 13.5, P: 0.4, Q: 0.8, R: 2.2,
};

/** Industry section weights (percent) for enterprises in an average city. */
export const ENTERPRISE_INDUSTRY_PCT: Record<string, number> = {
  A: 1.2, B: 0.1, C: 11, D: 0.6, E: 6, F: 31, G: 4, H: 3, I: 7, J: 1.2, K: 3, L: 14, M: 10, N: 0.8, O: 2.2, P: 0.8, Q: 0.6,
  R: 2.2, S: 0.1,
};

/** Manufacturing weight for enterprises by city (Dongguan and Foshan are manufacturing cities). */
export const ENTERPRISE_MANUFACTURING_PCT: Record<string, number> = {
  '441900': 27, '440600': 24, '442000': 20, '440700': 16, '441300': 14, '440500': 15, '445200': 15, '445100': 16,
  '440300': 8, '440100': 6,
};

export const COOPERATIVE_INDUSTRY_PCT: Record<string, number> = { A: 90, F: 5, C: 3, O: 2 };

/** Logit-scale effects on the hidden violation propensity. */
export const PROPENSITY = {
  intercept: -2.9,
  industry: {
    A: 0.1, B: 0.4, C: 0.35, D: -0.2, E: 0.35, F: 0.25, G: 0.2, H: 0.55, I: -0.5, J: -0.35, K: 0.1, L: -0.1,
    M: -0.45, N: 0, O: 0.3, P: 0.15, Q: 0.3, R: 0.35, S: -0.5, T: -0.5,
  } as Record<string, number>,
  type: { enterprise: 0, individual: 0.3, cooperative: 0.15 } as Record<EntityType, number>,
  /** by age in years: < 1, < 3, < 6, < 10, older */
  age: [0.55, 0.3, 0.1, 0, -0.2],
  districtSd: 0.3,
  noiseSd: 1.1,
};

export function ageEffect(ageYears: number): number {
  const a = PROPENSITY.age;
  return ageYears < 1 ? a[0] : ageYears < 3 ? a[1] : ageYears < 6 ? a[2] : ageYears < 10 ? a[3] : a[4];
}

/** Complaint-rate multipliers by industry: consumer-facing sections draw most 12345 tickets. */
export const COMPLAINT_INDUSTRY_MULT: Record<string, number> = {
  A: 0.2, B: 0.3, C: 0.5, D: 0.4, E: 0.9, F: 1.5, G: 0.7, H: 1.8, I: 0.5, J: 0.6, K: 1.2, L: 0.5, M: 0.3, N: 0.4,
  O: 1.6, P: 1.3, Q: 0.9, R: 1.5, S: 0.2, T: 0.2,
};

/** Named 12345 tickets per entity-3-years at propensity 0.12 before the industry multiplier (calibrated to ~0.3 overall). */
export const COMPLAINT_BASE_RATE = 0.18;
export const COMPLAINT_PROPENSITY_EXPONENT = 1.6;
export const COMPLAINT_RATE_CAP = 40;
/** Tickets without a named entity, as a share of all tickets. */
export const ANONYMOUS_TICKET_SHARE = 0.15;

/** Inspection probability per entity-year before the credit-class multiplier (2019+ risk-based practice). */
export const INSPECTION_YEARLY_PROB = 0.065;
export const CREDIT_CLASS_INSPECTION_MULT: Record<string, number> = { A: 0.5, B: 1, C: 2, D: 4 };

/** Credit classes from logit(propensity) + noise, cut at these thresholds (A most common). */
export const CREDIT_CLASS_NOISE_SD = 0.75;
export const CREDIT_CLASS_CUTS = [-1.95, -0.8, 0.2];

/** Share of inspectors per department (percent). */
export const INSPECTOR_DEPARTMENT_PCT: Record<string, number> = {
  SAMR: 50, TAX: 6, MEE: 5, HEALTH: 5, EMERGENCY: 5, TRANSPORT: 4, CULTURE: 3, HRSS: 4, COMMERCE: 2, AGRI: 3,
  HOUSING: 4, EDUCATION: 2, PUBSEC: 2, DRUG: 3, NATRES: 1, WATER: 1,
};

/** Outcome codes for a result with a finding, and without one (weights). */
export const FINDING_OUTCOMES: Array<[string, number]> = [
  ['FIXED', 56], ['PENDING', 15], ['NOT_DISCLOSED', 14], ['UNREACHABLE', 8], ['FALSE_DISCLOSURE', 4], ['NON_COOPERATION', 3],
];
export const CLEAN_OUTCOMES: Array<[string, number]> = [['NO_PROBLEM', 90], ['NO_ACTIVITY', 6], ['CLOSED', 4]];

// ---- generator v2: what real records look like beyond v1 --------------------------------------------------------
// Partial and stale credit classification, complaints with unsubstantiated noise, reporting-prone districts and
// competitor bursts, inspectors who find less in some districts, random draws with recorded strata beside targeted
// and complaint-driven inspections, risk that moves between years, and risky operators who leave few records.

/** Years of records v2 writes (v1: 3), so that two years can train and one test. */
export const V2_WINDOW_YEARS = 4;

/** Industry groups whose risk moves with age in opposite ways: young shops and restaurants, ageing factories. */
export function industryGroup(industry: string): 'retail' | 'factory' | 'build' | 'other' {
  if ('FHOR'.includes(industry)) return 'retail';
  if ('BCD'.includes(industry)) return 'factory';
  if ('EGK'.includes(industry)) return 'build';
  return 'other';
}

/** Logit effect of age by industry group (v2, in place of v1's one curve): < 1, < 3, < 6, < 10, older. */
export const V2_AGE_EFFECT: Record<ReturnType<typeof industryGroup>, readonly number[]> = {
  retail: [0.85, 0.45, 0.1, -0.15, -0.35],
  factory: [-0.25, -0.15, 0, 0.3, 0.6],
  build: [0.45, 0.2, 0, 0, 0.1],
  other: [0.3, 0.15, 0, 0, -0.1],
};

export function v2AgeEffect(industry: string, ageYears: number): number {
  const a = V2_AGE_EFFECT[industryGroup(industry)];
  return ageYears < 1 ? a[0] : ageYears < 3 ? a[1] : ageYears < 6 ? a[2] : ageYears < 10 ? a[3] : a[4];
}

/** Risk moves between years: an AR(1) walk per entity on the logit scale. */
export const V2_WALK = { persistence: 0.7, sd: 0.35 };

/** Informal operators: individual businesses in consumer sections with high risk that few records show. */
export const V2_INFORMAL = { share: 0.05, industries: 'FHOR', effect: 1.1, complaintVisibility: 0.25, abnormalMult: 3 };

/** Segments whose risk surges from the middle of the year before as-of (industry x city, chosen from the seed). */
export const V2_SURGE = { segments: 3, effect: 1.0, industries: 'FHOR', cities: 8 };

/** Cities that do not classify credit risk at all, and the share of entities classified elsewhere, by type. */
export const V2_UNCLASSIFIED_CITIES: readonly string[] = ['441500', '445300', '441600', '440900', '441700'];
export const V2_CLASSIFIED_SHARE: Record<EntityType, number> = { enterprise: 0.75, individual: 0.35, cooperative: 0.5 };
/** When an entity was last classified: share within 1 year, 1-2 years, 2-5 years before as-of (stale). */
export const V2_CLASS_AGE = [0.45, 0.25, 0.3];
export const V2_CLASS_NOISE_SD = 0.9;

/** Districts whose inspectors find less: share of districts, and the detection rate there and elsewhere. */
export const V2_LENIENCY = { share: 0.25, lenient: 0.62, strict: 0.93, inspectorSd: 0.06 };
/** Share of a visit's officers drawn from the entity's own district when it has two (else the city's pool). */
export const V2_OWN_DISTRICT_TEAM = 0.7;

/** Reporting-prone districts: share, and how many more tickets they file (noise, and genuine complaints). */
export const V2_REPORTING = { share: 0.2, noiseMult: 3, genuineMult: 1.4 };

/** Named tickets per entity-year: genuine ones at propensity 0.12 (rising with it), noise ones whatever the risk. */
export const V2_COMPLAINTS = { genuineBase: 0.05, genuineExponent: 1.3, noiseBase: 0.04, cap: 15, consultationShare: 0.12 };
/** Competitor bursts: chance per entity-year, tickets in one, days they spread over. */
export const V2_BURST = { chance: 0.004, min: 4, extra: 9, days: 10 };
/** Substantiated true / false (the rest unknown) by kind of ticket. */
export const V2_SUBSTANTIATED: Record<'genuine' | 'noise' | 'burst', [number, number]> = {
  genuine: [0.7, 0.18],
  noise: [0.08, 0.72],
  burst: [0.03, 0.82],
};
/** Share of a ticket's topics from the violation topics (genuine) or from the dispute topics (noise). */
export const V2_TOPIC_MATCH = 0.75;

/** Yearly random draws by city, stratified by the credit class known on the draw day (U: unclassified), in basis points. */
export const V2_DRAW_STRATA = ['A', 'B', 'C', 'D', 'U'] as const;
export const V2_DRAW_RATIO_BP: Record<(typeof V2_DRAW_STRATA)[number], number> = { A: 200, B: 400, C: 1000, D: 2500, U: 400 };
/** Month and day of each year's draw. */
export const V2_DRAW_DAY = { month: 3, day: 1 };
/** A substantiated named complaint is checked on site with this chance (complaint-driven, outside the draws). */
export const V2_COMPLAINT_CHECK = { chance: 0.12, findingMult: 1.8 };
/** Targeted campaigns per year (industry x city), and the share of the cell they visit. */
export const V2_CAMPAIGNS = { perYear: 2, share: 0.2 };
