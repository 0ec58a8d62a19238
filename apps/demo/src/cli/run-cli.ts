import { commands } from './commands/index';
import type { Command } from './command';
import { demoCommand } from './demo';
import { keepOutputDirs, removeEmptyOutputDirs } from './output-dir';
import { UsageError, describeError } from './usage-error';

const all: Command[] = [...commands, demoCommand];

/** Where {@link runCli} writes and what it reads besides argv. */
export interface CliContext {
  /** The CLI's version (`noether --version`). */
  version: string;
  /** Environment variables (`NOETHER_DEBUG`). */
  env: Record<string, string | undefined>;
  /** Normal output (help, version). */
  out: (text: string) => void;
  /** Error output (the one-line error, and the stack with --debug). */
  err: (text: string) => void;
}

function table(list: Command[]): string[] {
  const width = Math.max(...list.map((c) => c.name.length));
  return list.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
}

/** `noether --help`. */
function help(): string {
  return [
    'noether: conservation-aware scientific ML on TensorFlow.js',
    '',
    'usage: noether <command> [options]     (noether <command> --help for details)',
    '',
    'commands:',
    ...table(all),
    '',
    'options: --help, --version, --debug (show the stack trace of an error; also NOETHER_DEBUG=1)',
    'environment: NOETHER_BACKEND=tensorflow|wasm|cpu forces the tfjs backend.',
    'exit status: 0 success, 1 failure, 2 usage error.',
  ].join('\n');
}

/** Help for a group of multi-word commands (`noether data`). */
function groupHelp(group: string, members: Command[]): string {
  return [`usage: noether ${group} <command> [options]`, '', 'commands:', ...table(members)].join('\n');
}

/** Finds the command whose (possibly multi-word) name is the longest prefix of argv. */
function match(argv: string[]): { command: Command; rest: string[] } | undefined {
  let best: { command: Command; rest: string[] } | undefined;
  for (const command of all) {
    const words = command.name.split(' ');
    if (
      words.every((w, i) => argv[i] === w) &&
      (!best || words.length > best.command.name.split(' ').length)
    ) {
      best = { command, rest: argv.slice(words.length) };
    }
  }
  return best;
}

const isHelp = (a: string) => a === '--help' || a === '-h' || a === 'help';

/**
 * Runs the `noether` CLI on `argv` (without node and the script) and resolves to the exit status: 0 success,
 * 1 failure, 2 usage error. Every error, whichever command throws it, is printed as one line naming the
 * problem and the fix ({@link describeError}); `--debug` anywhere in argv, or `NOETHER_DEBUG=1`, also prints
 * the stack. Output folders a failed command created and left empty are removed.
 */
export async function runCli(argv: string[], ctx: CliContext): Promise<number> {
  const debug = argv.includes('--debug') || (ctx.env.NOETHER_DEBUG ?? '') === '1';
  const args = argv.filter((a) => a !== '--debug');
  let command = '';
  try {
    if (args.length === 0 || (args.length === 1 && isHelp(args[0]!))) {
      ctx.out(help());
      return 0;
    }
    if (args[0] === '--version' || args[0] === '-v') {
      ctx.out(ctx.version);
      return 0;
    }
    const found = match(args);
    if (!found) {
      const head = args[0]!;
      const members = all.filter((c) => c.name.startsWith(`${head} `));
      if (members.length > 0 && (args.length === 1 || args.slice(1).every(isHelp))) {
        ctx.out(groupHelp(head, members));
        return 0;
      }
      if (members.length > 0) {
        throw new UsageError(
          `unknown command '${args.slice(0, 2).join(' ')}' (known: ${members.map((c) => c.name).join(', ')}; see noether ${head} --help)`,
        );
      }
      throw new UsageError(`unknown command '${head}' (see noether --help for the list)`);
    }
    command = found.command.name;
    if (found.rest.some((a) => a === '--help' || a === '-h')) {
      ctx.out(found.command.usage);
      return 0;
    }
    const code = await found.command.run(found.rest);
    if (code === 0) keepOutputDirs();
    else removeEmptyOutputDirs();
    return code;
  } catch (error) {
    removeEmptyOutputDirs();
    const report = describeError(error, command);
    ctx.err(report.line);
    if (debug) ctx.err(error instanceof Error ? (error.stack ?? error.message) : String(error));
    return report.exitCode;
  }
}
