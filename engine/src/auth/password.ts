// Password hashing with node:crypto scrypt in a self-describing format, `scrypt$N$r$p$salt$hash`,
// so the cost can be raised later without invalidating stored hashes.
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

export interface ScryptParams {
  /** CPU/memory cost, a power of two. */
  N: number;
  r: number;
  p: number;
}

/** N=2^15, r=8 needs 32 MiB and about 60-100 ms here: slow for guessing, fine for a login. */
export const DEFAULT_SCRYPT: ScryptParams = { N: 2 ** 15, r: 8, p: 1 };
const SALT_BYTES = 16;
const KEY_BYTES = 32;
/** Refuse stored parameters beyond this, so a tampered hash cannot make a login eat the machine. */
const MAX_MEMORY_BYTES = 256 * 1024 * 1024;

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 256;

function derive(password: string, salt: Buffer, params: ScryptParams, keyBytes: number): Promise<Buffer> {
  const options: ScryptOptions = { N: params.N, r: params.r, p: params.p, maxmem: 128 * params.N * params.r * 2 + 1024 * 1024 };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, keyBytes, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

export async function hashPassword(password: string, params: ScryptParams = DEFAULT_SCRYPT): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, params, KEY_BYTES);
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export interface ParsedHash {
  params: ScryptParams;
  salt: Buffer;
  key: Buffer;
}

/** Reads `scrypt$N$r$p$salt$hash`; throws naming the part that is wrong. */
export function parsePasswordHash(stored: string): ParsedHash {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') throw new Error('password hash: expected scrypt$N$r$p$salt$hash');
  const [N, r, p] = parts.slice(1, 4).map(Number);
  if (!Number.isInteger(N) || N < 2 || (N & (N - 1)) !== 0) throw new Error(`password hash: N '${parts[1]}' must be a power of two`);
  if (!Number.isInteger(r) || r < 1 || !Number.isInteger(p) || p < 1) throw new Error(`password hash: r '${parts[2]}' and p '${parts[3]}' must be whole numbers >= 1`);
  if (128 * N * r > MAX_MEMORY_BYTES || p > 16) throw new Error(`password hash: parameters N=${N} r=${r} p=${p} exceed the allowed cost`);
  const salt = Buffer.from(parts[4], 'base64url');
  const key = Buffer.from(parts[5], 'base64url');
  if (salt.length < 8 || key.length < 16) throw new Error('password hash: salt or key too short');
  return { params: { N, r, p }, salt, key };
}

/** True when `password` matches `stored`; compares in constant time. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const { params, salt, key } = parsePasswordHash(stored);
  const candidate = await derive(password, salt, params, key.length);
  return timingSafeEqual(candidate, key);
}

/** True when a stored hash uses weaker parameters than today's default (rehash at next login). */
export function needsRehash(stored: string, params: ScryptParams = DEFAULT_SCRYPT): boolean {
  const parsed = parsePasswordHash(stored).params;
  return parsed.N < params.N || parsed.r < params.r || parsed.p < params.p;
}

/** Why a new password is unacceptable, or null. */
export function passwordProblem(password: string): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) return `密码至少 ${PASSWORD_MIN_LENGTH} 个字符 must have at least ${PASSWORD_MIN_LENGTH} characters (has ${password.length})`;
  if (password.length > PASSWORD_MAX_LENGTH) return `密码最多 ${PASSWORD_MAX_LENGTH} 个字符 must have at most ${PASSWORD_MAX_LENGTH} characters`;
  if (new Set(password).size < 4) return '密码字符种类太少 must use at least 4 different characters';
  return null;
}

/** A strong random password (144 bits) for generated accounts. */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}
