import { AutodiffError, describeValue } from './errors';

/**
 * The saved state of an {@link Rng} (`rng.state()`): the 64-bit LCG state and increment as four uint32
 * halves, and the cached spare normal deviate (NaN when none). `createRng(saved)` resumes the stream.
 */
export type RngState = readonly [hi: number, lo: number, incHi: number, incLo: number, spare: number];

/**
 * A seeded pseudo-random generator (PCG32, XSH-RR output on a 64-bit LCG state) with uniform and normal
 * samplers. It is the one source of randomness in the `@noether/*` packages: the same seed gives the same
 * stream on every platform, so generated files are byte-identical.
 */
export interface Rng {
  /** Next 32-bit unsigned integer. */
  nextUint32(): number;
  /** Uniform double in [0, 1) with 53 random bits. */
  uniform(): number;
  /** Uniform double in [lo, hi). */
  uniformIn(lo: number, hi: number): number;
  /** Standard normal deviate (Marsaglia polar method, the spare value is cached). */
  normal(): number;
  /** Uniform integer in [0, n) (`floor(n * uniform())`). */
  int(n: number): number;
  /** Independent generator derived from this one (for per-trajectory streams). */
  split(): Rng;
  /** The current state, for checkpoints: `createRng(rng.state())` continues the same stream. */
  state(): RngState;
}

function checkInteger(name: string, value: unknown): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new AutodiffError(
      'INVALID_ARGUMENT',
      `createRng(): argument '${name}' must be a safe integer, got ${describeValue(value)}`,
    );
  }
}

function isState(value: unknown): value is RngState {
  return (
    Array.isArray(value) &&
    value.length === 5 &&
    value.slice(0, 4).every((v) => Number.isInteger(v) && v >= 0 && v <= 0xffffffff) &&
    typeof value[4] === 'number'
  );
}

const MASK64 = (1n << 64n) - 1n;
const MULT = 6364136223846793005n;

/**
 * Creates a PCG32 generator from an integer seed (and an optional stream id), or resumes one from a saved
 * {@link RngState}.
 *
 * state_{k+1} = state_k * 6364136223846793005 + inc (mod 2^64); output = rotr32(((s >> 18) ^ s) >> 27, s >> 59).
 * @throws AutodiffError `INVALID_ARGUMENT` when `seed` is not a safe integer or a saved state.
 * @example const rng = createRng(42); const z = rng.normal();
 * @see M. E. O'Neill, "PCG: A Family of Simple Fast Space-Efficient Statistically Good Algorithms for
 *   Random Number Generation", HMC-CS-2014-0905 (2014).
 */
export function createRng(seed: number | RngState, stream = 54): Rng {
  let hi: number, lo: number, incHi: number, incLo: number;
  let spare: number | undefined;
  if (isState(seed)) {
    [hi, lo, incHi, incLo] = seed;
    spare = Number.isNaN(seed[4]) ? undefined : seed[4];
  } else {
    checkInteger('seed', seed);
    checkInteger('stream', stream);
    // BigInt only at seeding; the loop below uses a fast split-multiply on two uint32 halves.
    const inc = ((BigInt(stream) << 1n) | 1n) & MASK64;
    let state = 0n;
    const stepBig = () => {
      state = (state * MULT + inc) & MASK64;
    };
    stepBig();
    state = (state + (BigInt.asUintN(64, BigInt(seed as number)) & MASK64)) & MASK64;
    stepBig();
    hi = Number(state >> 32n) >>> 0;
    lo = Number(state & 0xffffffffn) >>> 0;
    incHi = Number(inc >> 32n) >>> 0;
    incLo = Number(inc & 0xffffffffn) >>> 0;
  }
  const mHi = Number(MULT >> 32n) >>> 0;
  const mLo = Number(MULT & 0xffffffffn) >>> 0;

  const nextUint32 = (): number => {
    const oldHi = hi;
    const oldLo = lo;
    // new = old * MULT + inc (mod 2^64)
    const l0 = oldLo & 0xffff;
    const l1 = oldLo >>> 16;
    const m0 = mLo & 0xffff;
    const m1 = mLo >>> 16;
    // low 64 bits of oldLo*mLo
    const p00 = l0 * m0;
    const p01 = l0 * m1;
    const p10 = l1 * m0;
    const p11 = l1 * m1;
    const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
    const lowLo = ((mid & 0xffff) << 16) | (p00 & 0xffff);
    const lowHi = p11 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16);
    const crossHi = (Math.imul(oldHi, mLo) + Math.imul(oldLo, mHi) + lowHi) >>> 0;
    const sumLo = (lowLo >>> 0) + incLo;
    lo = sumLo >>> 0;
    hi = (crossHi + incHi + (sumLo > 0xffffffff ? 1 : 0)) >>> 0;
    // output from the old state: xorshifted = ((old >> 18) ^ old) >> 27, rot = old >> 59
    const sHi = oldHi ^ (oldHi >>> 18);
    const sLo = oldLo ^ ((oldLo >>> 18) | (oldHi << 14));
    const xorshifted = ((sLo >>> 27) | (sHi << 5)) >>> 0;
    const rot = oldHi >>> 27;
    return ((xorshifted >>> rot) | (xorshifted << ((32 - rot) & 31))) >>> 0;
  };
  const uniform = () => ((nextUint32() >>> 5) * 67108864 + (nextUint32() >>> 6)) / 9007199254740992;
  const rng: Rng = {
    nextUint32,
    uniform,
    uniformIn: (a, b) => a + (b - a) * uniform(),
    normal() {
      if (spare !== undefined) {
        const s = spare;
        spare = undefined;
        return s;
      }
      for (;;) {
        const u = 2 * uniform() - 1;
        const v = 2 * uniform() - 1;
        const s = u * u + v * v;
        if (s > 0 && s < 1) {
          const f = Math.sqrt((-2 * Math.log(s)) / s);
          spare = v * f;
          return u * f;
        }
      }
    },
    int: (n) => Math.floor(n * uniform()),
    split() {
      return createRng(nextUint32(), nextUint32() & 0x7fffffff);
    },
    state: () => [hi, lo, incHi, incLo, spare ?? NaN],
  };
  return rng;
}
