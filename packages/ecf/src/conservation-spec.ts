import * as tf from '@tensorflow/tfjs';
import { resolveGridWeights } from '@noether/pinn-proj';
import type { ConstraintType, ResolvedWeights, WeightSpec } from '@noether/pinn-proj';
import { invalid, shapeMismatch } from './errors';

/** A conserved integral of one channel: `'linear'` is `∫ u` (`Σ w u`), `'quadratic'` is `∫ u²` (`Σ w u²`). */
export type Invariant = 'linear' | 'quadratic';

/**
 * Which integrals are conserved: one list for every channel (`['linear']`, `['quadratic']`,
 * `['linear', 'quadratic']`), or an object from channel index to its list (channels not listed are left
 * untouched).
 */
export type InvariantSpec = readonly Invariant[] | Readonly<Record<number, readonly Invariant[]>>;

/** What {@link withConservation}, the encoder and the decoder take. */
export interface ConservationSpec {
  /** Quadrature weights of the flattened spatial grid (length n, or nx·ny row-major), or a `Quadrature`. */
  weights: WeightSpec;
  /** The conserved integrals. */
  invariants: InvariantSpec;
}

/** A validated {@link ConservationSpec}: float64 weights and the constraint of each channel. */
export interface ResolvedSpec {
  readonly grid: ResolvedWeights;
  /** Number of spatial points. */
  readonly n: number;
  /** Constraint type of channel c (`null`: not conserved), for a given channel count. */
  typeOf(channel: number): ConstraintType | null;
  /** Highest listed channel index + 1 (0 for a list that applies to all channels). */
  readonly minChannels: number;
  readonly invariants: InvariantSpec;
}

function typeOfList(list: readonly Invariant[], fn: string, arg: string): ConstraintType {
  if (
    !Array.isArray(list) ||
    list.length === 0 ||
    list.length > 2 ||
    list.some((v) => v !== 'linear' && v !== 'quadratic')
  )
    invalid([fn, arg], "['linear'], ['quadratic'] or ['linear', 'quadratic']", list);
  const lin = list.includes('linear');
  const quad = list.includes('quadratic');
  if (list.length === 2 && !(lin && quad))
    invalid([fn, arg], "['linear'], ['quadratic'] or ['linear', 'quadratic']", list);
  return lin && quad ? 'joint' : lin ? 'linear' : 'quadratic';
}

function weightLength(weights: WeightSpec): number | undefined {
  if (weights && typeof weights === 'object') {
    if ('length' in weights && typeof weights.length === 'number') return weights.length;
    if ('n' in weights && typeof (weights as { n: unknown }).n === 'number')
      return (weights as { n: number }).n;
  }
  return undefined;
}

/** Validates a {@link ConservationSpec} (weights non-negative and finite with a positive sum). */
export function resolveSpec(spec: ConservationSpec, fn: string): ResolvedSpec {
  if (spec === null || typeof spec !== 'object') invalid([fn, 'spec'], '{ weights, invariants }', spec);
  const n = weightLength(spec.weights);
  if (n === undefined || n < 1)
    invalid([fn, 'spec.weights'], 'a weight vector or a Quadrature', spec.weights);
  const grid = resolveGridWeights(spec.weights, n, fn);
  const inv = spec.invariants;
  let typeOf: (c: number) => ConstraintType | null;
  let minChannels = 0;
  if (Array.isArray(inv)) {
    const t = typeOfList(inv, fn, 'spec.invariants');
    typeOf = () => t;
  } else if (inv !== null && typeof inv === 'object') {
    const map = new Map<number, ConstraintType>();
    for (const [key, list] of Object.entries(inv as Record<string, readonly Invariant[]>)) {
      const c = Number(key);
      if (!Number.isInteger(c) || c < 0) invalid([fn, 'spec.invariants'], 'channel indices as keys', key);
      map.set(c, typeOfList(list, fn, `spec.invariants[${c}]`));
      minChannels = Math.max(minChannels, c + 1);
    }
    if (map.size === 0) invalid([fn, 'spec.invariants'], 'at least one conserved channel', inv);
    typeOf = (c) => map.get(c) ?? null;
  } else {
    invalid([fn, 'spec.invariants'], "a list such as ['linear'] or an object per channel index", inv);
  }
  return { grid, n, typeOf, minChannels, invariants: inv };
}

/** Checks a field `[batch, n, c]` or `[batch, nx, ny, c]` against the spec; returns `[batch, n, c]`. */
export function fieldShape(
  u: { shape: readonly number[] } | unknown,
  spec: ResolvedSpec,
  where: [string, string],
): [number, number, number] {
  if (!(u instanceof tf.Tensor) || (u.rank !== 3 && u.rank !== 4) || u.dtype !== 'float32')
    shapeMismatch(where, 'a float32 tensor [batch, n, channels] or [batch, nx, ny, channels]', u);
  const s = u.shape as number[];
  const b = s[0];
  const c = s[s.length - 1];
  const n = s.slice(1, -1).reduce((a, v) => a * v, 1);
  if (n !== spec.n) shapeMismatch(where, `a field with ${spec.n} grid points (one per weight)`, u);
  if (c < spec.minChannels) shapeMismatch(where, `a field with at least ${spec.minChannels} channels`, u);
  return [b, n, c];
}
