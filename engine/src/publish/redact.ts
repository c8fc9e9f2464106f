// Redaction rules for the public portal, as pure functions: personal names masked (张三明 -> 张*明), individual
// businesses' operators hidden inside their business names, inspectors never named, free text only once reviewed.
// Every function reports what it redacted so the caller can log it.

/** Chinese compound surnames (复姓): the whole surname stays visible, like a single-character one. */
export const COMPOUND_SURNAMES: ReadonlySet<string> = new Set([
  '欧阳', '太史', '端木', '上官', '司马', '东方', '独孤', '南宫', '万俟', '闻人', '夏侯', '诸葛', '尉迟', '公羊', '赫连',
  '澹台', '皇甫', '宗政', '濮阳', '公冶', '太叔', '申屠', '公孙', '慕容', '仲孙', '钟离', '长孙', '宇文', '司徒', '鲜于',
  '司空', '闾丘', '子车', '亓官', '司寇', '巫马', '公西', '颛孙', '壤驷', '公良', '漆雕', '乐正', '宰父', '谷梁', '拓跋',
  '夹谷', '轩辕', '令狐', '段干', '百里', '呼延', '东郭', '南门', '羊舌', '微生', '公户', '公玉', '公仪', '梁丘', '公仲',
  '公上', '公门', '公山', '公坚', '左丘', '公伯', '西门', '公祖', '第五', '公乘', '贯丘', '公皙', '南荣', '东里', '东宫',
  '仲长', '子书', '子桑', '即墨', '达奚', '褚师',
]);

/** What replaces an inspector's name wherever it appears: a fixed mark, so not even the name's length shows. */
export const INSPECTOR_MASK = '***';

export type RedactionRule =
  | 'individual_operator_name' // the operator's name inside an individual business's name
  | 'individual_name_is_person' // an individual business whose whole name is a personal name (operator unknown)
  | 'person_name' // the entity's operator or legal representative named in free text
  | 'inspector_name' // an inspector named in free text
  | 'legal_representative_omitted' // the legal representative of an individual business is never shown
  | 'findings_not_reviewed' // free text awaiting an operator's review
  | 'findings_withheld'; // free text an operator decided not to release

export interface Redaction {
  field: 'entity_name' | 'findings' | 'legal_representative';
  rule: RedactionRule;
  /** How many places were masked (1 for omissions). */
  occurrences: number;
}

const HAN = /^\p{Script=Han}+$/u;
const SEPARATED = /([\s·•・.\-]+)/u;

/** A word of a non-Chinese (or separated) name: its first character stays, every other becomes '*'. */
function maskWord(word: string): string {
  const chars = [...word];
  if (chars.length <= 1) return '*';
  return chars[0] + '*'.repeat(chars.length - 1);
}

/**
 * Masks a personal name. Chinese names keep the surname (both characters of a compound surname like 欧阳) and, from
 * three characters on, the last character: 张 -> *, 李四 -> 李*, 张三明 -> 张*明, 王小二明 -> 王**明, 欧阳娜 -> 欧阳*,
 * 欧阳娜娜 -> 欧阳*娜. Names written in words (John Smith, 阿依古丽·买买提) keep each word's first character.
 */
export function maskPersonName(name: string): string {
  const trimmed = name.trim();
  if (trimmed === '') return '';
  if (HAN.test(trimmed)) {
    const chars = [...trimmed];
    if (chars.length === 1) return '*';
    const surnameLength = chars.length > 2 && COMPOUND_SURNAMES.has(chars[0] + chars[1]) ? 2 : 1;
    const given = chars.length - surnameLength;
    const surname = chars.slice(0, surnameLength).join('');
    if (given === 1) return `${surname}*`;
    return surname + '*'.repeat(given - 1) + chars[chars.length - 1];
  }
  return trimmed
    .split(SEPARATED)
    .map((part) => (part === '' || SEPARATED.test(part) ? part : maskWord(part)))
    .join('');
}

/** What may stand between a name's characters in free text ("黄 德春", "黄·德春", "黄-德-春"): spaces and punctuation. */
const NAME_GAP = '[\\s\\p{P}\\p{S}\\p{Z}]*';

