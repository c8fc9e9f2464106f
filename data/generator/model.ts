// The generator's model of the province: reference data turned into lookup tables (cumulative weights per city,
// type and industry; items fitting each department × type × industry; per-district effects). Built once per
// process from the options and the reference files, so every worker thread builds the same model.
import { Calendar, parseDay, yearsBefore } from './calendar.ts';
import {
  CITY_SHARE_PCT,
  COOPERATIVE_INDUSTRY_PCT,
  DISTRICT_WEIGHT,
  ENTERPRISE_INDUSTRY_PCT,
  ENTERPRISE_MANUFACTURING_PCT,
  ENTITY_TYPES,
  INDIVIDUAL_INDUSTRY_PCT,
  INDUSTRY_CODES,
  PROPENSITY,
  V2_CAMPAIGNS,
  V2_DRAW_DAY,
  V2_LENIENCY,
  V2_REPORTING,
  V2_SURGE,
  V2_UNCLASSIFIED_CITIES,
  V2_WINDOW_YEARS,
  cityTypeShares,
  defaultDistrictWeight,
  type EntityType,
} from './distributions.ts';
import { CITY_ABBREVIATION, COOPERATIVE_PRODUCTS, ENTERPRISE_WORDS, SHOP_WORDS, SPECIALTY_INDUSTRIES, type Word } from './names.ts';
import type { ItemRow, Reference } from './reference.ts';
import { Rng, cumulative, hashString, seedWords } from './rng.ts';

export const DEFAULT_AS_OF = '2026-10-31';
/** Days before as-of in which a planted outbreak adds tickets (8 weeks, as-of included). */
export const OUTBREAK_DAYS = 56;

export interface Outbreak {
  district: string;
  industry: string;
  factor: number;
}

/** v1: the generator as it was (3 years, one class per entity, results by credit class); v2: see distributions.ts. */
export type GeneratorVersion = 'v1' | 'v2';
export const GENERATOR_VERSIONS: readonly GeneratorVersion[] = ['v1', 'v2'];

export interface ModelOptions {
  entities: number;
  seed: string;
  asOf: string;
  outbreaks: Outbreak[];
  generator: GeneratorVersion;
}

export interface District {
  code: string;
  nameZh: string;
  /** logit-scale effect on propensity */
  effect: number;
  /** v2: mean share of violations its inspectors find, and how many more tickets its residents file */
  detection: number;
  reportingNoise: number;
  reportingGenuine: number;
}

/** v2: an industry x city whose risk surges from `fromDay` on. */
export interface Surge {
  industry: string;
  cityIndex: number;
  effect: number;
  fromDay: number;
}

/** v2: a year's random draw (one per city), and its targeted campaigns. */
export interface DrawYear {
  year: number;
  drawDay: number;
  /** industry x city cells visited by a targeted campaign that year */
  campaigns: Array<{ industry: string; cityIndex: number }>;
}

export interface City {
  index: number;
  code: string;
  nameZh: string;
  abbreviation: string;
  districts: District[];
  districtCum: Float64Array;
  enterpriseShare: number;
  cooperativeShare: number;
  enterpriseIndustryCum: Float64Array;
}

export interface WordTable {
  words: readonly Word[];
  cum: Float64Array;
}

export interface Item {
  code: string;
  departmentIndex: number;
  nameZh: string;
  specialty: string;
  validFromDay: number;
  /** exclusive; Infinity while in force */
  validToDay: number;
}

export interface Model {
  options: ModelOptions;
  keyA: number;
  keyB: number;
  calendar: Calendar;
  asOfDay: number;
  /** first day of the 3-year data window (as-of included at the end) */
  windowStartDay: number;
  windowDays: number;
  earliestEstablishedDay: number;
  cities: City[];
  cityCum: Float64Array;
  cityByCode: Map<string, City>;
  regionCodes: Set<string>;
  individualIndustryCum: Float64Array;
  cooperativeIndustryCum: Float64Array;
  enterpriseWords: Record<string, WordTable>;
  shopWords: Record<string, WordTable>;
  cooperativeProducts: WordTable;
  departments: string[];
  departmentIndex: Map<string, number>;
  items: Item[];
  /** item indices fitting [departmentIndex][type][industry letter index] */
  fittingItems: number[][][][];
  outbreaks: Outbreak[];
  /** v2 only (empty for v1) */
  surges: Surge[];
  drawYears: DrawYear[];
  classifyingCities: Set<string>;
}

