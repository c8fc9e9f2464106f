// The vocabulary every declared shape is built from (TypeBox: one declaration gives the JSON schema the API validates,
// serializes and documents with, and the TypeScript type through Static<>): instants, calendar days, nullable values,
// string enums, records, risk tiers, ratios in basis points and bilingual names.
import { Type, type Static, type TObject, type TProperties, type TSchema } from 'typebox';

export { Type, type Static, type TSchema };

/** An instant: a Date in the engine, an ISO 8601 time on the wire (the response serializer writes it from the Date). */
export const DateTime = Type.Unsafe<Date>({ type: 'string', format: 'date-time' });

/** A calendar day, 'YYYY-MM-DD' in Asia/Shanghai: a string in the engine and on the wire. */
export const IsoDate = Type.String({ format: 'date', description: 'YYYY-MM-DD（北京时间 Asia/Shanghai）' });

/** `schema` with a description of its own (the shared one is replaced). */
export function described<T extends TSchema>(schema: T, description: string): T {
  return { ...schema, description };
}

/**
 * `schema` or null, written as a type list (`type: ['string', 'null']`), not anyOf: the validator, the serializer and
 * the OpenAPI document read it the same way. For schemas with a single `type` (an enum gains null too).
 */
export function Nullable<T extends TSchema>(schema: T, options: { description?: string } = {}) {
  const s = schema as TSchema & { type?: unknown; enum?: unknown[] };
  if (typeof s.type !== 'string') throw new Error(`Nullable: needs a schema with one type, got ${JSON.stringify(s.type)}`);
  return Type.Unsafe<Static<T> | null>({ ...s, type: [s.type, 'null'], ...(s.enum ? { enum: [...s.enum, null] } : {}), ...options });
}

/**
 * A querystring: a parameter with a default is optional to the caller (OpenAPI shows it so) and always present to the
 * handler (the validator fills the default in), so its type stays required.
 */
export function Query<P extends TProperties>(properties: P): TObject<P> {
  const { required: all, ...rest } = Type.Object(properties) as { required?: string[] };
  const required = (all ?? []).filter((key) => !('default' in (properties[key] as object)));
  return (required.length ? { ...rest, required } : rest) as TObject<P>;
}

/** The properties of `value` that `schema` declares: in the engine the whitelist the serializer is on the wire. */
export function declaredOnly<T extends TObject>(schema: T, value: Static<T>): Static<T> {
  return Object.fromEntries(Object.keys(schema.properties).filter((key) => key in value).map((key) => [key, (value as Record<string, unknown>)[key]])) as Static<T>;
}

/** One of the given strings: `{ type: 'string', enum: [...] }`. */
export function StringEnum<const V extends readonly string[]>(values: V, options: { description?: string; default?: V[number] } = {}) {
  return Type.Unsafe<V[number]>({ type: 'string', enum: [...values], ...options });
}

/** An object of any keys whose values all match `value` (`additionalProperties: value`). */
export function RecordOf<T extends TSchema>(value: T, options: { description?: string } = {}) {
  return Type.Unsafe<Record<string, Static<T>>>({ type: 'object', additionalProperties: value, ...options });
}

/** An object left open: its keys are not checked or filtered (eligibility rules, a Vega-Lite spec). */
export function OpenObject<T = Record<string, unknown>>(options: { description?: string } = {}) {
  return Type.Unsafe<T>({ type: 'object', additionalProperties: true, ...options });
}

export const TIERS = ['A', 'B', 'C', 'D'] as const;
/** A risk tier, A (lowest risk) to D. */
export const Tier = StringEnum(TIERS);
export type Tier = Static<typeof Tier>;

/** One value per tier A..D, every tier present. */
export function PerTier<T extends TSchema>(value: T, options: { description?: string } = {}) {
  return Type.Unsafe<Record<Tier, Static<T>>>({
    type: 'object',
    required: [...TIERS],
    properties: Object.fromEntries(TIERS.map((t) => [t, value])),
    ...options,
  });
}

export const RATIO_BP_MAX = 10_000;
/**
 * The share of a stratum drawn per round in basis points (300 = 3%), 0..10000: the one declaration of the ratio that
 * the /ratios sliders, a task's ratios, the sampling policy and quota() all hold.
 */
export const RatioBp = Type.Integer({ minimum: 0, maximum: RATIO_BP_MAX, description: '每轮抽查比例（基点，300 = 3%） share drawn per round, basis points (300 = 3%)' });
export type RatioBp = Static<typeof RatioBp>;

/** Whether `value` is a ratio in basis points: an integer from 0 to 10000. */
export const isRatioBp = (value: unknown): value is RatioBp => Number.isInteger(value) && (value as number) >= 0 && (value as number) <= RATIO_BP_MAX;

/** A name in both of the product's languages. */
export const Name = Type.Object({ zh: Type.String(), en: Type.String() });
export type Name = Static<typeof Name>;

/** A reference row shown by name: a department, a region, an industry. */
export const CodeName = Type.Object({ code: Type.String(), nameZh: Type.String(), nameEn: Type.String() });
export type CodeName = Static<typeof CodeName>;
