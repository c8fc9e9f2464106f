// Generator v2: the same directory rows as v1 (its core draws are kept), with records shaped like real ones: risk that
// moves between years and differs with age by industry group, informal operators with few records, partial and stale
// credit classification, genuine complaints beside noise, reporting-prone districts and competitor bursts, random
// draws by city stratified by the class known on the draw day (recorded with their stratum's eligible count and
// quota), complaint-driven and targeted inspections beside them, and inspectors who find less in some districts.
import {
  ANONYMOUS_TICKET_SHARE,
  COMPLAINT_INDUSTRY_MULT,
  CREDIT_CLASS_CUTS,
  V2_BURST,
  V2_CLASSIFIED_SHARE,
  V2_CLASS_AGE,
  V2_CLASS_NOISE_SD,
  V2_COMPLAINTS,
  V2_COMPLAINT_CHECK,
  V2_CAMPAIGNS,
  V2_DRAW_RATIO_BP,
  V2_DRAW_STRATA,
  V2_INFORMAL,
  V2_OWN_DISTRICT_TEAM,
  V2_SUBSTANTIATED,
  V2_TOPIC_MATCH,
  V2_WALK,
  ageEffect,
  v2AgeEffect,
} from './distributions.ts';
import {
  CLASS_LETTERS,
  CLEAN_CUM,
  EntityGenerator,
  FINDING_CUM,
  HOUR_CUM,
  TWO_DIGITS,
  logistic,
  pad,
  type Block,
} from './entities.ts';
import { CLEAN_OUTCOMES, FINDING_OUTCOMES } from './distributions.ts';
import type { InspectorPool } from './inspector-pool.ts';
import { OUTBREAK_DAYS, type Model } from './model.ts';
import { COMPLAINT_TOPICS, CONSULTATION_TOPICS, DEPARTMENT_ABBREVIATION, PENALTY_REASONS, VIOLATION_TOPICS } from './names.ts';
import type { Rng } from './rng.ts';

/** Random streams of v2's own (v1's streams 0-4 keep their draws). */
const V2_STREAM = { core: 11, classification: 12, draws: 13, complaints: 14, results: 15, credit: 16 } as const;
const MS_PER_DAY = 86_400_000;
const STRATA = V2_DRAW_STRATA.length;

/** Eligible and selected entities per city x draw year x stratum, counted over the whole province before any result is written. */
export interface DrawCounts {
  eligible: Int32Array;
  selected: Int32Array;
}

export function emptyDrawCounts(model: Model): DrawCounts {
  const n = model.cities.length * model.drawYears.length * STRATA;
  return { eligible: new Int32Array(n), selected: new Int32Array(n) };
}

export function addDrawCounts(into: DrawCounts, from: DrawCounts): void {
  for (let i = 0; i < into.eligible.length; i++) {
    into.eligible[i] += from.eligible[i];
    into.selected[i] += from.selected[i];
  }
}

const yearOf = (day: number) => new Date(day * MS_PER_DAY).getUTCFullYear();

interface Ticket {
  day: number;
  kind: 'genuine' | 'noise' | 'burst';
}

export class EntityGeneratorV2 extends EntityGenerator {
  informal = false;
  /** logit of the propensity before the yearly walk and surges */
  baseLogit = 0;
  /** the walk per calendar year from the window's first */
  private walk: number[] = [];
  private firstYear = 0;
  private surgeEffect = 0;
  private surgeFrom = Infinity;
  /** classification days and classes (0 = A .. 3 = D), oldest first */
  private classDays: number[] = [];
  private classes: number[] = [];
  private counts: DrawCounts;

  constructor(model: Model, inspectors: InspectorPool, counts?: DrawCounts) {
    super(model, inspectors);
    this.firstYear = yearOf(model.windowStartDay);
    this.counts = counts ?? emptyDrawCounts(model);
  }

