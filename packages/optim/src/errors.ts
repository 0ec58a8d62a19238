import { NoetherError, describeValue } from '@noether/autodiff';

/** Machine-readable reason codes for {@link OptimError}. */
export type OptimErrorCode =
  | 'INVALID_ARGUMENT'
  | 'NON_FINITE'
  | 'NOT_CONVERGED'
  | 'FORMAT'
  | 'CHECKPOINT_MISMATCH'
  | 'IO'
  | 'LIMIT_EXCEEDED';

/**
 * The one error class of `@noether/optim`. Messages follow
 * `fn(): argument 'x' must be <expected>, got <given>`.
 */
export class OptimError extends NoetherError<OptimErrorCode> {
  constructor(code: OptimErrorCode, message: string, options?: { fn?: string; cause?: unknown }) {
    super(code, message, options);
    this.name = 'OptimError';
  }
}

/** Throws `INVALID_ARGUMENT` naming the function and argument. */
export function invalid(where: readonly [fn: string, arg: string], expected: string, given: unknown): never {
  const [fn, arg] = where;
  throw new OptimError(
    'INVALID_ARGUMENT',
    `${fn}(): argument '${arg}' must be ${expected}, got ${describeValue(given)}`,
    {
      fn,
    },
  );
}

/** Throws unless `value` is a finite number greater than `min` (or equal when `inclusive`). */
export function checkNumber(
  where: { fn: string; name: string },
  value: unknown,
  opts: { min: number; inclusive?: boolean; integer?: boolean },
): void {
  const { fn, name } = where;
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (opts.inclusive ? value >= opts.min : value > opts.min) &&
    (!opts.integer || Number.isInteger(value));
  if (!ok) {
    const kind = opts.integer ? 'integer' : 'number';
    const rel = opts.inclusive ? '>=' : '>';
    throw new OptimError(
      'INVALID_ARGUMENT',
      `${fn}(): argument '${name}' must be a finite ${kind} ${rel} ${opts.min}, got ${describeValue(value)}`,
      { fn },
    );
  }
}
