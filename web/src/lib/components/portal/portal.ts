// The public portal's rules: names for the codes it shows, the published files of a draw, and the in-browser check of
// a draw's commitment (fd1 section 1).
import type { PublicDrawDetail, Reference } from '$engine/api/types';
import type { Lang } from '$lib/i18n.svelte';

/** The portal's tabs; it opens on the first, the results search, which is what most visitors come for. */
export const PORTAL_TABS = ['results', 'items', 'plans', 'draws', 'verify'] as const;
export type PortalTab = (typeof PORTAL_TABS)[number];

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

/** Names for the codes the portal shows, in the language shown; the code itself until the names have come. */
export function referenceNames(reference: Reference | null, lang: Lang) {
  const name = (x: { nameZh: string; nameEn: string }) => (lang === 'zh' ? x.nameZh : x.nameEn);
  return {
    name,
    region: (code: string) => {
      const r = reference?.regions.find((x) => x.code === code);
      return r ? name(r) : code;
    },
    department: (code: string) => {
      const d = reference?.departments.find((x) => x.code === code);
      return d ? name(d) : code;
    },
    industry: (code: string) => {
      const d = reference?.industries.find((x) => x.code === code);
      return d ? `${code} ${name(d)}` : code;
    },
  };
}
export type ReferenceNames = ReturnType<typeof referenceNames>;

/** A hash shortened for a table: its first 12 and last 6 hex digits. */
export const shortHash = (hex: string) => `${hex.slice(0, 12)}…${hex.slice(-6)}`;

/** The verification files a published draw may offer (population.csv and selection.csv only where no stratum is a risk class), and their message keys. */
export const PUBLISHED_FILES: Array<{ name: string; key: 'manifest' | 'selected' | 'population' | 'selection' | 'inspectors' | 'exclusions' | 'teams' }> = [
  { name: 'manifest.json', key: 'manifest' },
  { name: 'selected.csv', key: 'selected' },
  { name: 'population.csv', key: 'population' },
  { name: 'selection.csv', key: 'selection' },
  { name: 'inspectors.csv', key: 'inspectors' },
  { name: 'exclusions.csv', key: 'exclusions' },
  { name: 'teams.csv', key: 'teams' },
];
