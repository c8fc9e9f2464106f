// Seedable randomness for the generator: a counter-keyed xoshiro128** stream per (seed, entity, purpose), so any
// range of entities can be generated alone (or in another thread) and still yield the same bytes.

const GOLDEN = 0x9e3779b9;

/** Murmur3's 32-bit finaliser: a bijective avalanche mix. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Mixes a list of 32-bit words into one well-spread 32-bit word. */
export function hashWords(a: number, b: number, c = 0, d = 0): number {
  let h = fmix32((a ^ GOLDEN) >>> 0);
  h = fmix32((h ^ Math.imul(b, 0xcc9e2d51)) >>> 0);
  h = fmix32((h ^ Math.imul(c + 0x7f4a7c15, 0x1b873593)) >>> 0);
  h = fmix32((h ^ Math.imul(d + 0x2545f491, 0xe6546b64)) >>> 0);
  return h;
}

/** A text seed (any string; numbers are used as their decimal text) as two 32-bit key words. */
export function seedWords(seed: string): [number, number] {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < seed.length; i++) {
    const c = seed.charCodeAt(i);
    h1 = fmix32((h1 ^ c) >>> 0);
    h2 = fmix32((Math.imul(h2, 31) + c + i) >>> 0);
  }
  return [fmix32(h1 ^ seed.length), fmix32(h2 ^ 0x5bd1e995)];
}

/** Hash of a short string under a key: for per-district or per-code effects that must not depend on order. */
export function hashString(key: number, text: string): number {
  let h = key >>> 0;
  for (let i = 0; i < text.length; i++) h = fmix32((h ^ Math.imul(text.charCodeAt(i), 0xcc9e2d51)) >>> 0);
  return fmix32(h ^ text.length);
}

const TWO_POW_MINUS_32 = 2 ** -32;

/**
 * xoshiro128**: 128 bits of state, 32-bit operations only. `reseed` places the state from (key, index, stream)
 * so a generator object is reused across millions of entities without allocation.
 */
export class Rng {
  private s0 = 1;
  private s1 = 2;
  private s2 = 3;
  private s3 = 4;

  constructor(
    private readonly keyA: number,
    private readonly keyB: number,
  ) {}

  reseed(index: number, stream: number): this {
    const lo = index >>> 0;
    const hi = Math.floor(index / 4294967296) >>> 0;
    this.s0 = hashWords(this.keyA, lo, hi, stream);
    this.s1 = hashWords(this.keyB, this.s0, stream, lo);
    this.s2 = hashWords(this.s1 ^ this.keyA, hi, lo, stream + 1);
    this.s3 = hashWords(this.s2 ^ this.keyB, stream, lo, hi) | 1;
    return this;
  }

  /** Next 32-bit unsigned integer. */
  next(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9);
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result >>> 0;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.next() * TWO_POW_MINUS_32;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.float() * n);
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  /** Standard normal (Box-Muller, one value per call). */
  normal(): number {
    const u = 1 - this.float();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.float());
  }

  /** Poisson count: multiplication method for small means, normal approximation for large ones. */
  poisson(mean: number): number {
    if (mean <= 0) return 0;
    if (mean > 40) return Math.max(0, Math.round(mean + Math.sqrt(mean) * this.normal()));
    const limit = Math.exp(-mean);
    let k = 0;
    let prod = this.float();
    while (prod > limit) {
      k++;
      prod *= this.float();
    }
    return k;
  }

  pick<T>(list: readonly T[]): T {
    return list[this.int(list.length)];
  }

  /** Index drawn from a cumulative weight table (last entry = total). */
  weighted(cumulative: Float64Array): number {
    const x = this.float() * cumulative[cumulative.length - 1];
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cumulative[mid] > x) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

export function cumulative(weights: readonly number[]): Float64Array {
  const out = new Float64Array(weights.length);
  let sum = 0;
  for (let i = 0; i < weights.length; i++) {
    sum += weights[i];
    out[i] = sum;
  }
  return out;
}

/**
 * A keyed bijection on [0, 2^bits) for even `bits` <= 52: a 4-round balanced Feistel network.
 * With cycle walking (`permuteBelow`) it is a bijection on [0, limit) for any limit <= 2^bits.
 */
export class FeistelPermutation {
  private readonly halfBits: number;
  private readonly halfSize: number;
  private readonly mask: number;

  constructor(
    private readonly bits: number,
    private readonly key: number,
  ) {
    if (bits % 2 !== 0 || bits > 52 || bits < 2) throw new Error(`Feistel width must be even and <= 52 bits, got ${bits}`);
    this.halfBits = bits / 2;
    this.halfSize = 2 ** this.halfBits;
    this.mask = this.halfSize - 1;
  }

  permute(x: number): number {
    let left = Math.floor(x / this.halfSize);
    let right = x % this.halfSize;
    for (let round = 0; round < 4; round++) {
      const f = hashWords(this.key, right, round, this.bits) & this.mask;
      const nextRight = (left ^ f) >>> 0;
      left = right;
      right = nextRight;
    }
    return left * this.halfSize + right;
  }

  permuteBelow(x: number, limit: number): number {
    let y = this.permute(x);
    while (y >= limit) y = this.permute(y);
    return y;
  }
}
