// The public portal's API shapes (GET /api/public/...) and the in-browser check of a draw's commitment (fd1 section 1).
export interface PublicItem {
  code: string;
  version: number;
  departmentCode: string;
  departmentNameZh?: string;
  departmentNameEn?: string;
  kind: 'general' | 'key';
  nameZh: string;
  nameEn: string;
  legalBasis: string;
  objectType: string;
  content: string;
  method: 'onsite' | 'documents' | 'online';
  defaultRatioBp?: number;
  frequencyPerYear?: number;
  validFrom: string;
  validTo: string | null;
}

export interface PublicTask {
  id: string;
  kind: 'general' | 'key' | 'special';
  name: string;
  leadDepartment: string;
  departments: string[];
  items: Array<{ code: string; version: number; departmentCode: string; nameZh: string; nameEn: string; method: string }>;
  scope?: { regions?: string[]; industries?: string[]; entityTypes?: string[]; objectKinds?: string[] };
  windowStart: string;
  windowEnd: string;
}

export interface PublicPlan {
  id: string;
  year: number;
  jurisdictionRegionCode: string;
  leadDepartment: string;
  name: string;
  createdAt: string;
  tasks: PublicTask[];
}

export interface PublicDraw {
  id: string;
  taskId: string;
  taskName: string;
  taskKind?: string;
  departments?: string[];
  protocol?: string;
  status: 'committed' | 'beaconed' | 'drawn' | 'voided';
  commitment: string;
  populationDigest: string;
  populationSize: number;
  beacon?: string | null;
  grindProof?: boolean | null;
  committedAt: string;
  beaconedAt?: string | null;
  drawnAt?: string | null;
  voidedAt?: string | null;
  voidReason?: string | null;
  windowStart: string;
  windowEnd: string;
  published: boolean;
}

export interface PublicDrawDetail extends PublicDraw {
  secret?: string;
  seed?: string | null;
  selection?: Array<{ objectId: string }>;
  teams?: Array<{ objectId: string; department: string; inspectorId: string; position: number }>;
  unstaffed?: Array<{ objectId: string; department: string; reason: string }>;
  files?: string[];
}

export interface PublicResult {
  resultId: string;
  drawId?: string;
  taskId?: string;
  taskName?: string;
  objectId: string;
  entityName: string;
  entityType?: string | null;
  regionCode?: string;
  regionNameZh?: string | null;
  itemCode: string;
  itemNameZh: string;
  itemNameEn?: string;
  departmentCode: string;
  departmentNameZh: string;
  departmentNameEn?: string;
  outcomeCode: string;
  outcomeNameZh: string;
  outcomeNameEn?: string;
  isFinding: boolean;
  findings: string | null;
  inspectedOn: string;
  publishedAt: string;
}

export interface ResultSearchPage {
  total: number;
  limit: number;
  offset: number;
  findings: number;
  byOutcome: Array<{ code: string; nameZh: string; nameEn: string; isFinding: boolean; results: number }>;
  results: PublicResult[];
}

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
