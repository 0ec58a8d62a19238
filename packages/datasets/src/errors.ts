import { NoetherError, type NoetherErrorOptions } from '@noether/autodiff';

/**
 * Machine-readable reason carried by every {@link DatasetsError} (UPPER_SNAKE, see CONTRIBUTING.md):
 * `NON_FINITE` a solution blew up, `NOT_CONVERGED` an energy tolerance could not be met, `FORMAT` a file is
 * not a valid .npy/.npz/HDF5 file, `FILE_MISMATCH` a valid file lacks an expected array or has another shape,
 * `IO` reading or writing failed.
 */
export type DatasetsErrorCode =
  | 'INVALID_ARGUMENT'
  | 'NON_FINITE'
  | 'NOT_CONVERGED'
  | 'FORMAT'
  | 'FILE_MISMATCH'
  | 'IO'
  | 'LIMIT_EXCEEDED'
  | 'UNSUPPORTED';

/**
 * The one error class of `@noether/datasets`. Messages name the function (or file), the argument and what
 * was expected versus given.
 * @example
 * try { solveHeat1d(...) } catch (e) { if (e instanceof DatasetsError && e.code === 'INVALID_ARGUMENT') ... }
 */
export class DatasetsError extends NoetherError<DatasetsErrorCode> {
  constructor(code: DatasetsErrorCode, message: string, options?: NoetherErrorOptions) {
    super(code, message, options);
    this.name = 'DatasetsError';
  }
}

/** Throws `INVALID_ARGUMENT` unless `value` is a finite number (optionally > 0 / integer >= min). */
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
      'INVALID_ARGUMENT',
      `${fn}(): argument '${name}' must be ${what}, got ${typeof value === 'number' ? String(value) : typeof value}`,
    );
  }
  return value as number;
}
