import { NoetherError, describeValue } from '@noether/autodiff';

/** Machine-readable reason codes for {@link ParamSymmetryError}. */
export type ParamSymmetryErrorCode =
  'INVALID_ARGUMENT' | 'SHAPE_MISMATCH' | 'UNSUPPORTED' | 'NON_FINITE' | 'NOT_CONVERGED';

/**
 * The one error class of `@noether/param-symmetry`. Messages follow
 * `fn(): argument 'x' must be <expected>, got <given>`.
 */
export class ParamSymmetryError extends NoetherError<ParamSymmetryErrorCode> {
  constructor(code: ParamSymmetryErrorCode, message: string, options?: { fn?: string; cause?: unknown }) {
    super(code, message, options);
    this.name = 'ParamSymmetryError';
  }
}

/** Throws `INVALID_ARGUMENT` naming the function and argument. */
export function invalid(where: readonly [fn: string, arg: string], expected: string, given: unknown): never {
  const [fn, arg] = where;
  throw new ParamSymmetryError(
    'INVALID_ARGUMENT',
    `${fn}(): argument '${arg}' must be ${expected}, got ${describeValue(given)}`,
    { fn },
  );
}

/** Throws unless `value` is a finite number above `min` (or equal when `inclusive`; integer when asked). */
export function checkNumber(
  where: readonly [fn: string, arg: string],
  value: unknown,
  opts: { min: number; inclusive?: boolean; integer?: boolean },
): number {
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (opts.inclusive ? value >= opts.min : value > opts.min) &&
    (!opts.integer || Number.isInteger(value));
  if (!ok) {
    const kind = opts.integer ? 'integer' : 'number';
    invalid(where, `a finite ${kind} ${opts.inclusive ? '>=' : '>'} ${opts.min}`, value);
  }
  return value as number;
}
