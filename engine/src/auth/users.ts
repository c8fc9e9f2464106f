// Accounts: create, list, enable/disable, reset passwords, check a login; every change goes to the audit log.
import type { Db, Queryable } from '../db/duckdb.ts';
import { sql } from '../db/sql.ts';
import { appendAudit } from '../audit/chain.ts';
import { bilingual, EngineError, paramValue } from '../kernel/errors.ts';
import { USERNAME_PATTERN, type NewUser, type UserChange, type UserRecord } from './schemas.ts';
import { generatePassword, hashPassword, needsRehash, passwordProblem, verifyPassword, DEFAULT_SCRYPT } from './password.ts';
import { isRole, ROLES, type Principal, type Role } from './roles.ts';

/** A request a person can fix: names the field, the value and the rule (invalid; a taken name conflicts, an unknown one is not found). */
export class UserInputError extends EngineError {
  constructor(
    readonly field: string,
    readonly value: unknown,
    readonly rule: string,
    kind: 'invalid' | 'conflict' | 'not_found' = 'invalid',
  ) {
    super(kind, { invalid: 'user.invalid', conflict: 'user.exists', not_found: 'user.not_found' }[kind], bilingual(rule, `${field} ${JSON.stringify(value)}: `), { field, value: paramValue(value) });
  }
}

export { USERNAME_PATTERN, type NewUser, type UserChange, type UserRecord };
const USERNAME_RE = new RegExp(USERNAME_PATTERN);

/** Usernames are case-insensitive: stored and looked up in lower case. */
export function normalizeUsername(username: string): string {
  return username.trim().toLowerCase();
}

export function usernameProblem(username: string): string | null {
  return USERNAME_RE.test(username) ? null : '用户名须为 2-64 个小写字母、数字或 . _ -，以字母或数字开头 must be 2-64 lower-case letters, digits, . _ or -, starting with a letter or digit';
}

// One row per user, without the password hash.
const USER_COLUMNS = sql`username, role, department_code AS department, disabled, created_at AS "createdAt", last_login_at AS "lastLoginAt"`;

export async function getUser(q: Queryable, username: string): Promise<UserRecord | undefined> {
  return q.one<UserRecord>(sql`SELECT ${USER_COLUMNS} FROM users WHERE username = ${normalizeUsername(username)}`);
}

export async function listUsers(q: Queryable): Promise<UserRecord[]> {
  return q.query<UserRecord>(sql`SELECT ${USER_COLUMNS} FROM users ORDER BY username`);
}

async function departmentCodes(q: Queryable): Promise<string[]> {
  return (await q.query<{ code: string }>(sql`SELECT code FROM departments ORDER BY code`)).map((r) => r.code);
}

/** Checks a new account's name, role and department; returns them normalised (lower-case name, department only for operators and auditors). */
export async function validateAccount(q: Queryable, input: Omit<NewUser, 'password'>): Promise<{ username: string; role: Role; department: string | null }> {
  const username = normalizeUsername(input.username);
  const nameProblem = usernameProblem(username);
  if (nameProblem) throw new UserInputError('username', input.username, nameProblem);
  if (!isRole(input.role)) throw new UserInputError('role', input.role, `角色须为 must be one of ${ROLES.join(', ')}`);
  const role = input.role;
  const department = input.department ? input.department.trim().toUpperCase() : null;
  if (role === 'operator') {
    if (!department) throw new UserInputError('department', input.department ?? null, '部门操作员必须指定所属部门 an operator must belong to a department (e.g. SAMR)');
    const codes = await departmentCodes(q);
    if (!codes.includes(department)) {
      throw new UserInputError('department', department, `不是已知的部门代码 is not a department code; known: ${codes.join(', ') || '(departments table is empty: load the reference data)'}`);
    }
  } else if (department && role === 'auditor') {
    // An auditor sees every department; the one it names is where it works, shown on its attestations.
    const codes = await departmentCodes(q);
    if (!codes.includes(department)) throw new UserInputError('department', department, `不是已知的部门代码 is not a department code; known: ${codes.join(', ')}`);
  } else if (department) {
    throw new UserInputError('department', department, `只有部门操作员和审计人员属于某个部门 only operators and auditors belong to a department; role ${role} sees every department`);
  }
  if (await q.one(sql`SELECT 1 AS taken FROM users WHERE username = ${username}`)) {
    throw new UserInputError('username', username, '用户名已存在 an account with this name already exists', 'conflict');
  }
  return { username, role, department };
}

/** validateAccount, and the password meets the rules. */
export async function validateNewUser(q: Queryable, input: NewUser): Promise<{ username: string; role: Role; department: string | null }> {
  const account = await validateAccount(q, input);
  const problem = passwordProblem(input.password);
  if (problem) throw new UserInputError('password', '(hidden)', problem);
  return account;
}

/** Creates an account; call inside a transaction (the audit entry shares it). `actor` is who did it. */
export async function createUser(q: Queryable, input: NewUser, actor: string): Promise<UserRecord> {
  const user = await validateNewUser(q, input);
  const passwordHash = await hashPassword(input.password);
  await q.exec(sql`INSERT INTO users (username, role, department_code, password_hash, created_at, disabled)
    VALUES (${user.username}, ${user.role}, ${user.department}, ${passwordHash}, current_timestamp, false)`);
  await appendAudit(q, { actor, action: 'user.create', subject: user.username, payload: { role: user.role, department: user.department } });
  return (await getUser(q, user.username))!;
}

