// The sampling policy as the ratios page reads and saves it: the current version with the practice ranges and its
// warnings, every saved version with what changed against the one before, and a save with its changes as rows.
import type { Db, Queryable } from '../db/duckdb.ts';
import type { Principal } from '../auth/roles.ts';
import { currentPolicy, DEFAULT_POLICY, diffSettings, listPolicies, practiceWarnings, PRACTICE_RANGE_BP, savePolicy } from './policy.ts';
import type { PolicyAnswer, PolicyChange, PolicyChangeRow, PolicyVersion, SavedPolicy } from './schemas.ts';

/** diffSettings' [before, after] pairs as rows. */
export const changeRows = (changes: Record<string, [unknown, unknown]>): PolicyChangeRow[] =>
  Object.entries(changes).map(([field, [before, after]]) => ({ field, before: before as number | null, after: after as number | null }));

/** The policy in force (version 0: the documented default), the ranges seen in practice, and what it is warned about. */
export async function policyAnswer(q: Queryable): Promise<PolicyAnswer> {
  const policy = await currentPolicy(q);
  return { policy, practiceRangeBp: PRACTICE_RANGE_BP, warnings: practiceWarnings(policy) };
}

/** Every saved version, newest first, each with its changes against the one before (the first: against the default). */
export async function policyVersions(q: Queryable): Promise<PolicyVersion[]> {
  const versions = await listPolicies(q);
  return versions.map((p, i) => ({ ...p, changes: changeRows(diffSettings(i === 0 ? DEFAULT_POLICY : versions[i - 1], p)) })).reverse();
}

/** Saves the change merged onto the current policy as a new version, by the caller, with a reason. */
export async function savePolicyAs(db: Db, caller: Principal, body: PolicyChange & { reason: string }): Promise<SavedPolicy> {
  const { reason, ...change } = body;
  const saved = await savePolicy(db, change, { author: caller.username, reason });
  return { ...saved, changes: changeRows(saved.changes) };
}
