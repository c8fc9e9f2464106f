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

export interface ModelOptions {
  entities: number;
  seed: string;
  asOf: string;
  outbreaks: Outbreak[];
}

export interface District {
  code: string;
  nameZh: string;
  /** logit-scale effect on propensity */
  effect: number;
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
  const windowStartDay = yearsBefore(asOfDay, 3) + 1;
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
      .map((r) => ({ code: r.code, nameZh: r.name_zh, effect: 0 }));
    if (districts.length === 0) districts = [{ code, nameZh: '', effect: 0 }]; // Dongguan, Zhongshan: entities carry the city code
    for (const d of districts) d.effect = effectRng.reseed(hashString(keyA, d.code), 7).normal() * PROPENSITY.districtSd;
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
  };
}
