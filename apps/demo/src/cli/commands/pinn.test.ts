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

describe('noether autodiff-check: strict arguments', () => {
  it('refuses a hex --tol and an empty or padded --orders entry', async () => {
    const { autodiffCheckCommand } = await import('./autodiff-check');
    await expect(autodiffCheckCommand.run(['--tol', '0x10'])).rejects.toThrow(
      `noether autodiff-check: option '--tol' must be a finite decimal number > 0, got "0x10"`,
    );
    for (const orders of ['', '1,,2', ' 1', '0x1'])
      await expect(autodiffCheckCommand.run(['--orders', orders])).rejects.toThrow(/option '--orders'/);
  });
});
