// The portal's search over published results, held in memory: what a search needs of every published result (its
// entity, public name, department, item, outcome and publication time) plus a bigram index of the public names.
// A search then finds, counts and orders its matches without reading the table; only the page's rows are read, by id.
//
// Why not SQL: at millions of published results, contains() reads every name (about 40 ms a scan on 2 threads, two
// scans a search), and DuckDB reads a row through an index at about 1 ms per entity; a portal under load needs a few
// milliseconds a search. DuckDB's full-text extension is not installed here and does not split Chinese text.
//
// Freshness: public_results changes only through the snapshot writer (snapshot.ts), in a transaction that also writes
// a `result.*` audit entry naming the result. The index remembers the last audit entry it has seen; refresh() re-reads
// the results named since. The audit chain's sequence is gapless and in commit order (each entry links its predecessor),
// so nothing committed is skipped.
import type { Db, Queryable } from '../db/duckdb.ts';
import { sql } from '../db/sql.ts';

/** What the index keeps of a published result (grain: one row per published result). */
const INDEXED_COLUMNS = sql`result_id, object_id, entity_name, department_code, item_code, outcome_code, published_at`;

interface IndexedRow {
  result_id: string;
  object_id: string;
  entity_name: string;
  department_code: string;
  item_code: string;
  outcome_code: string;
  published_at: Date;
}

// Reading 1.75 M rows as JS values takes about 11 s (a value object per cell). They are read instead as a few long
// texts per block of rows, split on the ASCII record and unit separators: about 5 s. The ids and names a split cuts
// out keep their block's text alive, so each has a block of its own (no wider than they are). A row whose text holds
// a separator (no real name or code does) is read as values.
const RECORD = '\x1e';
const UNIT = '\x1f';
const ROW_TEXT = sql`concat(result_id, object_id, entity_name, department_code, item_code, outcome_code)`;
const HAS_SEPARATOR = sql`(contains(${ROW_TEXT}, chr(30)) OR contains(${ROW_TEXT}, chr(31)))`;
// One row per block of 8,192 published results: their ids, object ids, names and facts as separated texts.
const BLOCKS_SQL = sql`SELECT string_agg(result_id, chr(30) ORDER BY rowid) AS ids, string_agg(object_id, chr(30) ORDER BY rowid) AS objects,
  string_agg(entity_name, chr(30) ORDER BY rowid) AS names,
  string_agg(concat_ws(chr(31), department_code, item_code, outcome_code, epoch_ms(published_at)), chr(30) ORDER BY rowid) AS facts
FROM public_results WHERE NOT ${HAS_SEPARATOR} GROUP BY rowid // 8192`;
// The rows the blocks leave out (their text holds a separator), one row each.
const SEPARATED_ROWS_SQL = sql`SELECT ${INDEXED_COLUMNS} FROM public_results WHERE ${HAS_SEPARATOR}`;

/** Outcome names and whether each is a finding, as the snapshots give them (grain: one row per outcome code). */
const OUTCOMES_SQL = sql`SELECT outcome_code AS code, any_value(outcome_name_zh) AS name_zh, any_value(outcome_name_en) AS name_en, bool_or(is_finding) AS is_finding
FROM public_results GROUP BY outcome_code`;

/** How a query text matches: by code exactly, contained in the name (Chinese: as typed; other text: any case), or all. */
export type MatchKind = 'all' | 'code' | 'han' | 'other';

export interface IndexSearch {
  kind: MatchKind;
  /** The trimmed query text (null for 'all'). */
  text: string | null;
  department?: string | null;
  itemCode?: string | null;
  /** Draws whose results are not public now (window open, no leader's decision): their results are left out. */
  withheldDraws?: readonly string[];
  limit: number;
  offset: number;
}

export interface IndexAnswer {
  total: number;
  findings: number;
  byOutcome: Array<{ code: string; nameZh: string; nameEn: string; isFinding: boolean; results: number }>;
  /** The page's result ids, newest publication first, then by result id. */
  pageIds: string[];
}

/**
 * The two-character pieces of a text (UTF-16 code units), each as a small integer: the first unit and 15 bits of the
 * second. A text contained in a name has all its pieces among the name's, which is all a lookup needs (the rare
 * pieces that share a number only add candidates, which are checked); a one-character text has none.
 */