  override core(index: number): void {
    super.core(index);
    const m = this.model;
    const rng = this.rng.reseed(index, V2_STREAM.core);
    const ageYears = (m.asOfDay - this.establishedDay) / 365.25;
    this.informal = this.type === 'individual' && V2_INFORMAL.industries.includes(this.industry) && rng.float() < V2_INFORMAL.share;
    // v1's logit with v2's age curve by industry group in place of v1's
    this.baseLogit = this.logitPropensity - ageEffect(ageYears) + v2AgeEffect(this.industry, ageYears) + (this.informal ? V2_INFORMAL.effect : 0);
    const years = yearOf(m.asOfDay) - this.firstYear + 1;
    const stationarySd = V2_WALK.sd / Math.sqrt(1 - V2_WALK.persistence ** 2);
    this.walk = [stationarySd * rng.normal()];
    for (let y = 1; y < years; y++) this.walk.push(V2_WALK.persistence * this.walk[y - 1] + V2_WALK.sd * rng.normal());
    const surge = m.surges.find((s) => s.industry === this.industry && s.cityIndex === this.city.index);
    this.surgeEffect = surge?.effect ?? 0;
    this.surgeFrom = surge?.fromDay ?? Infinity;
    this.classify();
  }

  /** The logit of the violation propensity on a day (the walk of its year; before the window, the first year's). */
  logitAt(day: number): number {
    const y = Math.min(this.walk.length - 1, Math.max(0, yearOf(day) - this.firstYear));
    return this.baseLogit + this.walk[y] + (day >= this.surgeFrom ? this.surgeEffect : 0);
  }

  propensityAt(day: number): number {
    return logistic(this.logitAt(day));
  }

  protected override truthPropensity(): number {
    return this.propensityAt(this.model.asOfDay);
  }

  /** Partial and stale classification: some cities never classify, many entities are not classified, classes age. */
  private classify(): void {
    const m = this.model;
    const rng = this.rng.reseed(this.index, V2_STREAM.classification);
    this.classDays = [];
    this.classes = [];
    const classified = m.classifyingCities.has(this.city.code) && !this.informal && rng.float() < V2_CLASSIFIED_SHARE[this.type];
    const u = rng.float();
    const agoYears = u < V2_CLASS_AGE[0] ? rng.float() : u < V2_CLASS_AGE[0] + V2_CLASS_AGE[1] ? 1 + rng.float() : 2 + 3 * rng.float();
    const last = Math.min(this.endDay, m.asOfDay - Math.floor(agoYears * 365));
    if (!classified || last < this.establishedDay) return;
    const earlier = last - 365 - rng.int(730);
    const days = rng.float() < 0.5 && earlier >= this.establishedDay ? [earlier, last] : [last];
    for (const day of days) {
      const score = this.logitAt(day) + V2_CLASS_NOISE_SD * rng.normal();
      this.classDays.push(day);
      this.classes.push(score < CREDIT_CLASS_CUTS[0] ? 0 : score < CREDIT_CLASS_CUTS[1] ? 1 : score < CREDIT_CLASS_CUTS[2] ? 2 : 3);
    }
  }

  /** The stratum of the draw on `day`: the class known then (0-3), else 4 (unclassified). */
  private stratumOn(day: number): number {
    let s = 4;
    for (let i = 0; i < this.classDays.length; i++) if (this.classDays[i] < day) s = this.classes[i];
    return s;
  }

  /** Each draw year's stratum index into DrawCounts (-1: not eligible) and whether the entity was selected. */
  private draws(visit: (yearIndex: number, slot: number, selected: boolean, rng: Rng) => void): void {
    const m = this.model;
    m.drawYears.forEach((dy, y) => {
      if (this.establishedDay >= dy.drawDay || this.endDay < dy.drawDay) return;
      const stratum = this.stratumOn(dy.drawDay);
      const rng = this.rng.reseed(this.index * 8 + y, V2_STREAM.draws);
      const selected = rng.float() * 10_000 < V2_DRAW_RATIO_BP[V2_DRAW_STRATA[stratum]];
      visit(y, (this.city.index * m.drawYears.length + y) * STRATA + stratum, selected, rng);
    });
  }

