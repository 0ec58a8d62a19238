import { NoetherError, describeValue } from '@noether/autodiff';

/** Machine-readable reason codes for {@link RazorError}. */
export type RazorErrorCode = 'INVALID_ARGUMENT' | 'SHAPE_MISMATCH' | 'NON_FINITE';

/**
 * The one error class of `@noether/razor`. Messages follow
 * `fn(): argument 'x' must be <expected>, got <given>`.
 */
export class RazorError extends NoetherError<RazorErrorCode> {
  constructor(code: RazorErrorCode, message: string, options?: { fn?: string; cause?: unknown }) {
    super(code, message, options);
    this.name = 'RazorError';
  }
}

/** Throws `INVALID_ARGUMENT` naming the function and argument. */
export function invalid(where: readonly [fn: string, arg: string], expected: string, given: unknown): never {
  const [fn, arg] = where;
  throw new RazorError(
    'INVALID_ARGUMENT',
    `${fn}(): argument '${arg}' must be ${expected}, got ${describeValue(given)}`,
    {
      fn,
    },
  );
}

/** Throws unless `value` is an integer in [min, max]. */
export function checkInteger(
  where: readonly [fn: string, arg: string],
  value: unknown,
  range: number | readonly [min: number, max: number],
): number {
  const [min, max] = typeof range === 'number' ? [range, Infinity] : range;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    invalid(where, max === Infinity ? `an integer >= ${min}` : `an integer in [${min}, ${max}]`, value);
  }
  return value;
}

/** Throws unless `value` is a finite positive number. */
export function checkPositive(where: readonly [fn: string, arg: string], value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    invalid(where, 'a finite positive number', value);
  }
  return value;
}