function bigrams(text: string): number[] {
  const grams: number[] = [];
  for (let k = 1; k < text.length; k++) grams.push((text.charCodeAt(k - 1) << 15) | (text.charCodeAt(k) & 0x7fff));
  return grams;
}

/** Characters lower-casing changes: a name without any is its own lower case (Chinese names are; testing is cheaper than lowering). */
const HAS_CASE = /\p{Changes_When_Lowercased}/u;

/** Strings stored once, as small numbers (department and item codes, outcome codes). */
class Codes {
  readonly values: string[] = [];
  private readonly numbers = new Map<string, number>();
  number(value: string): number {
    let n = this.numbers.get(value);
    if (n === undefined) {
      n = this.values.length;
      this.values.push(value);
      this.numbers.set(value, n);
    }
    return n;
  }
  find(value: string): number | undefined {
    return this.numbers.get(value);
  }
}

/** Beyond this many page rows (offset + limit), a search sorts every match instead of keeping the top ones. */
const TOP_KEPT_MAX = 2_000;

export class PublicSearchIndex {
  /** The audit entry up to which every change to published results is in the index. */
  private auditSeq = 0;

  // Public names by number, one per entity and name (an entity renamed between publications has two): the text, the
  // results bearing it, and each entity's names.
  private readonly names: string[] = [];
  /** Each name lower-cased, for case-blind searches (the same string as the name when it has no case, as Chinese names). */
  private readonly lowerNames: string[] = [];
  private readonly nameResults: number[][] = [];
  private readonly objectNames = new Map<string, number[]>();
  /** Bigram -> names holding it, as typed and lower-cased (so both a Chinese and a case-blind search find candidates). */
  private readonly grams = new Map<number, number[]>();

  // Published results by number: id, name (-1 once the result is gone), department, item, outcome, publication time.
  private readonly resultIds: string[] = [];
  private readonly resultName: number[] = [];
  private readonly resultDepartment: number[] = [];
  private readonly resultItem: number[] = [];
  private readonly resultOutcome: number[] = [];
  private readonly resultPublishedAt: number[] = [];
  private readonly resultDraw: number[] = [];
  private live = 0;
  private readonly departments = new Codes();
  private readonly items = new Codes();
  private readonly outcomes = new Codes();
  private readonly draws = new Codes();
  private readonly outcomeInfo: Array<{ nameZh: string; nameEn: string; isFinding: boolean }> = [];

  /** Reads every published result. The audit position is read first: a change made meanwhile is read again by refresh. */
  static async build(q: Queryable): Promise<PublicSearchIndex> {
    const index = new PublicSearchIndex();
    index.auditSeq = await lastAuditSeq(q);
    for await (const batch of q.stream<{ ids: string; objects: string; names: string; facts: string }>(BLOCKS_SQL))
      for (const block of batch) {
        const [ids, objects, names, facts] = [block.ids, block.objects, block.names, block.facts].map((text) => text.split(RECORD));
        for (let i = 0; i < ids.length; i++) {
          const [department, item, outcome, publishedAt] = facts[i].split(UNIT);
          index.add(ids[i], index.nameNumber(objects[i], names[i]), department, item, outcome, Number(publishedAt));
        }
        // A server builds the index while it answers requests: let them in between blocks (each about 40 ms of work).
        await new Promise((resolve) => setImmediate(resolve));
      }
    for (const row of await q.query<IndexedRow>(SEPARATED_ROWS_SQL)) index.putRow(row);
    await index.readOutcomes(q);
    return index;
  }

  private refreshing: Promise<void> = Promise.resolve();

  /** Re-reads the published results that audited writes have named since the index last looked (one refresh at a time). */
  refresh(q: Queryable): Promise<void> {
    const run = this.refreshing.then(() => this.catchUp(q));
    this.refreshing = run.catch(() => undefined);
    return run;
  }

