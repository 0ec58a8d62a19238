import { describe, expect, it } from 'vitest';
import { getCase } from '../../pinn/cases';
import { pinnCommand } from './pinn';

describe('noether pinn: strict arguments', () => {
  it('refuses an empty --iters=, a hex --points, --levels beyond 100 and a negative seed before training', async () => {
    await expect(pinnCommand.run(['advection', '--iters='])).rejects.toThrow(
      `noether pinn: option '--iters' must be an integer >= 1, got ""`,
    );
    await expect(pinnCommand.run(['advection', '--points', '0x10'])).rejects.toThrow(/'--points'.*"0x10"/);
    await expect(pinnCommand.run(['advection', '--levels', '1000'])).rejects.toThrow(
      `option '--levels' must be an integer >= 1 and <= 100, got "1000"`,
    );
    await expect(pinnCommand.run(['advection', '--seed', '-1'])).rejects.toThrow(/'--seed'/);
  });

  it('treats __proto__ and constructor as unknown cases', () => {
    for (const name of ['__proto__', 'constructor', 'toString'])
      expect(() => getCase(name)).toThrow(`pinn: unknown case '${name}'`);
  });
});
