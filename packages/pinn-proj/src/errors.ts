/** Machine-readable reason codes for {@link PinnProjError}. */
export type PinnProjErrorCode =
  'INVALID_ARGUMENT' | 'SHAPE_MISMATCH' | 'INFEASIBLE_TARGET' | 'NON_FINITE' | 'UNSUPPORTED' | 'CHECKPOINT';

/**
 * The one error class of `@noether/pinn-proj`. Messages follow
 * `fn(): argument 'x' must be <expected>, got <given>`.
 */
export class PinnProjError extends Error {
  readonly code: PinnProjErrorCode;
  constructor(code: PinnProjErrorCode, message: string) {
    super(message);
    this.name = 'PinnProjError';
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
  if (ArrayBuffer.isView(value))
    return `a ${value.constructor.name} of length ${(value as Float64Array).length}`;
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'object') {
    const shape = (value as { shape?: unknown }).shape;
    if (Array.isArray(shape)) return `a tensor of shape [${shape.join(', ')}]`;
    return `an object (${(value as object).constructor?.name ?? 'Object'})`;
  }
  return typeof value;
}

/** Throws `INVALID_ARGUMENT` naming the function and argument. */
export function invalid(where: readonly [fn: string, arg: string], expected: string, given: unknown): never {
  const [fn, arg] = where;
  throw new PinnProjError(
    'INVALID_ARGUMENT',
    `${fn}(): argument '${arg}' must be ${expected}, got ${describeValue(given)}`,
  );
}
