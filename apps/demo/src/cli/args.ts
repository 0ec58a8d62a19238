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

/** Where a numeric option comes from, for {@link numberOption}. */
export interface NumberOptionSpec {
  command: string;
  name: string;
  fallback: number;
  integer?: boolean;
}

/** Reads a numeric option, with a clear error when it is not a finite number (or not an integer when asked). */
export function numberOption(value: string | undefined, spec: NumberOptionSpec): number {
  if (value === undefined) return spec.fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || (spec.integer && !Number.isInteger(n))) {
    throw new UsageError(
      `noether ${spec.command}: option '--${spec.name}' must be ${spec.integer ? 'an integer' : 'a finite number'}, got ${JSON.stringify(value)}`,
    );
  }
  return n;
}
