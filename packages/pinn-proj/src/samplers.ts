import { PinnProjError, invalid } from './errors';
import { createRng, type Rng } from '@noether/autodiff';
import type { TimeLevels } from './with-projection';

/** A box `[[a_1, b_1], ..., [a_d, b_d]]`. */
export type Bounds = ReadonlyArray<readonly [number, number]>;

function checkBounds(bounds: Bounds, fn: string): void {
  if (!Array.isArray(bounds) || bounds.length === 0)
    invalid([fn, 'bounds'], 'a non-empty array of [a, b] pairs', bounds);
  bounds.forEach((b, i) => {
    if (
      !Array.isArray(b) ||
      b.length !== 2 ||
      !Number.isFinite(b[0]) ||
      !Number.isFinite(b[1]) ||
      !(b[1] >= b[0])
    ) {
      invalid([fn, `bounds[${i}]`], 'a pair [a, b] of finite numbers with a <= b', b);
    }
  });
}

function rngOf(seed: number | Rng | undefined, fn: string): Rng {
  if (seed === undefined)
    invalid([fn, 'options.seed'], 'an integer seed (randomness is always seeded)', seed);
  return typeof seed === 'number' ? createRng(seed) : seed;
}

/**
 * Latin-hypercube sample of `n` points in a box: each coordinate's range is cut into `n` equal strata and
 * every stratum holds exactly one point (random position inside it; strata paired by random permutations).
 *
 * @param n - number of points (integer ≥ 1).
 * @param bounds - `[[a, b], ...]`, one pair per dimension.
 * @param options - `seed` (integer) or an existing {@link Rng}.
 * @returns float64 points `[n, d]`, row-major.
 * @throws {PinnProjError} `INVALID_ARGUMENT` for bad n, bounds or a missing seed.
 * @example
 * const pts = latinHypercube(10_000, [[0, 2], [0, 0.99]], { seed: 1 }); // (x, t) pairs
 * @see McKay, Beckman & Conover, Technometrics 21 (1979).
 */
export function latinHypercube(n: number, bounds: Bounds, options: { seed: number | Rng }): Float64Array {
  const fn = 'latinHypercube';
  if (!Number.isInteger(n) || n < 1) invalid([fn, 'n'], 'an integer >= 1', n);
  checkBounds(bounds, fn);
  const rng = rngOf(options?.seed, fn);
  const d = bounds.length;
  const out = new Float64Array(n * d);
  const perm = new Int32Array(n);
  for (let k = 0; k < d; k++) {
    for (let i = 0; i < n; i++) perm[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      const tmp = perm[i];
      perm[i] = perm[j];
      perm[j] = tmp;
    }
    const [a, b] = bounds[k];
    for (let i = 0; i < n; i++) out[i * d + k] = a + ((perm[i] + rng.uniform()) / n) * (b - a);
  }
  return out;
}

/** `count` equally spaced times from `t0` to `t1` inclusive (the paper: 100 levels on [0, 0.99]). */
export function timeGrid(t0: number, t1: number, count: number): Float64Array {
  if (!Number.isFinite(t0) || !Number.isFinite(t1) || !(t1 >= t0))
    invalid(['timeGrid', 't1'], `a finite number >= t0 = ${t0}`, t1);
  if (!Number.isInteger(count) || count < 1) invalid(['timeGrid', 'count'], 'an integer >= 1', count);
  return Float64Array.from({ length: count }, (_, k) =>
    count === 1 ? t0 : t0 + ((t1 - t0) * k) / (count - 1),
  );
}

/** Points on shared time levels, ready for {@link withProjection}. */
export interface LevelSample {
  /** Points `[N, d + 1]` row-major, time last, in float32 (ready for `tf.tensor2d(xt, [count, width])`). */
  readonly xt: Float32Array;
  /** Number of points. */
  readonly count: number;
  /** Columns per point (`d + 1`). */
  readonly width: number;
  /** Distinct times and the level of each point (pass as `{ levels }` to the projected net). */
  readonly levels: TimeLevels;
}

/**
 * Collocation points on shared time levels: for each level, `pointsPerLevel` spatial points from a Latin
 * hypercube of the spatial box. Times are rounded to float32 so that the levels equal the t column of the
 * float32 tensor exactly. With K levels the projection evaluates the grid K times instead of N times.
 *
 * @param options - `times` (the levels), `pointsPerLevel`, `spatial` bounds, `seed`.
 * @throws {PinnProjError} `INVALID_ARGUMENT` for bad counts, bounds, times or a missing seed.
 * @example
 * const s = sampleOnTimeLevels({ times: timeGrid(0, 0.99, 100), pointsPerLevel: 100, spatial: [[0, 2]], seed: 7 });
 * const xt = tf.tensor2d(s.xt, [s.count, s.width]);
 * const r = uTilde(xt, { levels: s.levels });
 */
export function sampleOnTimeLevels(options: {
  times: ArrayLike<number>;
  pointsPerLevel: number;
  spatial: Bounds;
  seed: number | Rng;
}): LevelSample {
  const fn = 'sampleOnTimeLevels';
  const { times, pointsPerLevel, spatial } = options ?? ({} as never);
  if (!times || typeof times.length !== 'number' || times.length === 0)
    invalid([fn, 'options.times'], 'a non-empty array of times', times);
  if (!Number.isInteger(pointsPerLevel) || pointsPerLevel < 1)
    invalid([fn, 'options.pointsPerLevel'], 'an integer >= 1', pointsPerLevel);
  checkBounds(spatial, fn);
  const rng = rngOf(options.seed, fn);
  const t32 = Float64Array.from(Float32Array.from(times));
  const sorted = Float64Array.from(new Set(Array.from(t32))).sort();
  if (sorted.length !== t32.length) {
    throw new PinnProjError(
      'INVALID_ARGUMENT',
      `${fn}(): argument 'options.times' must hold distinct times (in float32), got duplicates`,
    );
  }
  const d = spatial.length;
  const width = d + 1;
  const K = sorted.length;
  const count = K * pointsPerLevel;
  const xt = new Float32Array(count * width);
  const index = new Int32Array(count);
  for (let k = 0; k < K; k++) {
    const pts = latinHypercube(pointsPerLevel, spatial, { seed: rng });
    for (let i = 0; i < pointsPerLevel; i++) {
      const row = k * pointsPerLevel + i;
      for (let j = 0; j < d; j++) xt[row * width + j] = pts[i * d + j];
      xt[row * width + d] = sorted[k];
      index[row] = k;
    }
  }
  return { xt, count, width, levels: { times: sorted, index } };
}
