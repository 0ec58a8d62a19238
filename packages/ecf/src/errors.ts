import { NoetherError, describeValue } from '@noether/autodiff';

/** Machine-readable reason codes for {@link EcfError}. */
export type EcfErrorCode = 'INVALID_ARGUMENT' | 'SHAPE_MISMATCH' | 'NON_FINITE';

/**
 * The one error class of `@noether/ecf`. Messages follow `fn(): argument 'x' must be <expected>, got <given>`.
 */
export class EcfError extends NoetherError<EcfErrorCode> {
  constructor(code: EcfErrorCode, message: string, options?: { fn?: string; cause?: unknown }) {
    super(code, message, options);
    this.name = 'EcfError';
  }
}

/** Throws `INVALID_ARGUMENT` naming the function and argument. */
export function invalid(where: readonly [fn: string, arg: string], expected: string, given: unknown): never {
  const [fn, arg] = where;
  throw new EcfError(
    'INVALID_ARGUMENT',
    `${fn}(): argument '${arg}' must be ${expected}, got ${describeValue(given)}`,
    {
      fn,
    },
  );
}

/** Throws `SHAPE_MISMATCH` naming the function and argument. */
export function shapeMismatch(
  where: readonly [fn: string, arg: string],
  expected: string,
  given: unknown,
): never {
  const [fn, arg] = where;
  throw new EcfError(
    'SHAPE_MISMATCH',
    `${fn}(): argument '${arg}' must be ${expected}, got ${describeValue(given)}`,
    {
      fn,
    },
  );
}