/** A pattern for `name` that ignores whitespace and punctuation between its characters (and inside the name itself). */
function namePattern(name: string): RegExp | null {
  const chars = [...name].filter((c) => !/[\s\p{P}\p{S}\p{Z}]/u.test(c));
  if (chars.length === 0) return null;
  return new RegExp(chars.map((c) => c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join(NAME_GAP), 'giu');
}

/**
 * Replaces every occurrence of the name `needle` in `text`, also when spaces or punctuation were put between its
 * characters; returns the new text and how many were replaced.
 */
function replaceAll(text: string, needle: string, replacement: string): { text: string; count: number } {
  const pattern = namePattern(needle);
  if (!pattern) return { text, count: 0 };
  let count = 0;
  const replaced = text.replace(pattern, () => {
    count++;
    return replacement;
  });
  return { text: replaced, count };
}

/**
 * Masks a person's name wherever it appears in `text` (深圳市南山区张三明便利店 -> 深圳市南山区张*明便利店), also written
 * with spaces or punctuation inside it (张 三明, 张·三明). Names shorter than two characters are left alone: masking one
 * character everywhere would garble the text.
 */
export function maskNameInText(text: string, personName: string, replacement = maskPersonName(personName)): { text: string; count: number } {
  const name = personName.trim();
  if ([...name.replace(/[\s\p{P}\p{S}\p{Z}]/gu, '')].length < 2) return { text, count: 0 };
  return replaceAll(text, name, replacement);
}

export interface EntityForPublication {
  name: string;
  /** enterprise | individual | cooperative, or null for objects that are not market entities. */
  entityType: string | null;
  /** The operator of an individual business, the legal representative otherwise. */
  legalRepresentative: string | null;
}

/** The entity's name as the portal shows it, and what was masked. */
export function publicEntityName(entity: EntityForPublication): { value: string; redactions: Redaction[] } {
  if (entity.entityType !== 'individual') return { value: entity.name, redactions: [] };
  const operator = entity.legalRepresentative?.trim() ?? '';
  if (operator !== '') {
    const masked = maskNameInText(entity.name, operator);
    return { value: masked.text, redactions: masked.count > 0 ? [{ field: 'entity_name', rule: 'individual_operator_name', occurrences: masked.count }] : [] };
  }
  // Operator unknown: an individual business registered without a trade name carries a personal name as its name.
  const bare = entity.name.trim();
  if (HAN.test(bare) && [...bare].length >= 2 && [...bare].length <= 4) {
    return { value: maskPersonName(bare), redactions: [{ field: 'entity_name', rule: 'individual_name_is_person', occurrences: 1 }] };
  }
  return { value: entity.name, redactions: [] };
}

export type FindingsReview = 'pending' | 'approved' | 'withheld';

export interface FindingsForPublication {
  /** The text an operator approved for release (or the text as entered while not approved). */
  text: string | null;
  review: FindingsReview | null;
  entity: EntityForPublication;
  /** Names of the inspectors on the object's team: never shown, wherever they appear. */
  inspectorNames: readonly string[];
}

/** The free-text findings as the portal shows them: null unless approved; names masked inside approved text. */
export function publicFindings(findings: FindingsForPublication): { value: string | null; redactions: Redaction[] } {
  if (findings.text === null || findings.text.trim() === '') return { value: null, redactions: [] };
  if (findings.review !== 'approved') {
    return { value: null, redactions: [{ field: 'findings', rule: findings.review === 'withheld' ? 'findings_withheld' : 'findings_not_reviewed', occurrences: 1 }] };
  }
  const redactions: Redaction[] = [];
  let text = findings.text;
  // Longer names first, so a name that contains another is masked whole.
  const inspectors = [...new Set(findings.inspectorNames.map((n) => n.trim()).filter((n) => [...n].length >= 2))].sort((a, b) => b.length - a.length);
  let inspectorCount = 0;
  for (const name of inspectors) {
    const r = replaceAll(text, name, INSPECTOR_MASK);
    text = r.text;
    inspectorCount += r.count;
  }
  if (inspectorCount > 0) redactions.push({ field: 'findings', rule: 'inspector_name', occurrences: inspectorCount });
  const person = findings.entity.legalRepresentative?.trim() ?? '';
  if (person !== '') {
    const r = maskNameInText(text, person);
    text = r.text;
    if (r.count > 0) redactions.push({ field: 'findings', rule: 'person_name', occurrences: r.count });
  }
  return { value: text, redactions };
}

/** Structural omissions that are logged too: an individual business's operator is never shown as such. */
export function omittedFields(entity: EntityForPublication): Redaction[] {
  return entity.entityType === 'individual' && entity.legalRepresentative?.trim()
    ? [{ field: 'legal_representative', rule: 'legal_representative_omitted', occurrences: 1 }]
    : [];
}

// ---- personal data in free text ----------------------------------------------------------------------------------

export type PersonalDataKind = 'phone' | 'id_card' | 'bank_card' | 'address';

export interface PersonalData {
  kind: PersonalDataKind;
  /** The text found, as written. */
  text: string;
  /** Where it starts in the text (UTF-16 offset). */
  at: number;
}

export const PERSONAL_DATA_LABELS: Record<PersonalDataKind, { zh: string; en: string }> = {
  phone: { zh: '电话号码', en: 'phone number' },
  id_card: { zh: '身份证号', en: 'ID card number' },
  bank_card: { zh: '银行卡号', en: 'bank card number' },
  address: { zh: '个人住址', en: 'personal address' },
};

// Digits may be written with spaces or dashes between groups (138 0013 8000, 6222-0202-0000-0000-000).
const DIGIT_RUN = /(?<![\dXx])\d(?:[\d\s-]*[\dXx])?(?![\d])/g;
const MOBILE = /^1[3-9]\d{9}$/;
const LANDLINE = /^0\d{2,3}\d{7,8}$/;
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';
// A home address: a road, street, lane or village with a number, then a building, unit or room (家住、住址 or 住 before it,
// or a room number after it, tells a home from a business premises, which public results may name).
const ADDRESS = /(?:家住|住址[:：]?|住在|居住[于在]?|户籍地?[:：]?)[^，。；,;\n]{0,30}?\d+\s*号(?:[^，。；,;\n]{0,12}?\d+\s*(?:栋|幢|座|单元|楼|室|房))*|[\p{Script=Han}\d]{2,30}?(?:路|街|巷|道|村|弄|里)\d+\s*号[^，。；,;\n]{0,12}?\d+\s*(?:室|房)/gu;

/** GB 11643: an 18-character ID card number with its check character. */
function isIdCard(digits: string): boolean {
  if (!/^\d{17}[\dX]$/i.test(digits)) return false;
  const sum = ID_WEIGHTS.reduce((s, w, i) => s + w * Number(digits[i]), 0);
  return ID_CHECK[sum % 11] === digits[17].toUpperCase();
}

/** Luhn, as every bank card number passes it. */
function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

/**
 * Personal data in free text that publication must never carry: mobile and landline numbers, ID card numbers (check
 * character verified), bank card numbers (13-19 digits passing Luhn) and home addresses. Codes the portal shows on
 * purpose (a USCC has letters; dates and amounts are short) do not match.
 */
export function findPersonalData(text: string): PersonalData[] {
  const found: PersonalData[] = [];
  for (const match of text.matchAll(DIGIT_RUN)) {
    const digits = match[0].replace(/[\s-]/g, '');
    const at = match.index;
    if (isIdCard(digits)) found.push({ kind: 'id_card', text: match[0], at });
    else if (MOBILE.test(digits) || LANDLINE.test(digits)) found.push({ kind: 'phone', text: match[0], at });
    else if (/^\d{13,19}$/.test(digits) && passesLuhn(digits)) found.push({ kind: 'bank_card', text: match[0], at });
  }
  for (const match of text.matchAll(ADDRESS)) found.push({ kind: 'address', text: match[0], at: match.index });
  return found.sort((a, b) => a.at - b.at);
}
