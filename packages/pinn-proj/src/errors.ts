import { NoetherError, describeValue, type NoetherErrorOptions } from '@noether/autodiff';

/** Machine-readable reason codes for {@link PinnProjError}. */
export type PinnProjErrorCode =
  'INVALID_ARGUMENT' | 'SHAPE_MISMATCH' | 'INFEASIBLE_TARGET' | 'NON_FINITE' | 'UNSUPPORTED';

/**
 * The one error class of `@noether/pinn-proj`. Messages follow
 * `fn(): argument 'x' must be <expected>, got <given>`.
 */
export class PinnProjError extends NoetherError<PinnProjErrorCode> {
  constructor(code: PinnProjErrorCode, message: string, options?: NoetherErrorOptions) {
    super(code, message, options);
    this.name = 'PinnProjError';
  }
}

/** Throws `INVALID_ARGUMENT` naming the function and argument. */
export function invalid(where: readonly [fn: string, arg: string], expected: string, given: unknown): never {
  const [fn, arg] = where;
  throw new PinnProjError(
    'INVALID_ARGUMENT',
    `${fn}(): argument '${arg}' must be ${expected}, got ${describeValue(given)}`,
  );
}
