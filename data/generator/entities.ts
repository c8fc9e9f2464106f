// One entity at a time, from (seed, index) alone: its directory row, hidden propensity, credit records, 12345
// tickets and prior inspection results, appended as CSV text to a block. Each purpose draws from its own random
// stream, so planting an outbreak adds tickets without changing any other value.
import {
  ANONYMOUS_TICKET_SHARE,
  CLEAN_OUTCOMES,
  COMPLAINT_BASE_RATE,
  COMPLAINT_INDUSTRY_MULT,
  COMPLAINT_PROPENSITY_EXPONENT,
  COMPLAINT_RATE_CAP,
  CREDIT_CLASS_CUTS,
  CREDIT_CLASS_INSPECTION_MULT,
  CREDIT_CLASS_NOISE_SD,
  FINDING_OUTCOMES,
  INDUSTRY_CODES,
  INSPECTION_YEARLY_PROB,
  PROPENSITY,
  USCC_TYPE_CHAR,
  ageEffect,
  type EntityType,
} from './distributions.ts';
import { OUTBREAK_DAYS, type City, type District, type Model, type Outbreak } from './model.ts';
import {
  ABNORMAL_REASONS,
  COMPLAINT_TOPICS,
  CONSULTATION_TOPICS,
  DEPARTMENT_ABBREVIATION,
  FINDING_PHRASES,
  GIVEN_NAME_CHARS,
  INDUSTRY_DEPARTMENTS,
  PENALTY_REASONS,
  SURNAMES,
  TRADE_NAME_CHARS,
  type Word,
} from './names.ts';
import type { InspectorPool } from './inspector-pool.ts';
import { FeistelPermutation, Rng, cumulative } from './rng.ts';
import { USCC_ALPHABET, makeUscc } from '../../engine/src/reference/uscc.ts';

/** Column order of each output file (formats.md). */
export const HEADERS = {
  entities: 'uscc,name,entity_type,legal_representative,region_code,industry_code,established_on,status,responsible_departments',
  credit: 'record_id,uscc,record_type,record_date,credit_class,amount_yuan,authority,description',
  complaints: 'complaint_id,received_at,uscc,region_code,category,topic,substantiated',
  results: 'result_id,uscc,inspected_on,department_code,item_code,outcome_code,findings,inspector_ids,task_ref',
  truth: 'uscc,propensity',
} as const;

export type BlockFile = keyof typeof HEADERS;
export const BLOCK_FILES: readonly BlockFile[] = ['entities', 'credit', 'complaints', 'results', 'truth'];

/**
 * UTF-8 CSV rows appended into one growing buffer: rows gather in a short string that is encoded every few
 * kilobytes, so there are neither giant strings nor one encode call per row.
 */
export class RowBuffer {
  bytes: Buffer;
  length = 0;
  rows = 0;
  private pending = '';

  constructor(initialBytes: number) {
    this.bytes = Buffer.allocUnsafeSlow(Math.max(1024, initialBytes));
  }

  push(row: string): void {
    this.pending += row;
    this.rows++;
    if (this.pending.length > 8192) this.flush();
  }

  private flush(): void {
    const text = this.pending;
    this.pending = '';
    const worst = text.length * 3;
    if (this.length + worst > this.bytes.length) {
      const grown = Buffer.allocUnsafeSlow(Math.max(this.bytes.length * 2, this.length + worst));
      this.bytes.copy(grown, 0, 0, this.length);
      this.bytes = grown;
    }
    this.length += UTF8.encodeInto(text, this.bytes.subarray(this.length)).written;
  }

  /** The written bytes (a view: the buffer's memory is its own, safe to transfer to another thread). */
  view(): Uint8Array {
    if (this.pending) this.flush();
    return new Uint8Array(this.bytes.buffer, this.bytes.byteOffset, this.length);
  }
}

const UTF8 = new TextEncoder();

/** CSV rows of a range of entities, one buffer per file. */
export type Block = Record<BlockFile, RowBuffer>;

/** Bytes per entity to reserve per file (grown when short). */
const BYTES_PER_ENTITY: Record<BlockFile, number> = { entities: 140, credit: 150, complaints: 40, results: 40, truth: 28 };

const STREAM = { core: 0, credit: 1, complaints: 2, results: 3, outbreak: 4 } as const;