  private async catchUp(q: Queryable): Promise<void> {
    const seq = await lastAuditSeq(q);
    if (seq === this.auditSeq) return;
    const changed = await q.query<{ id: string }>(
      sql`SELECT DISTINCT subject AS id FROM audit_log
          WHERE seq > ${this.auditSeq} AND seq <= ${seq} AND starts_with(action, 'result.') AND subject IS NOT NULL`,
    );
    for (let start = 0; start < changed.length; start += 1000) {
      const ids = changed.slice(start, start + 1000).map((c) => c.id);
      // literals, not a bound list: DuckDB reads these rows through the primary key's index only for literals
      const rows = await q.query<IndexedRow>(sql`SELECT ${INDEXED_COLUMNS} FROM public_results WHERE result_id IN (${sql.join(ids.map((id) => sql.literal(id)))})`);
      if (rows.some((r) => this.outcomes.find(r.outcome_code) === undefined)) await this.readOutcomes(q);
      for (const row of rows) this.putRow(row);
      const present = new Set(rows.map((r) => r.result_id));
      for (const id of ids) if (!present.has(id)) this.remove(id);
    }
    this.auditSeq = seq;
  }

  /** How many published results the index holds. */
  get size(): number {
    return this.live;
  }

  private async readOutcomes(q: Queryable): Promise<void> {
    for (const o of await q.query<{ code: string; name_zh: string; name_en: string; is_finding: boolean }>(OUTCOMES_SQL))
      this.outcomeInfo[this.outcomes.number(o.code)] = { nameZh: o.name_zh, nameEn: o.name_en, isFinding: o.is_finding };
  }

  private nameNumber(objectId: string, name: string): number {
    const ofObject = this.objectNames.get(objectId);
    if (ofObject) for (const known of ofObject) if (this.names[known] === name) return known;
    const n = this.names.length;
    const lower = HAS_CASE.test(name) ? name.toLowerCase() : name;
    this.names.push(name);
    this.lowerNames.push(lower);
    this.nameResults.push([]);
    if (ofObject) ofObject.push(n);
    else this.objectNames.set(objectId, [n]);
    for (const gram of lower === name ? bigrams(name) : [...bigrams(name), ...bigrams(lower)]) {
      const holders = this.grams.get(gram);
      if (!holders) this.grams.set(gram, [n]);
      else if (holders[holders.length - 1] !== n) holders.push(n); // a piece twice in a name is listed once
    }
    return n;
  }

  /** The number of a result of an entity, if the index holds it. */
  private resultNumber(objectId: string, resultId: string): number | undefined {
    for (const n of this.objectNames.get(objectId) ?? []) for (const r of this.nameResults[n]) if (this.resultIds[r] === resultId) return r;
    return undefined;
  }

  /** Adds or replaces a result read by refresh. */
  private putRow(row: IndexedRow): void {
    const r = this.resultNumber(row.object_id, row.result_id);
    if (r !== undefined) this.detach(r);
    this.add(row.result_id, this.nameNumber(row.object_id, row.entity_name), row.department_code, row.item_code, row.outcome_code, row.published_at.getTime(), r);
  }

  /** Adds a result under its name (as a new number, or again under the number it had). */
  private add(resultId: string, name: number, department: string, item: string, outcome: string, publishedAt: number, r = this.resultIds.length): void {
    this.resultIds[r] = resultId;
    this.resultName[r] = name;
    this.resultDepartment[r] = this.departments.number(department);
    this.resultItem[r] = this.items.number(item);
    this.resultOutcome[r] = this.outcomes.number(outcome);
    this.resultPublishedAt[r] = publishedAt;
    // A result's id starts with its draw's (resultIdOf: draw|object|item).
    this.resultDraw[r] = this.draws.number(resultId.slice(0, resultId.indexOf('|')));
    this.nameResults[name].push(r);
    this.live++;
  }

  /** Forgets a result that is no longer published (a snapshot is never deleted today; this keeps the index true if one is). */
  private remove(resultId: string): void {
    for (let r = 0; r < this.resultIds.length; r++) if (this.resultIds[r] === resultId) this.detach(r);
  }

  /** Takes a result off its name's list (before it moves to another name, or goes). */
  private detach(r: number): void {
    const name = this.resultName[r];
    if (name < 0) return;
    const list = this.nameResults[name];
    list.splice(list.indexOf(r), 1);
    this.resultName[r] = -1;
    this.live--;
  }