async function requireUser(q: Queryable, username: string): Promise<UserRecord> {
  const user = await getUser(q, username);
  if (!user) throw new UserInputError('username', normalizeUsername(username), '没有这个用户 no such account', 'not_found');
  return user;
}

/** Disables (no login, sessions ended) or re-enables an account; call inside a transaction. */
export async function setUserDisabled(q: Queryable, username: string, disabled: boolean, actor: string): Promise<UserRecord> {
  const user = await requireUser(q, username);
  if (user.disabled !== disabled) {
    await q.exec(sql`UPDATE users SET disabled = ${disabled} WHERE username = ${user.username}`);
    if (disabled) await q.exec(sql`DELETE FROM sessions WHERE username = ${user.username}`);
    await appendAudit(q, { actor, action: disabled ? 'user.disable' : 'user.enable', subject: user.username, payload: {} });
  }
  return (await getUser(q, user.username))!;
}

/** Sets a new password and ends the account's sessions; call inside a transaction. */
export async function setUserPassword(q: Queryable, username: string, password: string, actor: string): Promise<UserRecord> {
  const user = await requireUser(q, username);
  const problem = passwordProblem(password);
  if (problem) throw new UserInputError('password', '(hidden)', problem);
  await q.exec(sql`UPDATE users SET password_hash = ${await hashPassword(password)} WHERE username = ${user.username}`);
  await q.exec(sql`DELETE FROM sessions WHERE username = ${user.username}`);
  await appendAudit(q, { actor, action: 'user.password_reset', subject: user.username, payload: {} });
  return user;
}

export type LoginFailure = 'unknown_user' | 'wrong_password' | 'disabled';
export type LoginCheck = { ok: true; principal: Principal } | { ok: false; reason: LoginFailure };

let dummyHash: Promise<string> | undefined;

/**
 * Checks a username and password. Reads only (audit and session are the caller's, see signIn).
 * An unknown user still costs one scrypt, so timing does not reveal which names exist.
 */
export async function verifyLogin(q: Queryable, username: string, password: string): Promise<LoginCheck> {
  const row = await q.one<{ username: string; role: Role; department: string | null; disabled: boolean; password_hash: string }>(
    sql`SELECT username, role, department_code AS department, disabled, password_hash FROM users WHERE username = ${normalizeUsername(username)}`,
  );
  if (!row) {
    dummyHash ??= hashPassword(generatePassword());
    await verifyPassword(password, await dummyHash);
    return { ok: false, reason: 'unknown_user' };
  }
  if (!(await verifyPassword(password, row.password_hash))) return { ok: false, reason: 'wrong_password' };
  if (row.disabled) return { ok: false, reason: 'disabled' };
  if (needsRehash(row.password_hash, DEFAULT_SCRYPT)) {
    await q.exec(sql`UPDATE users SET password_hash = ${await hashPassword(password)} WHERE username = ${row.username}`);
  }
  return { ok: true, principal: { username: row.username, role: row.role, department: row.department } };
}

export interface DemoAccount {
  username: string;
  role: Role;
  department: string | null;
  password: string;
}

/** The demo's accounts, one per role (the operator in SAMR, the auditor working in SAMR's discipline inspection). */
export const DEMO_ACCOUNTS: readonly { username: string; role: Role; department: string | null }[] = [
  { username: 'admin', role: 'admin', department: null },
  { username: 'analyst', role: 'analyst', department: null },
  { username: 'leader', role: 'leader', department: null },
  { username: 'operator-samr', role: 'operator', department: 'SAMR' },
  { username: 'auditor', role: 'auditor', department: 'SAMR' },
];

/**
 * Creates the demo accounts with strong random passwords and returns them (the only time the
 * passwords exist in clear: print them once). Accounts that already exist are left alone and not returned.
 * Call inside a transaction; needs the departments reference data.
 */
export async function createDemoUsers(q: Queryable): Promise<DemoAccount[]> {
  const created: DemoAccount[] = [];
  for (const account of DEMO_ACCOUNTS) {
    if (await getUser(q, account.username)) continue;
    const password = generatePassword();
    await createUser(q, { ...account, password }, 'demo');
    created.push({ ...account, password });
  }
  return created;
}

/** A new account, with its audit entry, in one transaction. */
export function addUser(db: Db, input: NewUser, actor: string): Promise<UserRecord> {
  return db.transaction((tx) => createUser(tx, input, actor));
}

/** An admin's change to an account: disable or enable it, or set a new password (both end its sessions). Nobody disables their own account. */
export async function changeUser(db: Db, username: string, change: UserChange, actor: string): Promise<UserRecord> {
  if (change.disabled === true && normalizeUsername(username) === actor) throw new UserInputError('disabled', true, '不能停用自己的账户 you cannot disable your own account');
  return db.transaction(async (tx) => {
    let changed: UserRecord | undefined;
    if (change.password !== undefined) changed = await setUserPassword(tx, username, change.password, actor);
    if (change.disabled !== undefined) changed = await setUserDisabled(tx, username, change.disabled, actor);
    if (!changed) throw new UserInputError('change', change, '须停用、启用或重设密码 give disabled or password');
    return changed;
  });
}
