// The inspector directory: about one inspector per 250 entities (at least 60), spread over departments and cities
// like the entities, with enforcement certificates, specialties and declared or reported conflicts of interest.
// Small enough to hold in memory; the results generator draws inspection teams from its pool.
import { yearsBefore } from './calendar.ts';
import { INSPECTOR_DEPARTMENT_PCT } from './distributions.ts';
import { EntityGenerator } from './entities.ts';
import { EMPTY_POOL, type InspectorPool } from './inspector-pool.ts';
import type { Model } from './model.ts';
import { GIVEN_NAME_CHARS, SURNAMES, TRADE_NAME_CHARS } from './names.ts';
import { Rng, cumulative, hashString } from './rng.ts';

export const INSPECTORS_HEADER =
  'inspector_id,name,department_code,region_code,kind,qualifications,specialties,certificate_no,certificate_valid_from,certificate_valid_to,active,conflicts_declared,conflicts_reported';


export interface InspectorRecord {
  id: string;
  name: string;
  department: string;
  regionCode: string;
  kind: 'officer' | 'expert' | 'third_party';
  qualifications: string[];
  specialties: string[];
  certificateNo: string;
  validFromDay: number;
  validToDay: number;
  active: boolean;
  conflictsDeclared: string[];
  conflictsReported: string[];
}

/** A department's specialty when its items name none (no items yet in items.csv). */
const DEPARTMENT_SPECIALTY: Record<string, string> = {
  SAMR: 'registration', TAX: 'tax', MEE: 'environment', HEALTH: 'public_health', EMERGENCY: 'work_safety',
  TRANSPORT: 'road_transport', CULTURE: 'culture_market', HRSS: 'labour', COMMERCE: 'trade', AGRI: 'agriculture',
  HOUSING: 'construction', EDUCATION: 'education', PUBSEC: 'public_security', DRUG: 'drugs', NATRES: 'natural_resources',
  WATER: 'water',
};

const THIRD_PARTY_KINDS = ['检测技术有限公司', '工程咨询有限公司', '会计师事务所（普通合伙）', '认证服务有限公司', '安全技术服务有限公司'];
const SURNAME_CUM = cumulative(SURNAMES.map((s) => s.weight));

export function inspectorCount(entities: number): number {
  return Math.max(60, Math.round(entities / 250));
}