  /** The names a text matches, or null for every name ('all'). */
  private matchingNames(kind: MatchKind, text: string | null): number[] | null {
    if (kind === 'all' || text === null) return null;
    const code = text.toUpperCase();
    const ofCode = this.objectNames.get(code) ?? [];
    if (kind === 'code') return ofCode;
    const needle = kind === 'han' ? text : text.toLowerCase();
    const matches = (n: number) => (kind === 'han' ? this.names[n] : this.lowerNames[n]).includes(needle);
    // Candidates: the names holding the text's rarest bigram (a name containing the text holds all of them); a
    // one-character text has none, and every name is a candidate.
    const grams = bigrams(needle);
    let candidates: Iterable<number> = this.names.keys();
    for (const gram of grams) {
      const holders = this.grams.get(gram) ?? [];
      if (!Array.isArray(candidates) || holders.length < candidates.length) candidates = holders;
    }
    const found: number[] = [];
    for (const n of candidates) if (matches(n)) found.push(n);
    // Text that is not a name may be the exact id of an object without a USCC (a product, a project).
    return kind === 'other' ? [...new Set([...found, ...ofCode])] : found;
  }

  /** Finds, counts and orders the matches of a search; returns the page's result ids. */
  search(search: IndexSearch): IndexAnswer {
    const names = this.matchingNames(search.kind, search.text);
    const department = search.department ? (this.departments.find(search.department) ?? -1) : null;
    const item = search.itemCode ? (this.items.find(search.itemCode) ?? -1) : null;
    const withheld = new Set((search.withheldDraws ?? []).map((d) => this.draws.find(d)).filter((n) => n !== undefined));
    const perOutcome = new Map<number, number>();
    const hits: number[] = [];
    const consider = (r: number) => {
      if (department !== null && this.resultDepartment[r] !== department) return;
      if (item !== null && this.resultItem[r] !== item) return;
      if (withheld.has(this.resultDraw[r])) return;
      perOutcome.set(this.resultOutcome[r], (perOutcome.get(this.resultOutcome[r]) ?? 0) + 1);
      hits.push(r);
    };
    if (names === null) {
      for (let r = 0; r < this.resultName.length; r++) if (this.resultName[r] >= 0) consider(r);
    } else for (const n of names) for (const r of this.nameResults[n]) consider(r);

    const byOutcome = [...perOutcome]
      .map(([o, results]) => ({ code: this.outcomes.values[o], ...this.outcomeInfo[o], results }))
      .sort((a, b) => b.results - a.results || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
    return {
      total: hits.length,
      findings: byOutcome.filter((o) => o.isFinding).reduce((sum, o) => sum + o.results, 0),
      byOutcome,
      pageIds: this.page(hits, search.offset, search.limit).map((r) => this.resultIds[r]),
    };
  }

  /** Newer publication first, then by result id (the order SQL's ORDER BY published_at DESC, result_id gives). */
  private readonly newerFirst = (a: number, b: number): number =>
    this.resultPublishedAt[b] - this.resultPublishedAt[a] || (this.resultIds[a] < this.resultIds[b] ? -1 : this.resultIds[a] > this.resultIds[b] ? 1 : 0);

  /** The hits at offset..offset+limit in newerFirst order, keeping only the first offset+limit while going through them. */
  private page(hits: number[], offset: number, limit: number): number[] {
    const keep = offset + limit;
    if (keep > TOP_KEPT_MAX || hits.length <= keep) return hits.sort(this.newerFirst).slice(offset, keep);
    const top: number[] = [];
    for (const r of hits) {
      if (top.length === keep && this.newerFirst(r, top[keep - 1]) >= 0) continue;
      let at = top.length;
      while (at > 0 && this.newerFirst(r, top[at - 1]) < 0) at--;
      top.splice(at, 0, r);
      if (top.length > keep) top.pop();
    }
    return top.slice(offset);
  }
}

/**
 * The index a server keeps: built on first use (the API starts it when it begins listening), brought up to date once
 * after each write (Db.untilNextWrite); searches meanwhile share the same step.
 */
export function keptSearchIndex(db: Db): () => Promise<PublicSearchIndex> {
  let built: Promise<PublicSearchIndex> | null = null;
  return db.untilNextWrite(async () => {
    built ??= PublicSearchIndex.build(db);
    try {
      const index = await built;
      await index.refresh(db);
      return index;
    } catch (err) {
      built = null;
      throw err;
    }
  });
}

async function lastAuditSeq(q: Queryable): Promise<number> {
  return (await q.one<{ seq: number }>(sql`SELECT coalesce(max(seq), 0) AS seq FROM audit_log`))!.seq;
}