function wordTable(words: readonly Word[]): WordTable {
  return { words, cum: cumulative(words.map((x) => x.weight)) };
}

function industryCum(pct: Record<string, number>): Float64Array {
  return cumulative(INDUSTRY_CODES.map((c) => pct[c] ?? 0));
}

function itemFits(item: ItemRow, type: EntityType, industry: string): boolean {
  const objectType = item.object_type;
  if (objectType !== type && objectType !== 'entity') return false;
  const industries = SPECIALTY_INDUSTRIES[item.specialty];
  return industries === undefined || industries.includes(industry);
}

export function parseOutbreak(text: string, entityRegionCodes: ReadonlySet<string>): Outbreak {
  const parts = text.split(':');
  const rule = 'expected DISTRICT:INDUSTRY:FACTOR, e.g. 440305:H:4';
  if (parts.length !== 3) throw new Error(`--plant-outbreak '${text}': ${rule}`);
  const [district, industry, factorText] = parts;
  if (!entityRegionCodes.has(district)) {
    throw new Error(`--plant-outbreak '${text}': '${district}' is not a district code in regions.csv (entities carry district codes, or 441900/442000)`);
  }
  if (!INDUSTRY_CODES.includes(industry)) throw new Error(`--plant-outbreak '${text}': industry '${industry}' is not a GB/T 4754 section A..T`);
  const factor = Number(factorText);
  if (!Number.isFinite(factor) || factor < 1) throw new Error(`--plant-outbreak '${text}': factor '${factorText}' must be a number >= 1`);
  return { district, industry, factor };
}

