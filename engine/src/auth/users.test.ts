import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { tempDb } from '../testing/db.ts';
import { verifyAudit } from '../audit/chain.ts';
import { createDemoUsers, createUser, getUser, listUsers, setUserDisabled, setUserPassword, validateAccount, verifyLogin, UserInputError } from './users.ts';
import { sql } from '../db/sql.ts';

describe('accounts', () => {
  let t: Awaited<ReturnType<typeof tempDb>>;
  beforeAll(async () => {
    t = await tempDb({ reference: true });
  });
  afterAll(() => t.cleanup());

  it('creates an operator bound to a department, lower-cases the name, stores only a scrypt hash', async () => {
    const user = await t.db.transaction((tx) => createUser(tx, { username: ' Wang.Li ', role: 'operator', department: 'samr', password: 'first password 1' }, 'tester'));
    expect(user).toMatchObject({ username: 'wang.li', role: 'operator', department: 'SAMR', disabled: false, lastLoginAt: null });
    const row = await t.db.one<{ password_hash: string }>(sql`SELECT password_hash FROM users WHERE username = 'wang.li'`);
    expect(row!.password_hash).toMatch(/^scrypt\$/);
    expect(row!.password_hash).not.toContain('first password');
  });

  it('audits the creation without the password', async () => {
    const entry = await t.db.one<{ actor: string; action: string; subject: string; payload: string }>(
      sql`SELECT actor, action, subject, payload::VARCHAR AS payload FROM audit_log WHERE action = 'user.create' AND subject = 'wang.li'`,
    );
    expect(entry).toMatchObject({ actor: 'tester', subject: 'wang.li' });
    expect(JSON.parse(entry!.payload)).toEqual({ department: 'SAMR', role: 'operator' });
    const all = await t.db.query<{ text: string }>(sql`SELECT payload::VARCHAR AS text FROM audit_log`);
    for (const { text } of all) expect(text).not.toMatch(/password|scrypt/);
    expect((await verifyAudit(t.db)).ok).toBe(true);
  });

  it('refuses bad input naming the field, value and rule', async () => {
    const attempt = (input: Parameters<typeof createUser>[1]) => t.db.transaction((tx) => createUser(tx, input, 'tester'));
    await expect(attempt({ username: 'x', role: 'admin', password: 'long enough pw' })).rejects.toThrow(/^username "x": .*2-64/);
    await expect(attempt({ username: 'boss', role: 'root', password: 'long enough pw' })).rejects.toThrow(/^role "root": .*admin, analyst, leader, operator/);
    await expect(attempt({ username: 'op', role: 'operator', password: 'long enough pw' })).rejects.toThrow(/^department null: .*must belong/);
    await expect(attempt({ username: 'op', role: 'operator', department: 'XYZ', password: 'long enough pw' })).rejects.toThrow(/^department "XYZ": .*known: AGRI/);
    await expect(attempt({ username: 'lead', role: 'leader', department: 'TAX', password: 'long enough pw' })).rejects.toThrow(/only operators/);
    // An auditor may name where it works (shown on its attestations), a known department only; or none.
    await expect(attempt({ username: 'aud', role: 'auditor', department: 'XYZ', password: 'long enough pw' })).rejects.toThrow(/^department "XYZ": .*known: AGRI/);
    expect(await validateAccount(t.db, { username: 'aud', role: 'auditor', department: 'tax' })).toEqual({ username: 'aud', role: 'auditor', department: 'TAX' });
    expect(await validateAccount(t.db, { username: 'aud', role: 'auditor' })).toEqual({ username: 'aud', role: 'auditor', department: null });
    await expect(attempt({ username: 'boss', role: 'admin', password: 'short' })).rejects.toThrow(/^password "\(hidden\)": .*at least 10/);
    const taken = await attempt({ username: 'WANG.LI', role: 'admin', password: 'long enough pw' }).catch((e: unknown) => e);
    expect(taken).toBeInstanceOf(UserInputError);
    expect(taken).toMatchObject({ kind: 'conflict', code: 'user.exists' });
  });

  it('verifies logins: unknown user, wrong password and disabled account all fail', async () => {
    expect(await verifyLogin(t.db, 'WANG.LI', 'first password 1')).toEqual({ ok: true, principal: { username: 'wang.li', role: 'operator', department: 'SAMR' } });
    expect(await verifyLogin(t.db, 'wang.li', 'first password 2')).toEqual({ ok: false, reason: 'wrong_password' });
    expect(await verifyLogin(t.db, 'nobody', 'first password 1')).toEqual({ ok: false, reason: 'unknown_user' });
    await t.db.transaction((tx) => setUserDisabled(tx, 'wang.li', true, 'tester'));
    expect(await verifyLogin(t.db, 'wang.li', 'first password 1')).toEqual({ ok: false, reason: 'disabled' });
    await t.db.transaction((tx) => setUserDisabled(tx, 'wang.li', false, 'tester'));
    await t.db.transaction((tx) => setUserPassword(tx, 'wang.li', 'second password 2', 'tester'));
    expect((await verifyLogin(t.db, 'wang.li', 'second password 2')).ok).toBe(true);
    expect((await verifyLogin(t.db, 'wang.li', 'first password 1')).ok).toBe(false);
    await expect(t.db.transaction((tx) => setUserDisabled(tx, 'ghost', true, 'tester'))).rejects.toThrow(/no such account/);
  });

  it('creates one demo account per role with strong random passwords, once', async () => {
    const demo = await t.db.transaction((tx) => createDemoUsers(tx));
    expect(demo.map((d) => [d.username, d.role, d.department])).toEqual([
      ['admin', 'admin', null],
      ['analyst', 'analyst', null],
      ['leader', 'leader', null],
      ['operator-samr', 'operator', 'SAMR'],
      ['auditor', 'auditor', 'SAMR'],
    ]);
    expect(new Set(demo.map((d) => d.password)).size).toBe(5);
    for (const d of demo) expect(d.password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect((await verifyLogin(t.db, 'leader', demo[2].password)).ok).toBe(true);
    expect(await t.db.transaction((tx) => createDemoUsers(tx))).toEqual([]);
    expect((await listUsers(t.db)).map((u) => u.username)).toEqual(['admin', 'analyst', 'auditor', 'leader', 'operator-samr', 'wang.li']);
    expect(await getUser(t.db, 'Admin')).toMatchObject({ role: 'admin' });
  });
});
