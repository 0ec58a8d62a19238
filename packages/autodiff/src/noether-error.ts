/**
 * Error codes shared by every `@noether/*` package (UPPER_SNAKE). A package may add codes of its own
 * (also UPPER_SNAKE) by widening this union in its own error class; the shared ones keep one meaning
 * everywhere. See CONTRIBUTING.md ("Outcome vocabulary").
 */
export type NoetherErrorCode =
  /** An argument failed validation at a public boundary (wrong type, range, shape, name). */
  | 'INVALID_ARGUMENT'
  /** Two arguments (or an argument and a state) have incompatible shapes. */
  | 'SHAPE_MISMATCH'
  /** A non-finite value (NaN, ±Inf) appeared in a computed result. */
  | 'NON_FINITE'
  /** An iterative solve (Newton, fixed point, optimiser) did not meet its tolerance. */
  | 'NOT_CONVERGED'
  /** The request is valid but not supported (kernel without a rule, backend without a feature). */
  | 'UNSUPPORTED'
  /** A requested backend or optional dependency is not available. */
  | 'BACKEND_UNAVAILABLE'
  /** A request would exceed a documented resource limit (memory, steps, file size). */
  | 'LIMIT_EXCEEDED'
  /** Reading or writing a file failed (permissions, full disk, not a regular file). */
  | 'IO'
  /** A file or buffer is not in the expected format. */
  | 'FORMAT'
  /** A checkpoint does not belong to the run that tries to resume from it. */
  | 'CHECKPOINT_MISMATCH';

/** Options of {@link NoetherError}. */
export interface NoetherErrorOptions {
  /**
   * The public function that raised the error, without parentheses (`'integrate'`). Default: the name
   * the message starts with (`integrate(): ...` gives `'integrate'`).
   */
  fn?: string;
  /** The underlying error, when this one wraps another. */
  cause?: unknown;
}

/**
 * The base of every error class in the `@noether/*` packages. Each package has exactly one subclass
 * (`AutodiffError`, `IntegratorError`, ...) so `instanceof` tells the package and `code` tells the reason.
 * Messages follow `fn(): argument 'dt' must be a finite positive number, got NaN`.
 *
 * @example
 * ```ts
 * try { integrate('leapfrog', sys, { x0, dt: NaN, steps: 10 }); }
 * catch (e) { if (e instanceof NoetherError && e.code === 'INVALID_ARGUMENT') console.error(e.message); }
 * ```
 */
export class NoetherError<Code extends string = NoetherErrorCode> extends Error {
  /** Why the error was raised (UPPER_SNAKE). */
  readonly code: Code;
  /** The public function that raised it, when known. */
  readonly fn: string | undefined;

  constructor(code: Code, message: string, options: NoetherErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'NoetherError';
    this.code = code;
    this.fn = options.fn ?? /^([A-Za-z_$][\w$.]*)\(\)/.exec(message)?.[1];
  }
}