  /** Counts the entity's draws (the pre-pass that gives every stratum its eligible count and quota). */
  countDraws(index: number, counts: DrawCounts): void {
    this.core(index);
    this.draws((_, slot, selected) => {
      counts.eligible[slot]++;
      if (selected) counts.selected[slot]++;
    });
  }

  protected override credit(out: Block): void {
    const m = this.model;
    const cal = m.calendar;
    const cityTag = this.city.abbreviation;
    this.creditClass = this.classes.length ? this.classes[this.classes.length - 1] : -1;
    for (let i = 0; i < this.classDays.length; i++) {
      const day = this.classDays[i];
      out.credit.push('粤信用分类〔' + cal.year(day) + '〕' + this.uscc + '-' + (i + 1) + ',' + this.uscc + ',classification,' + cal.date(day) + ',' + CLASS_LETTERS[this.classes[i]] + ',,SAMR,年度信用风险分类\n');
    }
    const [start, end] = this.exposure();
    if (end < start) return;
    const rng = this.rng.reseed(this.index, V2_STREAM.credit);
    let k = 0;
    for (let day = start; day <= end; ) {
      const yearEnd = Math.min(end, Date.UTC(yearOf(day), 11, 31) / MS_PER_DAY);
      const span = yearEnd - day + 1;
      const p = this.propensityAt(day);
      const penalties = Math.min(20, rng.poisson(((0.4 / 3) * Math.pow(p, 1.3) * span) / 365));
      for (let j = 0; j < penalties; j++, k++) {
        const on = day + rng.int(span);
        const code = m.departments[this.randomDepartment(rng)];
        const amount = Math.max(200, Math.round((3000 * Math.exp(1.3 * rng.normal())) / 100) * 100);
        const reasons = PENALTY_REASONS[this.industry] ?? PENALTY_REASONS.DEFAULT;
        out.credit.push(
          cityTag + (DEPARTMENT_ABBREVIATION[code] ?? code) + '罚〔' + cal.year(on) + '〕' + (this.index * 100 + k + 1) + '号,' + this.uscc + ',penalty,' +
          cal.date(on) + ',,' + amount + '.00,' + code + ',' + reasons[rng.int(reasons.length)] + '\n',
        );
      }
      day = yearEnd + 1;
    }
    const share = (end - start + 1) / 365;
    const p = this.propensityAt(end);
    if (rng.float() < share * (0.006 + 0.15 * Math.pow(p, 1.2)) * (this.informal ? V2_INFORMAL.abnormalMult : 1)) this.abnormalListing(rng, out, start, end);
  }

  /** Substantiated named complaints, for the complaint-driven checks (set by complaints()). */
  private checks: number[] = [];