const NEW_CODE_FROM_DAY = Date.UTC(2015, 9, 1) / 86_400_000; // organisation bodies 'MA…' since the 2015 reform
const NEW_BODY_LIMIT = 31 ** 6;
const SURNAME_CUM = cumulative(SURNAMES.map((s) => s.weight));
/** 12345 calls by hour of day: office hours busiest, nights quiet. */
const HOUR_CUM = cumulative([0.15, 0.1, 0.08, 0.08, 0.1, 0.2, 0.4, 0.8, 1.6, 2, 2, 1.8, 1.1, 1.2, 1.9, 2, 1.9, 1.6, 1.1, 1, 1, 0.8, 0.5, 0.3]);
const FINDING_CUM = cumulative(FINDING_OUTCOMES.map((o) => o[1]));
const CLEAN_CUM = cumulative(CLEAN_OUTCOMES.map((o) => o[1]));
const CLASS_LETTERS = ['A', 'B', 'C', 'D'];
const TWO_DIGITS = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));

function pad(n: number, width: number): string {
  const s = String(n);
  return s.length >= width ? s : '0'.repeat(width - s.length) + s;
}

function base31(value: number, width: number): string {
  let out = '';
  for (let i = 0; i < width; i++) {
    out = USCC_ALPHABET[value % 31] + out;
    value = Math.floor(value / 31);
  }
  return out;
}

