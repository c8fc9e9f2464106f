// Unified social credit code (统一社会信用代码), GB 32100-2015: 18 characters,
//   1 registration authority, 1 entity type, 6 region (GB/T 2260), 9 organisation code
//   (GB 11714, itself ending in a check character), 1 check character over the first 17.

/** The 31 code characters: digits and upper-case letters without I, O, Z, S, V. */
export const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** GB 11714 organisation code: 8 body characters (digits, upper-case letters) and a check. */
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];

export function usccCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = USCC_ALPHABET.indexOf(first17[i]);
    if (v < 0) throw new Error(`invalid character '${first17[i]}' at position ${i + 1}`);
    sum += v * USCC_WEIGHTS[i];
  }
  return USCC_ALPHABET[(31 - (sum % 31)) % 31];
}

function orgCharValue(c: string): number {
  const code = c.charCodeAt(0);
  if (code >= 48 && code <= 57) return code - 48; // 0-9
  if (code >= 65 && code <= 90) return code - 55; // A=10 .. Z=35
  return -1;
}

export function orgCheckChar(body8: string): string {
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += orgCharValue(body8[i]) * ORG_WEIGHTS[i];
  const c = 11 - (sum % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}

export type UsccProblem = 'length' | 'character' | 'check digit';

/** Returns undefined for a valid code, else what is wrong with it (the GB 32100 check digit rule). */
export function usccProblem(code: string): UsccProblem | undefined {
  if (code.length !== 18) return 'length';
  for (let i = 0; i < 18; i++) if (USCC_ALPHABET.indexOf(code[i]) < 0) return 'character';
  return usccCheckChar(code.slice(0, 17)) === code[17] ? undefined : 'check digit';
}

export function isValidUscc(code: string): boolean {
  return usccProblem(code) === undefined;
}

/**
 * Builds a valid USCC from its parts: `authority` '9' (market regulation), `entityType`
 * '1' enterprise, '2' individual business, '3' farmers' cooperative; `region` 6 digits;
 * `orgBody` 8 digits/letters (a valid organisation-code check is appended).
 */
export function makeUscc(authority: string, entityType: string, region: string, orgBody: string): string {
  const first17 = authority + entityType + region + orgBody + orgCheckChar(orgBody);
  return first17 + usccCheckChar(first17);
}
