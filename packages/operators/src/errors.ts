import { NoetherError, describeValue } from '@noether/autodiff';

/** Machine-readable reason codes for {@link OperatorsError}. */
export type OperatorsErrorCode = 'INVALID_ARGUMENT' | 'SHAPE_MISMATCH' | 'FORMAT' | 'IO';

/**
 * The one error class of `@noether/operators`. Messages follow
 * `fn(): argument 'x' must be <expected>, got <given>`.
 */
export class OperatorsError extends NoetherError<OperatorsErrorCode> {
  constructor(code: OperatorsErrorCode, message: string, options?: { fn?: string; cause?: unknown }) {
    super(code, message, options);
    this.name = 'OperatorsError';
  }
}

/** Throws `INVALID_ARGUMENT` naming the function and argument. */
export function invalid(where: readonly [fn: string, arg: string], expected: string, given: unknown): never {
  const [fn, arg] = where;
  throw new OperatorsError(
    'INVALID_ARGUMENT',
    `${fn}(): argument '${arg}' must be ${expected}, got ${describeValue(given)}`,
    { fn },
  );
}

/** Throws `SHAPE_MISMATCH` naming the function and argument. */
export function shapeMismatch(
  where: readonly [fn: string, arg: string],
  expected: string,
  given: unknown,
): never {
  const [fn, arg] = where;
  throw new OperatorsError(
    'SHAPE_MISMATCH',
    `${fn}(): argument '${arg}' must be ${expected}, got ${describeValue(given)}`,
    { fn },
  );
}

/** Validates a positive integer option. */
export function checkInt(where: readonly [fn: string, arg: string], value: unknown, min = 1): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min)
    invalid(where, `an integer >= ${min}`, value);
  return value;
}
