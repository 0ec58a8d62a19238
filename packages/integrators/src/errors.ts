import { NoetherError, type NoetherErrorOptions } from '@noether/autodiff';

/** Machine-readable reason carried by every {@link IntegratorError}. */
export type IntegratorErrorCode =
  | 'INVALID_ARGUMENT'
  | 'SHAPE_MISMATCH'
  | 'UNKNOWN_METHOD'
  | 'INVALID_METHOD'
  | 'UNSUPPORTED'
  | 'NON_FINITE'
  | 'NOT_CONVERGED';

/**
 * The one error class of `@noether/integrators`. `code` says why; `message` names the function and
 * the argument, what was expected and what was given, e.g.
 * `integrate(): argument 'dt' must be a finite non-zero number, got NaN`.
 *
 * @example
 * ```ts
 * try { integrate('leapfrog', sys, { x0, dt: NaN, steps: 10 }); }
 * catch (e) { if (e instanceof IntegratorError && e.code === 'INVALID_ARGUMENT') ... }
 * ```
 */
export class IntegratorError extends NoetherError<IntegratorErrorCode> {
  /** For numerical failures: the index of the step that failed (0-based), otherwise undefined. */
  readonly step: number | undefined;

  constructor(code: IntegratorErrorCode, message: string, options?: NoetherErrorOptions & { step?: number }) {
    super(code, message, options);
    this.name = 'IntegratorError';
    this.step = options?.step;
  }
}

/** Formats a value for an error message (`NaN`, `[2,3]`, `'rk5'`, `Float64Array(6)`). */
export function describe(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'number' || typeof value === 'boolean' || value == null) return String(value);
  if (ArrayBuffer.isView(value)) return `${value.constructor.name}(${(value as Float64Array).length})`;
  if (Array.isArray(value)) return `[${value.map(describe).join(',')}]`;
  if (typeof value === 'object' && 'shape' in (value as object)) {
    return `Tensor[${(value as { shape: number[] }).shape.join(',')}]`;
  }
  return typeof value;
}

/** Throws INVALID_ARGUMENT unless `value` is a finite number (and non-zero / positive when asked). */
export function checkNumber(
  [fn, name]: readonly [string, string],
  value: unknown,
  opts: { positive?: boolean; nonZero?: boolean; integer?: boolean } = {},
): number {
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (!opts.positive || value > 0) &&
    (!opts.nonZero || value !== 0) &&
    (!opts.integer || Number.isInteger(value));
  if (!ok) {
    const what = [
      'a finite',
      opts.positive ? 'positive' : opts.nonZero ? 'non-zero' : '',
      opts.integer ? 'integer' : 'number',
    ]
      .filter(Boolean)
      .join(' ');
    throw new IntegratorError(
      'INVALID_ARGUMENT',
      `${fn}(): argument '${name}' must be ${what}, got ${describe(value)}`,
    );
  }
  return value as number;
}
