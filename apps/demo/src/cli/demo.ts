import type { Command } from './command';
import { commands } from './commands/index';

/** Sub-commands (with arguments) that `noether demo` runs in order: each package's short showcase. */
export const demoSteps: string[][] = [
  ['backend'],
  ['autodiff-check'],
  ['integrators-report', '--quick', '--out', 'out/integrators'],
  ['data', 'generate', 'three-body', '--count', '8', '--samples', '21', '--out', 'out/data'],
  ['pinn-report', '--quick'],
  ['charges-report', '--quick'],
];

/** The registered command a demo step names (its longest matching prefix of words). */
export function resolveStep(step: string[]): Command {
  const matches = commands.filter((c) => c.name === step.slice(0, c.name.split(' ').length).join(' '));
  const command = matches.sort((a, b) => b.name.length - a.name.length)[0];
  if (!command) throw new Error(`demo: step '${step.join(' ')}' names no command`);
  return command;
}

export const demoCommand: Command = {
  name: 'demo',
  summary: 'The main job: run every package showcase in short form (what `pnpm demo` runs).',
  usage: 'noether demo\n\nRuns, in order: ' + demoSteps.map((s) => `noether ${s.join(' ')}`).join(', '),
  async run() {
    for (const step of demoSteps) {
      const command = resolveStep(step);
      console.log(`\n=== noether ${step.join(' ')} ===`);
      const code = await command.run(step.slice(command.name.split(' ').length));
      if (code !== 0) return code;
    }
    return 0;
  },
};
