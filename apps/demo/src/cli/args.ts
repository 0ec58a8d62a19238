import { parseArgs as nodeParseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './usage-error';

/**
 * `node:util` parseArgs with the CLI's conventions: unknown options are errors naming the command, and
 * numeric options are read with {@link numberOption}.
 */
export function parseArgs<T extends NonNullable<ParseArgsConfig['options']>>(
  command: string,
  args: string[],
  options: T,
) {
  try {
    return nodeParseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(`noether ${command}: ${(error as Error).message} (see noether ${command} --help)`, {
      cause: error,
    });
  }
}

/** Where a numeric option comes from and what it accepts, for {@link numberOption}. */
export interface NumberOptionSpec {
  command: string;
  name: string;
  fallback: number;
  /** Only integers (safe integers, below 2^53 in magnitude). */
  integer?: boolean;
  /** Smallest accepted value (inclusive). */
  min?: number;
  /** Largest accepted value (inclusive). */
  max?: number;
  /** Values must be greater than `min` (not equal). */
  minExclusive?: boolean;
}

/** Plain decimal numbers only: no hex/octal/binary prefixes, no blanks, no `Infinity`, no empty string. */
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Reads a numeric option strictly: a plain decimal number (`12`, `0.5`, `1e-3`), finite, an integer below 2^53
 * when asked, and inside `[min, max]`. Anything else (an empty `--iters=`, `0x10`, ` 12`, `1e999`, `1.5` for
 * an integer) is an error naming the command, the option, what it accepts and what was given; out-of-range
 * values are refused, never clamped.
 */
export function numberOption(value: string | undefined, spec: NumberOptionSpec): number {
  if (value === undefined) return spec.fallback;
  const n = DECIMAL.test(value) ? Number(value) : NaN;
  const bounds = [
    spec.min !== undefined ? `${spec.minExclusive ? '>' : '>='} ${spec.min}` : '',
    spec.max !== undefined ? `<= ${spec.max}` : '',
  ].filter(Boolean);
  const expected = `${spec.integer ? 'an integer' : 'a finite decimal number'}${bounds.length ? ` ${bounds.join(' and ')}` : ''}`;
  const ok =
    Number.isFinite(n) &&
    (!spec.integer || Number.isSafeInteger(n)) &&
    (spec.min === undefined || (spec.minExclusive ? n > spec.min : n >= spec.min)) &&
    (spec.max === undefined || n <= spec.max);
  if (!ok)
    throw new UsageError(
      `noether ${spec.command}: option '--${spec.name}' must be ${expected}, got ${JSON.stringify(value)}`,
    );
  return n;
}

/** Reads `--seed`: an integer in [0, 2^53 - 1] (CONTRIBUTING.md: a seed is an integer below 2^53). */
export function seedOption(value: string | undefined, spec: { command: string; fallback: number }): number {
  return numberOption(value, { ...spec, name: 'seed', integer: true, min: 0, max: Number.MAX_SAFE_INTEGER });
}

/**
 * Reads an option whose value is one of a fixed list of names (a Set lookup: `__proto__` or `constructor` are
 * just unknown names, never properties of some object).
 */
export function choiceOption<T extends string>(
  value: string | undefined,
  spec: { command: string; name: string; choices: readonly T[]; fallback: T },
): T {
  if (value === undefined) return spec.fallback;
  if (!new Set<string>(spec.choices).has(value))
    throw new UsageError(
      `noether ${spec.command}: option '--${spec.name}' must be one of ${spec.choices.join(', ')}, got ${JSON.stringify(value)}`,
    );
  return value as T;
}