export function buildModel(reference: Reference, options: ModelOptions): Model {
  const [keyA, keyB] = seedWords(options.seed);
  const asOfDay = parseDay(options.asOf);
  const v2 = options.generator === 'v2';
  const windowStartDay = yearsBefore(asOfDay, v2 ? V2_WINDOW_YEARS : 3) + 1;
  const earliestEstablishedDay = parseDay('1990-01-01');
  const holidays = new Map<number, 'holiday' | 'workday'>();
  for (const [day, kind] of reference.holidays) holidays.set(parseDay(day), kind);
  const calendar = new Calendar(earliestEstablishedDay - 3 * 366, asOfDay + 6 * 366, holidays); // certificates reach 5 years past as-of

  const regionCodes = new Set(reference.regions.map((r) => r.code));
  const effectRng = new Rng(keyA ^ 0x51ed270b, keyB);
  const cities: City[] = [];
  for (const code of Object.keys(CITY_SHARE_PCT)) {
    const row = reference.regions.find((r) => r.code === code && r.level === 'city');
    if (!row) throw new Error(`regions.csv lacks the city ${code}`);
    let districts: District[] = reference.regions
      .filter((r) => r.level === 'district' && r.parent_code === code)
      .map((r) => ({ code: r.code, nameZh: r.name_zh, effect: 0, detection: 1, reportingNoise: 1, reportingGenuine: 1 }));
    if (districts.length === 0) districts = [{ code, nameZh: '', effect: 0, detection: 1, reportingNoise: 1, reportingGenuine: 1 }]; // Dongguan, Zhongshan: entities carry the city code
    for (const d of districts) {
      d.effect = effectRng.reseed(hashString(keyA, d.code), 7).normal() * PROPENSITY.districtSd;
      if (!v2) continue;
      // each from a stream of its own, so that v1's effects stay as they were
      d.detection = effectRng.reseed(hashString(keyA, d.code), 8).float() < V2_LENIENCY.share ? V2_LENIENCY.lenient : V2_LENIENCY.strict;
      const reporting = effectRng.reseed(hashString(keyA, d.code), 9).float() < V2_REPORTING.share;
      d.reportingNoise = reporting ? V2_REPORTING.noiseMult : 1;
      d.reportingGenuine = reporting ? V2_REPORTING.genuineMult : 1;
    }
    const types = cityTypeShares(code);
    const enterprisePct = { ...ENTERPRISE_INDUSTRY_PCT, C: ENTERPRISE_MANUFACTURING_PCT[code] ?? ENTERPRISE_INDUSTRY_PCT.C };
    cities.push({
      index: cities.length,
      code,
      nameZh: row.name_zh,
      abbreviation: CITY_ABBREVIATION[code] ?? row.name_zh.slice(0, 1),
      districts,
      districtCum: cumulative(districts.map((d) => DISTRICT_WEIGHT[d.code] ?? defaultDistrictWeight(d.nameZh))),
      enterpriseShare: types.enterprise,
      cooperativeShare: types.cooperative,
      enterpriseIndustryCum: industryCum(enterprisePct),
    });
  }
  const cityCum = cumulative(cities.map((c) => CITY_SHARE_PCT[c.code]));

  const departments = reference.departments;
  const departmentIndex = new Map(departments.map((d, i) => [d, i]));
  const items: Item[] = reference.items.map((r) => ({
    code: r.code,
    departmentIndex: departmentIndex.get(r.department_code)!,
    nameZh: r.name_zh,
    specialty: r.specialty,
    validFromDay: parseDay(r.valid_from),
    validToDay: r.valid_to ? parseDay(r.valid_to) : Infinity,
  }));
  const fittingItems = departments.map((_, d) =>
    ENTITY_TYPES.map((type) =>
      INDUSTRY_CODES.map((industry) => {
        const out: number[] = [];
        reference.items.forEach((row, i) => {
          if (items[i].departmentIndex === d && itemFits(row, type, industry)) out.push(i);
        });
        return out;
      }),
    ),
  );

  for (const code of ['NO_PROBLEM', 'FIXED', 'PENDING', 'NOT_DISCLOSED', 'FALSE_DISCLOSURE', 'UNREACHABLE', 'NON_COOPERATION', 'NO_ACTIVITY', 'CLOSED']) {
    if (!reference.outcomeCodes.has(code)) throw new Error(`outcome_codes.csv lacks the outcome code ${code}`);
  }

  const surges: Surge[] = [];
  const drawYears: DrawYear[] = [];
  if (v2) {
    const pickRng = new Rng(keyA ^ 0x1f83d9ab, keyB ^ 0x5be0cd19);
    const asOfYear = new Date(asOfDay * 86_400_000).getUTCFullYear();
    const surgeFrom = Date.UTC(asOfYear - 1, 6, 1) / 86_400_000;
    while (surges.length < V2_SURGE.segments) {
      const industry = V2_SURGE.industries[pickRng.int(V2_SURGE.industries.length)];
      const cityIndex = pickRng.int(V2_SURGE.cities); // CITY_SHARE_PCT lists the largest cities first
      if (!surges.some((x) => x.industry === industry && x.cityIndex === cityIndex)) surges.push({ industry, cityIndex, effect: V2_SURGE.effect, fromDay: surgeFrom });
    }
    const consumer = 'CFGHOR';
    for (let year = new Date(windowStartDay * 86_400_000).getUTCFullYear(); year <= asOfYear; year++) {
      const drawDay = Date.UTC(year, V2_DRAW_DAY.month - 1, V2_DRAW_DAY.day) / 86_400_000;
      if (drawDay < windowStartDay || drawDay > asOfDay) continue;
      const campaigns = Array.from({ length: V2_CAMPAIGNS.perYear }, () => ({ industry: consumer[pickRng.int(consumer.length)], cityIndex: pickRng.int(cities.length) }));
      drawYears.push({ year, drawDay, campaigns });
    }
  }

  return {
    options,
    keyA,
    keyB,
    calendar,
    asOfDay,
    windowStartDay,
    windowDays: asOfDay - windowStartDay + 1,
    earliestEstablishedDay,
    cities,
    cityCum,
    cityByCode: new Map(cities.map((c) => [c.code, c])),
    regionCodes,
    individualIndustryCum: industryCum(INDIVIDUAL_INDUSTRY_PCT),
    cooperativeIndustryCum: industryCum(COOPERATIVE_INDUSTRY_PCT),
    enterpriseWords: Object.fromEntries(Object.entries(ENTERPRISE_WORDS).map(([k, v]) => [k, wordTable(v)])),
    shopWords: Object.fromEntries(Object.entries(SHOP_WORDS).map(([k, v]) => [k, wordTable(v)])),
    cooperativeProducts: wordTable(COOPERATIVE_PRODUCTS),
    departments,
    departmentIndex,
    items,
    fittingItems,
    outbreaks: options.outbreaks,
    surges,
    drawYears,
    classifyingCities: new Set(cities.map((c) => c.code).filter((c) => !V2_UNCLASSIFIED_CITIES.includes(c))),
  };
}
