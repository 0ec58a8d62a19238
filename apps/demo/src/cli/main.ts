import { commands } from './commands/index';
import { demoCommand } from './demo';

const all = [...commands, demoCommand];

function help(): string {
  const width = Math.max(...all.map((c) => c.name.length));
  return [
    'noether: conservation-aware scientific ML on TensorFlow.js',
    '',
    'usage: noether <command> [options]     (noether <command> --help for details)',
    '',
    'commands:',
    ...all.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'environment: NOETHER_BACKEND=tensorflow|wasm|cpu forces the tfjs backend.',
  ].join('\n');
}

/** Finds the command whose (possibly multi-word) name is the longest prefix of argv. */
function match(argv: string[]) {
  let best: { command: (typeof all)[number]; rest: string[] } | undefined;
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

async function main(argv: string[]): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    console.log(help());
    return 0;
  }
  const found = match(argv);
  if (!found) {
    console.error(`noether: unknown command '${argv.join(' ')}'\n\n${help()}`);
    return 2;
  }
  if (found.rest.includes('--help') || found.rest.includes('-h')) {
    console.log(found.command.usage);
    return 0;
  }
  return found.command.run(found.rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`noether: ${(error as Error).stack ?? String(error)}`);
    process.exitCode = 1;
  },
);
