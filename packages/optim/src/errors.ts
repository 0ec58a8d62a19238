/** Machine-readable reason codes for {@link OptimError}. */
export type OptimErrorCode = 'INVALID_ARGUMENT' | 'NON_FINITE' | 'NOT_CONVERGED';

/**
 * The one error class of `@noether/optim`. Messages follow
 * `fn(): argument 'x' must be <expected>, got <given>`.
 */
export class OptimError extends Error {
  /** Why it was thrown. */
  readonly code: OptimErrorCode;
  constructor(code: OptimErrorCode, message: string) {
    super(message);
    this.name = 'OptimError';
    this.code = code;
  }
}

/** Short human description of a value for error messages. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value);
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'object') {
    const shape = (value as { shape?: unknown }).shape;
    if (Array.isArray(shape)) return `a tensor of shape [${shape.join(', ')}]`;
    return `an object (${(value as object).constructor?.name ?? 'Object'})`;
  }
  return typeof value;
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
    );
  }
}