function logistic(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

export class EntityGenerator {
  private readonly rng: Rng;
  private readonly newBodies: FeistelPermutation;
  private readonly oldBodies: FeistelPermutation;
  private readonly departmentListByMask = new Map<number, string>();
  private readonly samrIndex: number;
  private readonly outbreaksByDistrict = new Map<string, Outbreak[]>();
  /** departments responsible by industry section and by entity type, beyond SAMR (bit masks over model.departments) */
  private readonly industryMask: number[];
  private readonly typeMask: Record<EntityType, number>;

  // The current entity (set by `core`).
  index = 0;
  city!: City;
  district!: District;
  type: EntityType = 'enterprise';
  industryIndex = 0;
  industry = 'A';
  establishedDay = 0;
  /** last day the entity operated (as-of for active entities) */
  endDay = 0;
  status = 'active';
  logitPropensity = 0;
  propensity = 0;
  uscc = '';
  name = '';
  legalRepresentative = '';
  departmentMask = 0;
  creditClass = 0;

  constructor(
    private readonly model: Model,
    private readonly inspectors: InspectorPool,
  ) {
    this.rng = new Rng(model.keyA, model.keyB);
    this.newBodies = new FeistelPermutation(30, model.keyA ^ 0x3c6ef372);
    this.oldBodies = new FeistelPermutation(38, model.keyB ^ 0xa54ff53a);
    this.samrIndex = model.departmentIndex.get('SAMR') ?? 0;
    this.industryMask = INDUSTRY_CODES.map((code) => (INDUSTRY_DEPARTMENTS[code] ?? []).reduce((m, d) => m | this.maskOf(d), 0));
    const tax = this.maskOf('TAX');
    this.typeMask = { enterprise: tax | this.maskOf('HRSS'), individual: tax, cooperative: tax | this.maskOf('AGRI') };
    for (const o of model.outbreaks) {
      const list = this.outbreaksByDistrict.get(o.district) ?? [];
      list.push(o);
      this.outbreaksByDistrict.set(o.district, list);
    }
  }

  /** Draws the entity's directory row and propensity (stream 0). */
  core(index: number): void {
    const m = this.model;
    const rng = this.rng.reseed(index, STREAM.core);
    this.index = index;
    const city = m.cities[rng.weighted(m.cityCum)];
    const district = city.districts[rng.weighted(city.districtCum)];
    this.city = city;
    this.district = district;

    const u = rng.float();
    const type: EntityType = u < city.cooperativeShare ? 'cooperative' : u < city.cooperativeShare + city.enterpriseShare ? 'enterprise' : 'individual';
    this.type = type;
    const industryCum = type === 'enterprise' ? city.enterpriseIndustryCum : type === 'individual' ? m.individualIndustryCum : m.cooperativeIndustryCum;
    this.industryIndex = rng.weighted(industryCum);
    this.industry = INDUSTRY_CODES[this.industryIndex];

    // Young entities dominate: exponential ages, the tail spread back to 1990 (cooperatives exist since 2007).
    const earliest = type === 'cooperative' ? Date.UTC(2007, 6, 1) / 86_400_000 : m.earliestEstablishedDay;
    const maxAgeDays = m.asOfDay - earliest;
    const meanAgeDays = (type === 'individual' ? 5.5 : type === 'enterprise' ? 7.5 : 6) * 365.25;
    let ageDays = Math.floor(-Math.log(1 - rng.float()) * meanAgeDays);
    if (ageDays > maxAgeDays) ageDays = Math.floor(rng.float() * maxAgeDays);
    this.establishedDay = m.asOfDay - ageDays;

    const s = rng.float();
    this.status = s < 0.92 ? 'active' : s < 0.98 ? 'deregistered' : 'revoked';
    this.endDay = this.status === 'active' ? m.asOfDay : this.establishedDay + Math.floor(Math.sqrt(rng.float()) * (ageDays + 1));

    let word: Word;
    const trade = TRADE_NAME_CHARS[rng.int(TRADE_NAME_CHARS.length)] + TRADE_NAME_CHARS[rng.int(TRADE_NAME_CHARS.length)];
    if (type === 'enterprise') {
      const table = m.enterpriseWords[this.industry];
      word = table.words[rng.weighted(table.cum)];
      const suffix = rng.float() < 0.06 ? '有限责任公司' : '有限公司';
      this.name = city.nameZh + trade + word.text + suffix;
    } else if (type === 'individual') {
      const table = m.shopWords[this.industry];
      word = table.words[rng.weighted(table.cum)];
      const r = rng.float();
      const brand = r < 0.72 ? trade : r < 0.9 ? SURNAMES[rng.weighted(SURNAME_CUM)].text + '记' : '老' + SURNAMES[rng.weighted(SURNAME_CUM)].text;
      this.name = city.nameZh + district.nameZh + brand + word.text;
    } else {
      word = m.cooperativeProducts.words[rng.weighted(m.cooperativeProducts.cum)];
      this.name = (district.nameZh || city.nameZh) + trade + word.text + '专业合作社';
    }
    const surname = SURNAMES[rng.weighted(SURNAME_CUM)].text;
    const given =
      rng.float() < 0.3
        ? GIVEN_NAME_CHARS[rng.int(GIVEN_NAME_CHARS.length)]
        : GIVEN_NAME_CHARS[rng.int(GIVEN_NAME_CHARS.length)] + GIVEN_NAME_CHARS[rng.int(GIVEN_NAME_CHARS.length)];
    this.legalRepresentative = surname + given;

    let mask = 1 << this.samrIndex;
    mask |= this.industryMask[this.industryIndex] | this.typeMask[type];
    if (word.departments) for (const d of word.departments) mask |= this.maskOf(d);
    this.departmentMask = mask;

    const body = this.establishedDay >= NEW_CODE_FROM_DAY ? 'MA' + base31(this.newBodies.permuteBelow(index, NEW_BODY_LIMIT), 6) : base31(this.oldBodies.permute(index), 8);
    this.uscc = makeUscc('9', USCC_TYPE_CHAR[type], district.code, body);

    const z =
      PROPENSITY.intercept +
      PROPENSITY.industry[this.industry] +
      PROPENSITY.type[type] +
      ageEffect(ageDays / 365.25) +
      district.effect +
      PROPENSITY.noiseSd * rng.normal();
    this.logitPropensity = z;
    this.propensity = logistic(z);
  }

  private maskOf(code: string): number {
    const i = this.model.departmentIndex.get(code);
    return i === undefined ? 0 : 1 << i;
  }

  private departmentList(mask: number): string {
    let text = this.departmentListByMask.get(mask);
    if (text === undefined) {
      text = this.model.departments.filter((_, i) => mask & (1 << i)).join(';');
      this.departmentListByMask.set(mask, text);
    }
    return text;
  }

  /** Appends every row of entities [from, to) to a new block. */
  block(from: number, to: number): Block {
    const out = {} as Block;
    for (const f of BLOCK_FILES) out[f] = new RowBuffer((to - from) * BYTES_PER_ENTITY[f]);
    for (let index = from; index < to; index++) this.emit(index, out);
    return out;
  }

  emit(index: number, out: Block): void {
    this.core(index);
    const cal = this.model.calendar;
    out.entities.push(
      this.uscc + ',' + this.name + ',' + this.type + ',' + this.legalRepresentative + ',' + this.district.code + ',' + this.industry + ',' +
      cal.date(this.establishedDay) + ',' + this.status + ',' + this.departmentList(this.departmentMask) + '\n',
    );
    out.truth.push(this.uscc + ',' + this.propensity.toFixed(6) + '\n');
    this.credit(out);
    this.complaints(out);
    this.results(out);
  }

  /** Exposure in the data window: [start, end] days, empty when end < start. */
  private exposure(): [number, number] {
    return [Math.max(this.model.windowStartDay, this.establishedDay), Math.min(this.model.asOfDay, this.endDay)];
  }

  private randomDepartment(rng: Rng): number {
    const mask = this.departmentMask & ~(1 << this.samrIndex);
    if (mask === 0 || rng.float() < 0.7) return this.samrIndex;
    const options: number[] = [];
    for (let i = 0; i < 31; i++) if (mask & (1 << i)) options.push(i);
    return options[rng.int(options.length)];
  }

  private credit(out: Block): void {
    const m = this.model;
    const cal = m.calendar;
    const rng = this.rng.reseed(this.index, STREAM.credit);
    const score = this.logitPropensity + CREDIT_CLASS_NOISE_SD * rng.normal();
    const cls = score < CREDIT_CLASS_CUTS[0] ? 0 : score < CREDIT_CLASS_CUTS[1] ? 1 : score < CREDIT_CLASS_CUTS[2] ? 2 : 3;
    this.creditClass = cls;
    // The yearly classification, in the last 12 months (or while the entity still existed).
    let classDay = m.asOfDay - rng.int(365);
    if (classDay < this.establishedDay) classDay = this.establishedDay + rng.int(m.asOfDay - this.establishedDay + 1);
    if (classDay > this.endDay) classDay = this.endDay;
    const cityTag = this.city.abbreviation;
    out.credit.push('粤信用分类〔' + cal.year(classDay) + '〕' + this.uscc + ',' + this.uscc + ',classification,' + cal.date(classDay) + ',' + CLASS_LETTERS[cls] + ',,SAMR,年度信用风险分类\n');

    const [start, end] = this.exposure();
    if (end >= start) {
      const span = end - start + 1;
      const share = span / m.windowDays;
      const p = this.propensity;
      const penalties = Math.min(99, rng.poisson(0.4 * Math.pow(p, 1.3) * share));
      for (let k = 0; k < penalties; k++) {
        const day = start + rng.int(span);
        const dept = this.randomDepartment(rng);
        const code = m.departments[dept];
        const amount = Math.max(200, Math.round((3000 * Math.exp(1.3 * rng.normal())) / 100) * 100);
        const reasons = PENALTY_REASONS[this.industry] ?? PENALTY_REASONS.DEFAULT;
        out.credit.push(
          cityTag + (DEPARTMENT_ABBREVIATION[code] ?? code) + '罚〔' + cal.year(day) + '〕' + (this.index * 100 + k + 1) + '号,' + this.uscc + ',penalty,' +
          cal.date(day) + ',,' + amount + '.00,' + code + ',' + reasons[rng.int(reasons.length)] + '\n',
        );
      }
      if (rng.float() < share * (0.02 + 0.45 * Math.pow(p, 1.2))) {
        const day = start + rng.int(span);
        const reason = rng.float() < 0.75 ? ABNORMAL_REASONS[0] : ABNORMAL_REASONS[1 + rng.int(ABNORMAL_REASONS.length - 1)];
        out.credit.push(cityTag + '市监异〔' + cal.year(day) + '〕' + (this.index + 1) + '号,' + this.uscc + ',abnormal_listing,' + cal.date(day) + ',,,SAMR,' + reason + '\n');
        const removal = day + 30 + rng.int(370);
        if (rng.float() < 0.45 && removal <= end) {
          out.credit.push(cityTag + '市监移异〔' + cal.year(removal) + '〕' + (this.index + 1) + '号,' + this.uscc + ',abnormal_removal,' + cal.date(removal) + ',,,SAMR,补报年度报告并公示后申请移出\n');
        }
      }
    }
  }

  /** Named tickets per full 3-year window (before exposure). */
  private complaintRate(): number {
    const rate = COMPLAINT_BASE_RATE * COMPLAINT_INDUSTRY_MULT[this.industry] * Math.pow(this.propensity / 0.12, COMPLAINT_PROPENSITY_EXPONENT);
    return rate > COMPLAINT_RATE_CAP ? COMPLAINT_RATE_CAP : rate;
  }

  private complaints(out: Block): void {
    const m = this.model;
    const [start, end] = this.exposure();
    if (end < start) return;
    const rng = this.rng.reseed(this.index, STREAM.complaints);
    const ratePerDay = this.complaintRate() / m.windowDays;
    const span = end - start + 1;
    const named = rng.poisson(ratePerDay * span);
    const anonymous = rng.poisson(((ratePerDay * ANONYMOUS_TICKET_SHARE) / (1 - ANONYMOUS_TICKET_SHARE)) * span);
    let k = 0;
    for (let i = 0; i < named + anonymous && k < 999; i++, k++) this.ticket(rng, out, start, span, k, i < named);

    const outbreaks = this.outbreaksByDistrict.get(this.district.code);
    if (outbreaks) {
      const lastStart = Math.max(start, m.asOfDay - OUTBREAK_DAYS + 1);
      if (end < lastStart) return;
      const orng = this.rng.reseed(this.index, STREAM.outbreak);
      for (const o of outbreaks) {
        if (o.industry !== this.industry) continue;
        const lastSpan = end - lastStart + 1;
        const extraRate = ratePerDay * lastSpan * (o.factor - 1);
        const extraNamed = orng.poisson(extraRate);
        const extraAnonymous = orng.poisson((extraRate * ANONYMOUS_TICKET_SHARE) / (1 - ANONYMOUS_TICKET_SHARE));
        for (let i = 0; i < extraNamed + extraAnonymous && k < 999; i++, k++) this.ticket(orng, out, lastStart, lastSpan, k, i < extraNamed);
      }
    }
  }

  private ticket(rng: Rng, out: Block, start: number, span: number, k: number, named: boolean): void {
    const cal = this.model.calendar;
    let day = start + rng.int(span);
    if (!cal.isWorkingDay(day) && rng.float() < 0.4) day = start + rng.int(span);
    const hour = rng.weighted(HOUR_CUM);
    const secondOfHour = rng.int(3600);
    const c = rng.float();
    const category = c < 0.63 ? 'complaint' : c < 0.85 ? 'report' : 'consultation';
    let topic: string;
    let substantiated = '';
    if (category === 'consultation') {
      topic = CONSULTATION_TOPICS[rng.int(CONSULTATION_TOPICS.length)];
    } else {
      const topics = COMPLAINT_TOPICS[this.industry] ?? COMPLAINT_TOPICS.DEFAULT;
      topic = topics[rng.int(topics.length)];
      if (rng.float() >= 0.12) substantiated = rng.float() < 0.2 + 0.65 * this.propensity ? 'true' : 'false';
    }
    out.complaints.push(
      'GD' + cal.compactDate(day) + pad(this.index, 9) + pad(k, 3) + ',' + cal.date(day) + ' ' + TWO_DIGITS[hour] + ':' +
      TWO_DIGITS[Math.floor(secondOfHour / 60)] + ':' + TWO_DIGITS[secondOfHour % 60] + ',' + (named ? this.uscc : '') + ',' +
      this.district.code + ',' + category + ',' + topic + ',' + substantiated + '\n',
    );
  }

  private results(out: Block): void {
    const m = this.model;
    const cal = m.calendar;
    const [start, end] = this.exposure();
    if (end < start) return;
    const rng = this.rng.reseed(this.index, STREAM.results);
    const yearlyProb = INSPECTION_YEARLY_PROB * CREDIT_CLASS_INSPECTION_MULT[CLASS_LETTERS[this.creditClass]];
    const typeIndex = this.type === 'enterprise' ? 0 : this.type === 'individual' ? 1 : 2;
    let k = 0;
    for (let year = 2; year >= 0; year--) {
      const yearEnd = m.asOfDay - 365 * year;
      const yearStart = Math.max(m.windowStartDay, yearEnd - 364);
      if (rng.float() >= yearlyProb) continue;
      const from = Math.max(yearStart, start);
      const to = Math.min(yearEnd, end);
      if (to < from) continue;
      let day = from + rng.int(to - from + 1);
      for (let tries = 0; tries < 6 && !cal.isWorkingDay(day); tries++) day = from + rng.int(to - from + 1);

      let dept = this.randomDepartment(rng);
      let fitting = m.fittingItems[dept][typeIndex][this.industryIndex];
      if (fitting.length === 0) {
        dept = this.samrIndex;
        fitting = m.fittingItems[dept][typeIndex][this.industryIndex];
        if (fitting.length === 0) continue;
      }
      const wanted = Math.min(fitting.length, rng.float() < 0.75 ? 1 : rng.float() < 0.8 ? 2 : 3);
      const chosen: number[] = [];
      for (let tries = 0; chosen.length < wanted && tries < wanted * 8; tries++) {
        const item = fitting[rng.int(fitting.length)];
        const it = m.items[item];
        if (chosen.includes(item) || day < it.validFromDay || day >= it.validToDay) continue;
        chosen.push(item);
      }
      if (chosen.length === 0) continue;
      const inspectorIds = this.team(rng, dept, day);
      const code = m.departments[dept];
      const quarter = Math.floor((Number(cal.date(day).slice(5, 7)) - 1) / 3) + 1;
      const taskRef = this.city.abbreviation + (DEPARTMENT_ABBREVIATION[code] ?? code) + '抽〔' + cal.year(day) + '〕' + quarter + '号';
      for (const item of chosen) {
        const it = m.items[item];
        let outcome: string;
        let findings = '';
        if (rng.float() < this.propensity) {
          outcome = FINDING_OUTCOMES[rng.weighted(FINDING_CUM)][0];
          findings = this.findingText(rng, outcome, it.specialty);
        } else {
          outcome = CLEAN_OUTCOMES[rng.weighted(CLEAN_CUM)][0];
        }
        out.results.push(
          'JC' + cal.compactDate(day) + pad(this.index, 9) + TWO_DIGITS[k] + ',' + this.uscc + ',' + cal.date(day) + ',' + code + ',' + it.code + ',' +
          outcome + ',' + findings + ',' + inspectorIds + ',' + taskRef + '\n',
        );
        k++;
      }
    }
  }

  private findingText(rng: Rng, outcome: string, specialty: string): string {
    const phrases = FINDING_PHRASES[specialty] ?? FINDING_PHRASES.DEFAULT;
    switch (outcome) {
      case 'FIXED':
        return phrases[rng.int(phrases.length)] + '，已责令限期改正';
      case 'PENDING':
        return phrases[rng.int(phrases.length)] + '，已移交立案调查';
      case 'NOT_DISCLOSED':
        return '未按规定公示年度报告等应当公示的信息';
      case 'FALSE_DISCLOSURE':
        return '公示的年度报告信息隐瞒真实情况、弄虚作假';
      case 'UNREACHABLE':
        return '通过登记的住所或经营场所无法联系';
      default:
        return '拒绝、阻碍检查，情节严重';
    }
  }

  /** A random candidate other than `exclude`, preferring one whose certificate is valid on `day`. */
  private pickOfficer(rng: Rng, candidates: readonly number[], exclude: number, day: number): number {
    const pool = this.inspectors;
    let chosen = -1;
    for (let tries = 0; tries < 8; tries++) {
      const i = candidates[rng.int(candidates.length)];
      if (i === exclude) continue;
      chosen = i;
      if (pool.validFromDay[i] <= day && day <= pool.validToDay[i]) break;
    }
    return chosen;
  }

  /** Two distinct officers of the department, from the entity's city when it has two, holding a valid certificate if possible. */
  private team(rng: Rng, dept: number, day: number): string {
    const pool = this.inspectors;
    let candidates = pool.officersByDepartmentCity[dept][this.city.index];
    if (candidates.length < 2) candidates = pool.officersByDepartment[dept];
    if (candidates.length === 0) return '';
    const first = this.pickOfficer(rng, candidates, -1, day);
    if (candidates.length < 2) return pool.ids[first];
    let second = this.pickOfficer(rng, candidates, first, day);
    if (second < 0) second = candidates.find((i) => i !== first)!;
    return pool.ids[first] + ';' + pool.ids[second];
  }
}
