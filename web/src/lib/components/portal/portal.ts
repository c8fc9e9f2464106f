// The public portal's API shapes (GET /api/public/...: the engine's portal answers as JSON) and the in-browser check of a
// draw's commitment (fd1 section 1).
import type { Json } from '../../../../../engine/src/api/json.ts';
import type * as Portal from '../../../../../engine/src/publish/portal.ts';

export type PublicItem = Json<Portal.PublicItem>;
export type PublicTask = Json<Portal.PublicTask>;
export type PublicPlan = Json<Portal.PublicPlan>;
export type PublicDraw = Json<Portal.PublicDrawSummary>;
export type PublicDrawDetail = Json<Portal.PublicDrawDetail>;
export type PublicResult = Json<Portal.PublicResult>;
export type ResultSearchPage = Json<Portal.ResultSearchPage>;

export interface Reference {
  departments: Array<{ code: string; nameZh: string; nameEn: string }>;
  regions: Array<{ code: string; nameZh: string; nameEn: string; level: string; parentCode: string | null }>;
  industries: Array<{ code: string; nameZh: string; nameEn: string }>;
}

/** SHA-256 of the UTF-8 bytes of `text`, as 64 lowercase hex characters (fd1's H). Null where the browser has no Web Crypto (plain http off localhost). */
export async function sha256Hex(text: string): Promise<string | null> {
  if (typeof crypto === 'undefined' || !crypto.subtle) return null;
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

export interface CommitmentCheck {
  /** H(secret), computed here; null when the browser cannot hash. */
  computed: string | null;
  commitmentMatches: boolean | null;
  /** seed = secret + "|" + beacon. */
  seedMatches: boolean;
}

/** Recomputes a published draw's commitment from its secret, and its seed from the secret and the beacon. */
export async function checkCommitment(draw: Pick<PublicDrawDetail, 'secret' | 'seed' | 'beacon' | 'commitment'>): Promise<CommitmentCheck> {
  const computed = await sha256Hex(draw.secret ?? '');
  return {
    computed,
    commitmentMatches: computed === null ? null : computed === draw.commitment,
    seedMatches: draw.seed === `${draw.secret}|${draw.beacon ?? ''}`,
  };
}
