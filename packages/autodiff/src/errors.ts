import { NoetherError, type NoetherErrorOptions } from './noether-error';

/** Machine-readable reason codes for {@link AutodiffError}. */
export type AutodiffErrorCode =
  'INVALID_ARGUMENT' | 'NOT_SCALAR' | 'SHAPE_MISMATCH' | 'NON_FINITE' | 'BACKEND_UNAVAILABLE';

/**
 * The one error class of `@noether/autodiff`. Messages follow
 * `fn(): argument 'x' must be <expected>, got <given>`.
 */
export class AutodiffError extends NoetherError<AutodiffErrorCode> {
  constructor(code: AutodiffErrorCode, message: string, options?: NoetherErrorOptions) {
    super(code, message, options);
    this.name = 'AutodiffError';
  }
}

/** Short human description of a value for error messages. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value);
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (ArrayBuffer.isView(value)) {
    return `a ${value.constructor.name} of length ${(value as Float64Array).length}`;
  }
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'object') {
    const shape = (value as { shape?: unknown }).shape;
    if (Array.isArray(shape)) {
      const dtype = (value as { dtype?: unknown }).dtype;
      return `a ${typeof dtype === 'string' ? dtype + ' ' : ''}tensor of shape [${shape.join(', ')}]`;
    }
    return `an object (${(value as object).constructor?.name ?? 'Object'})`;
  }
  return typeof value;
}
