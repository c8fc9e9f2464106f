import { describe, it, expect } from 'vitest';
import { generatePassword, hashPassword, needsRehash, parsePasswordHash, passwordProblem, verifyPassword, DEFAULT_SCRYPT } from './password.ts';

describe('password hashing', () => {
  it('writes scrypt$N$r$p$salt$hash and verifies the right password only', async () => {
    const stored = await hashPassword('correct horse battery');
    expect(stored).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(await verifyPassword('correct horse battery', stored)).toBe(true);
    expect(await verifyPassword('correct horse batterY', stored)).toBe(false);
    expect(await verifyPassword('', stored)).toBe(false);
  });

  it('salts every hash', async () => {
    const [a, b] = await Promise.all([hashPassword('same password!'), hashPassword('same password!')]);
    expect(a).not.toBe(b);
  });

  it('reads the parameters from the stored hash, so old costs still verify and are flagged for rehash', async () => {
    const cheap = await hashPassword('an older password', { N: 1024, r: 8, p: 1 });
    expect(parsePasswordHash(cheap).params).toEqual({ N: 1024, r: 8, p: 1 });
    expect(await verifyPassword('an older password', cheap)).toBe(true);
    expect(needsRehash(cheap)).toBe(true);
    expect(needsRehash(await hashPassword('a current password'))).toBe(false);
    expect(DEFAULT_SCRYPT.N).toBeGreaterThanOrEqual(2 ** 15);
  });

  it('refuses malformed or absurdly expensive hashes, naming the part', () => {
    expect(() => parsePasswordHash('bcrypt$2b$10$abc')).toThrow(/scrypt\$N\$r\$p\$salt\$hash/);
    expect(() => parsePasswordHash('scrypt$1000$8$1$c2FsdHNhbHQ$a2V5a2V5a2V5a2V5a2V5a2V5')).toThrow(/power of two/);
    expect(() => parsePasswordHash('scrypt$1073741824$8$1$c2FsdHNhbHQ$a2V5a2V5a2V5a2V5a2V5a2V5')).toThrow(/exceed/);
  });

  it('sets rules for new passwords and generates strong ones', () => {
    expect(passwordProblem('short')).toMatch(/at least 10/);
    expect(passwordProblem('aaaaaaaaaaaa')).toMatch(/different characters/);
    expect(passwordProblem('a reasonable passphrase')).toBeNull();
    const generated = generatePassword();
    expect(generated).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(passwordProblem(generated)).toBeNull();
    expect(generatePassword()).not.toBe(generated);
  });
});
