// Items declared equivalent across departments (结果互认, 部门间共享交换和互认机制): a pair of items of two departments
// whose results recognise each other. Admins declare and withdraw pairs, each change in the audit chain; the draw's
// eligibility (draw/sql/eligibility.sql) reads them to skip an entity already checked for an equivalent item.
import type { Db, Queryable } from '../db/duckdb.ts';
import { sql } from '../db/sql.ts';
import { appendAudit } from '../audit/chain.ts';
import { EngineError } from '../kernel/errors.ts';
import { DateTime, Type, type Static } from '../kernel/schema.ts';
import type { Principal } from '../auth/roles.ts';

export const ItemEquivalence = Type.Object({
  itemA: Type.String(),
  itemB: Type.String(),
  departmentA: Type.String(),
  departmentB: Type.String(),
  nameAZh: Type.String(),
  nameBZh: Type.String(),
  nameAEn: Type.String(),
  nameBEn: Type.String(),
  reason: Type.String(),
  declaredBy: Type.String(),
  declaredAt: DateTime,
});
export type ItemEquivalence = Static<typeof ItemEquivalence>;

export const EquivalenceBody = Type.Object(
  {
    itemA: Type.String({ minLength: 1, maxLength: 32 }),
    itemB: Type.String({ minLength: 1, maxLength: 32 }),
    reason: Type.String({ minLength: 4, maxLength: 500, description: '互认依据 why their results recognise each other' }),
  },
  { additionalProperties: false },
);
export type EquivalenceBody = Static<typeof EquivalenceBody>;

const ordered = (a: string, b: string): [string, string] => (a < b ? [a, b] : [b, a]);

/** The department of an item's current version, or an error naming the unknown code. */
async function departmentOf(q: Queryable, code: string): Promise<string> {
  const row = await q.one<{ department_code: string }>(sql`SELECT department_code FROM items WHERE code = ${code} AND valid_to IS NULL`);
  if (!row) throw new EngineError('invalid', 'equivalence.unknown_item', { zh: `事项 ${code} 不在现行事项清单中`, en: `item ${code} is not on the current item list` }, { item: code });
  return row.department_code;
}

/** Every declared pair, with both items' departments and names. */
export async function listEquivalences(q: Queryable): Promise<ItemEquivalence[]> {
  const rows = await q.query<{ item_a: string; item_b: string; dep_a: string; dep_b: string; a_zh: string; b_zh: string; a_en: string; b_en: string; reason: string; declared_by: string; declared_at: Date }>(
    sql`SELECT e.item_a, e.item_b, a.department_code AS dep_a, b.department_code AS dep_b, a.name_zh AS a_zh, b.name_zh AS b_zh, a.name_en AS a_en, b.name_en AS b_en,
          e.reason, e.declared_by, e.declared_at
        FROM item_equivalences e
        JOIN items a ON a.code = e.item_a AND a.valid_to IS NULL
        JOIN items b ON b.code = e.item_b AND b.valid_to IS NULL
        ORDER BY e.item_a, e.item_b`,
  );
  return rows.map((r) => ({
    itemA: r.item_a,
    itemB: r.item_b,
    departmentA: r.dep_a,
    departmentB: r.dep_b,
    nameAZh: r.a_zh,
    nameBZh: r.b_zh,
    nameAEn: r.a_en,
    nameBEn: r.b_en,
    reason: r.reason,
    declaredBy: r.declared_by,
    declaredAt: r.declared_at,
  }));
}

/** Declares two items of different departments equivalent (admins; audited). */
export async function declareEquivalence(db: Db, body: EquivalenceBody, actor: Principal, now = new Date()): Promise<ItemEquivalence> {
  const [a, b] = ordered(body.itemA.trim(), body.itemB.trim());
  return db.transaction(async (tx) => {
    const [depA, depB] = [await departmentOf(tx, a), await departmentOf(tx, b)];
    if (depA === depB)
      throw new EngineError(
        'invalid',
        'equivalence.same_department',
        { zh: `${a} 与 ${b} 同属 ${depA}：互认只在不同部门之间`, en: `${a} and ${b} both belong to ${depA}: recognition is between departments` },
        { itemA: a, itemB: b },
      );
    if (await tx.one(sql`SELECT 1 FROM item_equivalences WHERE item_a = ${a} AND item_b = ${b}`))
      throw new EngineError('conflict', 'equivalence.exists', { zh: `${a} 与 ${b} 已互认`, en: `${a} and ${b} are already declared equivalent` }, { itemA: a, itemB: b });
    await tx.exec(sql`INSERT INTO item_equivalences VALUES (${a}, ${b}, ${body.reason.trim()}, ${actor.username}, ${now.toISOString()}::TIMESTAMPTZ)`);
    await appendAudit(tx, { actor: actor.username, action: 'equivalence.declare', subject: `${a}~${b}`, payload: { itemA: a, itemB: b, departmentA: depA, departmentB: depB, reason: body.reason.trim() } });
    return (await listEquivalences(tx)).find((e) => e.itemA === a && e.itemB === b)!;
  });
}

/** Withdraws a pair (admins; audited with the reason given). Draws already committed keep the population they froze. */
export async function withdrawEquivalence(db: Db, itemA: string, itemB: string, reason: string, actor: Principal): Promise<void> {
  const [a, b] = ordered(itemA, itemB);
  await db.transaction(async (tx) => {
    if (!(await tx.one(sql`SELECT 1 FROM item_equivalences WHERE item_a = ${a} AND item_b = ${b}`)))
      throw new EngineError('not_found', 'equivalence.not_found', { zh: `${a} 与 ${b} 未互认`, en: `${a} and ${b} are not declared equivalent` }, { itemA: a, itemB: b });
    await tx.exec(sql`DELETE FROM item_equivalences WHERE item_a = ${a} AND item_b = ${b}`);
    await appendAudit(tx, { actor: actor.username, action: 'equivalence.withdraw', subject: `${a}~${b}`, payload: { itemA: a, itemB: b, reason } });
  });
}