  protected override complaints(out: Block): void {
    const m = this.model;
    this.checks = [];
    const [start, end] = this.exposure();
    if (end < start) return;
    const rng = this.rng.reseed(this.index, V2_STREAM.complaints);
    const industryMult = COMPLAINT_INDUSTRY_MULT[this.industry];
    const visibility = this.informal ? V2_INFORMAL.complaintVisibility : 1;
    const tickets: Ticket[] = [];
    let yearlyRate = 0; // the entity's expected tickets a year, as of its last half-year
    // half-years, so that a surge from 1 July shows in the tickets from then on
    for (let from = start; from <= end; ) {
      const d = new Date(from * MS_PER_DAY);
      const half = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() < 6 ? 5 : 11, d.getUTCMonth() < 6 ? 30 : 31) / MS_PER_DAY;
      const to = Math.min(end, half);
      const years = (to - from + 1) / 365;
      const genuineRate = Math.min(V2_COMPLAINTS.cap, V2_COMPLAINTS.genuineBase * industryMult * Math.pow(this.propensityAt(from) / 0.12, V2_COMPLAINTS.genuineExponent)) *
        visibility * this.district.reportingGenuine;
      const noiseRate = V2_COMPLAINTS.noiseBase * industryMult * visibility * this.district.reportingNoise;
      yearlyRate = genuineRate + noiseRate;
      for (let i = rng.poisson(genuineRate * years); i > 0; i--) tickets.push({ day: from + rng.int(to - from + 1), kind: 'genuine' });
      for (let i = rng.poisson(noiseRate * years); i > 0; i--) tickets.push({ day: from + rng.int(to - from + 1), kind: 'noise' });
      from = to + 1;
    }
    for (let year = yearOf(start); year <= yearOf(end); year++) {
      if (rng.float() >= V2_BURST.chance) continue;
      const first = Math.max(start, Date.UTC(year, 0, 1) / MS_PER_DAY);
      const last = Math.min(end, Date.UTC(year, 11, 31) / MS_PER_DAY);
      const begin = first + rng.int(last - first + 1);
      for (let i = V2_BURST.min + rng.int(V2_BURST.extra); i > 0; i--) tickets.push({ day: Math.min(end, begin + rng.int(V2_BURST.days)), kind: 'burst' });
    }
    // the planted outbreak of v1: more tickets in its district x industry over the last 8 weeks
    const outbreaks = this.outbreaksByDistrict.get(this.district.code);
    if (outbreaks) {
      const lastStart = Math.max(start, m.asOfDay - OUTBREAK_DAYS + 1);
      for (const o of outbreaks) {
        if (o.industry !== this.industry || end < lastStart) continue;
        // the tickets drawn over the last year, or the expected rate where that is higher: an outbreak also reaches
        // entities with no ticket so far, so that more entities are complained about (the alerts count an entity once a
        // week), as in a real outbreak
        const perDay = Math.max(tickets.filter((t) => t.day >= end - 364).length, yearlyRate) / 365;
        for (let i = rng.poisson(perDay * (end - lastStart + 1) * (o.factor - 1)); i > 0; i--) tickets.push({ day: lastStart + rng.int(end - lastStart + 1), kind: 'genuine' });
      }
    }
    tickets.sort((a, b) => a.day - b.day);
    let k = 0;
    for (const t of tickets) {
      if (k >= 990) break;
      this.ticketV2(rng, out, t, k++, rng.float() >= ANONYMOUS_TICKET_SHARE);
      if (rng.float() < V2_COMPLAINTS.consultationShare) this.ticketV2(rng, out, t, k++, true, true);
    }
  }

  private ticketV2(rng: Rng, out: Block, t: Ticket, k: number, named: boolean, consultation = false): void {
    const cal = this.model.calendar;
    const hour = rng.weighted(HOUR_CUM);
    const secondOfHour = rng.int(3600);
    let category: string;
    let topic: string;
    let substantiated = '';
    if (consultation) {
      category = 'consultation';
      topic = CONSULTATION_TOPICS[rng.int(CONSULTATION_TOPICS.length)];
    } else {
      category = rng.float() < 0.74 ? 'complaint' : 'report';
      const topics = COMPLAINT_TOPICS[this.industry] ?? COMPLAINT_TOPICS.DEFAULT;
      const wantViolation = (t.kind === 'genuine') === rng.float() < V2_TOPIC_MATCH;
      const fitting = topics.filter((x) => VIOLATION_TOPICS.has(x) === wantViolation);
      const list = fitting.length ? fitting : topics;
      topic = list[rng.int(list.length)];
      const [yes, no] = V2_SUBSTANTIATED[t.kind];
      const u = rng.float();
      substantiated = u < yes ? 'true' : u < yes + no ? 'false' : '';
      if (named && substantiated === 'true' && rng.float() < V2_COMPLAINT_CHECK.chance) this.checks.push(t.day);
    }
    out.complaints.push(
      'GD' + cal.compactDate(t.day) + pad(this.index, 9) + pad(k, 3) + ',' + cal.date(t.day) + ' ' + TWO_DIGITS[hour] + ':' +
      TWO_DIGITS[Math.floor(secondOfHour / 60)] + ':' + TWO_DIGITS[secondOfHour % 60] + ',' + (named ? this.uscc : '') + ',' +
      this.district.code + ',' + category + ',' + topic + ',' + substantiated + '\n',
    );
  }

  protected override results(out: Block): void {
    const m = this.model;
    const [start, end] = this.exposure();
    if (end < start) return;
    const rng = this.rng.reseed(this.index, V2_STREAM.results);
    const city = this.city.abbreviation;
    let k = 0;
    const visit = (day: number, taskRef: string, selection: string, findingMult: number, strata = ',,') => {
      for (let tries = 0; tries < 6 && !m.calendar.isWorkingDay(day) && day < end; tries++) day++;
      if (day > end || day < start || k > 90) return;
      k = this.visitV2(rng, out, day, taskRef, selection + ',' + strata, findingMult, k);
    };
    this.draws((y, slot, selected, drawRng) => {
      if (!selected) return;
      const dy = m.drawYears[y];
      const last = Math.min(end, Date.UTC(dy.year, 11, 20) / MS_PER_DAY);
      const first = dy.drawDay + 14;
      if (last < first) return;
      const strata = V2_DRAW_STRATA[slot % STRATA] + ',' + this.counts.eligible[slot] + ',' + this.counts.selected[slot];
      visit(first + drawRng.int(last - first + 1), city + '双随机〔' + dy.year + '〕1号', 'random', 1, strata);
    });
    for (const day of this.checks) visit(day + 5 + rng.int(16), city + '投诉核查〔' + yearOf(day) + '〕号', 'complaint', V2_COMPLAINT_CHECK.findingMult);
    for (const dy of m.drawYears) {
      for (const c of dy.campaigns) {
        if (c.industry !== this.industry || c.cityIndex !== this.city.index || rng.float() >= V2_CAMPAIGNS.share) continue;
        visit(dy.drawDay + 60 + rng.int(120), city + '专项检查〔' + dy.year + '〕' + this.industry + '号', 'targeted', 1);
      }
    }
  }

  /** One visit's results (1-3 items): each item finds a violation with the day's propensity times the team's detection. */
  private visitV2(rng: Rng, out: Block, day: number, taskRef: string, selection: string, findingMult: number, k: number): number {
    const m = this.model;
    const cal = m.calendar;
    const visit = this.visitItems(rng, day);
    if (!visit) return k;
    const { dept, chosen } = visit;
    const { ids, detection } = this.teamV2(rng, dept, day);
    const p = Math.min(0.95, this.propensityAt(day) * findingMult) * detection;
    const code = m.departments[dept];
    for (const item of chosen) {
      const it = m.items[item];
      let outcome: string;
      let findings = '';
      if (rng.float() < p) {
        outcome = FINDING_OUTCOMES[rng.weighted(FINDING_CUM)][0];
        findings = this.findingText(rng, outcome, it.specialty);
      } else outcome = CLEAN_OUTCOMES[rng.weighted(CLEAN_CUM)][0];
      out.results.push(
        'JC' + cal.compactDate(day) + pad(this.index, 9) + TWO_DIGITS[k] + ',' + this.uscc + ',' + cal.date(day) + ',' + code + ',' + it.code + ',' +
        outcome + ',' + findings + ',' + ids + ',' + taskRef + ',' + selection + '\n',
      );
      k++;
    }
    return k;
  }

  /** Two officers of the department, from the entity's own district when it has two (mostly), else as v1; and their detection. */
  private teamV2(rng: Rng, dept: number, day: number): { ids: string; detection: number } {
    const pool = this.inspectors;
    const own = pool.officersByDepartmentRegion[dept]?.[this.district.code];
    let candidates = own && own.length >= 2 && rng.float() < V2_OWN_DISTRICT_TEAM ? own : pool.officersByDepartmentCity[dept][this.city.index];
    if (candidates.length < 2) candidates = pool.officersByDepartment[dept];
    if (candidates.length === 0) return { ids: '', detection: 1 };
    const first = this.pickOfficer(rng, candidates, -1, day);
    if (candidates.length < 2) return { ids: pool.ids[first], detection: pool.detection[first] };
    let second = this.pickOfficer(rng, candidates, first, day);
    if (second < 0) second = candidates.find((i) => i !== first)!;
    return { ids: pool.ids[first] + ';' + pool.ids[second], detection: (pool.detection[first] + pool.detection[second]) / 2 };
  }
}
