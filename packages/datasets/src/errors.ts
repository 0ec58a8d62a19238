/** Machine-readable reason carried by every {@link DatasetsError}. */
export type DatasetsErrorCode =
  | 'invalid-argument'
  | 'numerical-failure'
  | 'file-corrupt'
  | 'file-mismatch'
  | 'file-io'
  | 'unsupported'
  | 'INVALID_ARGUMENT'
  | 'IO'
  | 'FORMAT'
  | 'LIMIT_EXCEEDED'
  | 'NON_FINITE'
  | 'UNSUPPORTED';

/**
 * The one error class of `@noether/datasets`. Messages name the function (or file), the argument and what
 * was expected versus given.
 * @example
 * try { solveHeat1d(...) } catch (e) { if (e instanceof DatasetsError && e.code === 'invalid-argument') ... }
 */
export class DatasetsError extends Error {
  /** Machine-readable reason. */
  readonly code: DatasetsErrorCode;
  constructor(code: DatasetsErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DatasetsError';
    this.code = code;
  }
}

/** Throws `invalid-argument` unless `value` is a finite number (optionally > 0 / integer >= min). */
export function checkNumber(
  where: { fn: string; name: string },
  value: unknown,
  rule: { positive?: boolean; integer?: boolean; min?: number } = {},
): number {
  const { fn, name } = where;
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (!rule.positive || value > 0) &&
    (!rule.integer || Number.isInteger(value)) &&
    (rule.min === undefined || value >= rule.min);
  if (!ok) {
    const what = [
      rule.integer ? 'an integer' : 'a finite number',
      rule.positive ? '> 0' : '',
      rule.min !== undefined ? `>= ${rule.min}` : '',
    ]
      .filter(Boolean)
      .join(' ');
    throw new DatasetsError(
      'invalid-argument',
      `${fn}(): argument '${name}' must be ${what}, got ${typeof value === 'number' ? String(value) : typeof value}`,
    );
  }
  return value as number;
}
