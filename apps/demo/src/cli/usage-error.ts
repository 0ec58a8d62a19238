/**
 * A user mistake on the command line (unknown command or option, missing or bad value, unknown name).
 * The CLI prints its message as one line and exits with status 2. Any other error is a failure (status 1).
 */
export class UsageError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UsageError';
  }
}

/** How the CLI reports one error: the exit status and the one line it prints. */
export interface ErrorReport {
  /** 2 for a usage error, 1 for a failure. */
  exitCode: 1 | 2;
  /** One line: what went wrong and what to do about it. */
  line: string;
}

/** Library error codes that mean "the caller passed a bad value": from the CLI that is the user's input. */
const USAGE_CODES = new Set(['INVALID_ARGUMENT', 'SHAPE_MISMATCH']);

/** What to do about a library error with this code, when the message does not say it already. */
const FIXES: Record<string, string> = {
  IO: 'check the path and its permissions',
  FILE_IO: 'check the path and its permissions',
  FORMAT: 'check that the file is complete and of the expected kind (`noether data info FILE`)',
  FILE_CORRUPT: 'check that the file is complete and of the expected kind (`noether data info FILE`)',
  CHECKPOINT_MISMATCH: 'delete the checkpoint or use a different --out folder',
  NOT_CONVERGED: 'try more iterations or a smaller step',
  NON_FINITE: 'try a smaller step or learning rate',
};

/** The error's `code`, normalised to UPPER_SNAKE (some packages still spell theirs `invalid-argument`). */
function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code.replace(/-/g, '_').toUpperCase() : undefined;
}

function firstLine(text: string): string {
  return (
    text
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l.length > 0) ?? text
  );
}

/**
 * Classifies an error thrown by a command into an exit status and one line of text, the same way for every
 * command: {@link UsageError}, `node:util` parseArgs errors and library errors with code `INVALID_ARGUMENT`
 * are usage errors (status 2); anything else is a failure (status 1).
 * @param command the command's words (`'data generate'`), used in the hint; empty for the top level.
 */
export function describeError(error: unknown, command: string): ErrorReport {
  const message = error instanceof Error ? error.message : String(error);
  const code = codeOf(error);
  const causeCode = codeOf((error as { cause?: unknown } | null)?.cause);
  const usage =
    error instanceof UsageError ||
    Boolean(code?.startsWith('ERR_PARSE_ARGS') || causeCode?.startsWith('ERR_PARSE_ARGS')) ||
    (code !== undefined && USAGE_CODES.has(code));
  let line = firstLine(message);
  // Messages that already name the command ('noether data generate: ...', 'pinn: ...') keep one prefix.
  for (const prefix of ['noether:', `noether ${command}:`, `${command}:`])
    if (command && line.startsWith(prefix)) line = line.slice(prefix.length).trimStart();
  if (line.startsWith('noether:')) line = line.slice('noether:'.length).trimStart();
  const where = command ? `noether ${command}` : 'noether';
  line = `${where}: ${line}`;
  if (usage) {
    if (!/--help/.test(line)) line += ` (see ${where} --help)`;
    return { exitCode: 2, line };
  }
  const fix = code !== undefined ? FIXES[code] : undefined;
  if (fix !== undefined && !line.includes(fix)) line += ` (${fix})`;
  return { exitCode: 1, line };
}
