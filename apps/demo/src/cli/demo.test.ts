import { describe, expect, it } from 'vitest';
import { commands } from './commands/index';
import { demoSteps, resolveStep } from './demo';

describe('noether demo', () => {
  it('every demo step names a registered command and passes only options that command documents', () => {
    // Catches a renamed option (e.g. data generate's --steps -> --samples) left behind in the demo.
    for (const step of demoSteps) {
      const command = resolveStep(step);
      expect(commands).toContain(command);
      const flags = step.filter((a) => a.startsWith('--'));
      for (const flag of flags)
        expect(command.usage, `${step.join(' ')}: ${flag}`).toMatch(new RegExp(`${flag}\\b`));
    }
    expect(demoSteps.flat().filter((a) => a.startsWith('--')).length).toBeGreaterThan(5);
  });

  it('multi-word commands win over their prefixes and unknown steps are reported', () => {
    expect(resolveStep(['data', 'generate', 'x']).name).toBe('data generate');
    expect(() => resolveStep(['no-such-command'])).toThrow(/demo: step 'no-such-command' names no command/);
  });

  it('command names are unique and every command has a summary and usage', () => {
    const names = commands.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    for (const c of commands) {
      expect(c.summary.length).toBeGreaterThan(10);
      expect(c.usage).toContain(c.name);
    }
  });
});