export function buildInspectors(model: Model): { records: InspectorRecord[]; pool: InspectorPool } {
  const entities = model.options.entities;
  const total = inspectorCount(entities);
  const rng = new Rng(model.keyA ^ 0x6a09e667, model.keyB ^ 0xbb67ae85);
  const conflictRng = new Rng(model.keyA ^ 0x3c6ef372, model.keyB ^ 0xa54ff53a);
  const probe = new EntityGenerator(model, EMPTY_POOL);
  const records: InspectorRecord[] = [];

  model.departments.forEach((department, deptIndex) => {
    const specialties = [
      ...new Set(model.items.filter((it) => it.departmentIndex === deptIndex).map((it) => it.specialty)),
    ];
    if (specialties.length === 0) specialties.push(DEPARTMENT_SPECIALTY[department] ?? 'registration');
    const count = Math.max(2, Math.round((total * (INSPECTOR_DEPARTMENT_PCT[department] ?? 1)) / 100));
    for (let j = 0; j < count; j++) {
      rng.reseed(j, hashString(model.keyB, department));
      // The first two of every department are serving officers with valid certificates, so tiny runs still staff draws.
      const guaranteed = j < 2;
      const k = rng.float();
      const kind: InspectorRecord['kind'] = guaranteed || k < 0.88 ? 'officer' : k < 0.96 ? 'expert' : 'third_party';
      const city = model.cities[rng.weighted(model.cityCum)];
      const district = city.districts[rng.weighted(city.districtCum)];
      const regionCode = kind === 'third_party' || rng.float() < 0.3 ? city.code : district.code;

      let name: string;
      if (kind === 'third_party') {
        name = '广东' + TRADE_NAME_CHARS[rng.int(TRADE_NAME_CHARS.length)] + TRADE_NAME_CHARS[rng.int(TRADE_NAME_CHARS.length)] + THIRD_PARTY_KINDS[rng.int(THIRD_PARTY_KINDS.length)];
      } else {
        const given = rng.float() < 0.3 ? GIVEN_NAME_CHARS[rng.int(GIVEN_NAME_CHARS.length)] : GIVEN_NAME_CHARS[rng.int(GIVEN_NAME_CHARS.length)] + GIVEN_NAME_CHARS[rng.int(GIVEN_NAME_CHARS.length)];
        name = SURNAMES[rng.weighted(SURNAME_CUM)].text + given;
      }

      let own: string[];
      if (guaranteed) own = specialties.slice();
      else {
        const wanted = Math.min(specialties.length, 1 + rng.int(3));
        const pool = specialties.slice();
        own = [];
        while (own.length < wanted) own.push(pool.splice(rng.int(pool.length), 1)[0]);
        own.sort((a, b) => specialties.indexOf(a) - specialties.indexOf(b));
      }

      let certificateNo = '';
      let validFromDay = 0;
      let validToDay = -1;
      if (kind === 'officer') {
        certificateNo = '粤执法' + city.code.slice(0, 4) + String(deptIndex + 1).padStart(2, '0') + String(j + 1).padStart(6, '0');
        if (guaranteed) validFromDay = model.windowStartDay - rng.int(700);
        else if (rng.float() < 0.05) validFromDay = yearsBefore(model.asOfDay, 7) + rng.int(730); // expired before as-of
        else validFromDay = model.asOfDay - rng.int(1826);
        validToDay = yearsBefore(validFromDay, -5) - 1;
      }
      const active = guaranteed || rng.float() >= 0.03;

      const conflictsDeclared: string[] = [];
      const conflictsReported: string[] = [];
      if (!guaranteed) {
        const declare = rng.float() < 0.02 ? 1 + rng.int(3) : 0;
        const reported = rng.float() < 0.01 ? 1 + rng.int(3) : 0;
        conflictRng.reseed(records.length, 11);
        const sample = (n: number, into: string[]) => {
          for (let c = 0; c < n; c++) {
            for (let tries = 0; tries < 200; tries++) {
              probe.core(conflictRng.int(entities));
              if (probe.city.code === city.code && !into.includes(probe.uscc)) {
                into.push(probe.uscc);
                break;
              }
            }
          }
        };
        sample(declare, conflictsDeclared);
        sample(reported, conflictsReported);
      }

      records.push({
        id: `GD-${department}-${String(j + 1).padStart(6, '0')}`,
        name,
        department,
        regionCode,
        kind,
        qualifications: kind === 'officer' ? ['enforcement'] : [],
        specialties: own,
        certificateNo,
        validFromDay,
        validToDay,
        active,
        conflictsDeclared,
        conflictsReported,
      });
    }
  });

  const pool: InspectorPool = {
    ids: records.map((r) => r.id),
    validFromDay: records.map((r) => r.validFromDay),
    validToDay: records.map((r) => r.validToDay),
    officersByDepartmentCity: model.departments.map(() => model.cities.map(() => [])),
    officersByDepartment: model.departments.map(() => []),
  };
  records.forEach((r, i) => {
    if (r.kind !== 'officer') return;
    const d = model.departmentIndex.get(r.department)!;
    pool.officersByDepartmentCity[d][model.cityByCode.get(r.regionCode.slice(0, 4) + '00')!.index].push(i);
    pool.officersByDepartment[d].push(i);
  });
  return { records, pool };
}

export function inspectorsCsv(model: Model, records: readonly InspectorRecord[]): string {
  const cal = model.calendar;
  let text = INSPECTORS_HEADER + '\n';
  for (const r of records) {
    const officer = r.kind === 'officer';
    text +=
      r.id + ',' + r.name + ',' + r.department + ',' + r.regionCode + ',' + r.kind + ',' + r.qualifications.join(';') + ',' + r.specialties.join(';') + ',' +
      r.certificateNo + ',' + (officer ? cal.date(r.validFromDay) : '') + ',' + (officer ? cal.date(r.validToDay) : '') + ',' + r.active + ',' +
      r.conflictsDeclared.join(';') + ',' + r.conflictsReported.join(';') + '\n';
  }
  return text;
}
