import { describe, expect, it } from 'vitest';
import { commands } from './commands/index';
import { demoSteps, resolveStep } from './demo';

describe('noether demo', () => {
  it('every demo step names a registered command', () => {
    for (const step of demoSteps)
      expect(resolveStep(step).name).toBe(step.slice(0, resolveStep(step).name.split(' ').length).join(' '));
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
