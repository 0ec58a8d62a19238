import { describe, expect, it } from 'vitest';
import { choiceOption, numberOption, seedOption } from './args';

const spec = { command: 'pinn', name: 'iters', fallback: 7, integer: true, min: 1 };

describe('strict CLI number parsing', () => {
  it('accepts plain decimal numbers and returns the fallback when the option is absent', () => {
    expect(numberOption(undefined, spec)).toBe(7);
    expect(numberOption('12', spec)).toBe(12);
    expect(numberOption('1e3', spec)).toBe(1000);
    expect(numberOption('0.25', { command: 'data generate', name: 'dt', fallback: 0 })).toBe(0.25);
    expect(numberOption('-1.5e-3', { command: 'x', name: 'y', fallback: 0 })).toBe(-0.0015);
    expect(numberOption('.5', { command: 'x', name: 'y', fallback: 0 })).toBe(0.5);
  });

  it.each([
    ['', 'an empty --iters= (was 0)'],
    ['0x10', 'hex (was 16)'],
    ['0b11', 'binary'],
    ['0o17', 'octal'],
    [' 12', 'leading blank'],
    ['12 ', 'trailing blank'],
    ['Infinity', 'Infinity'],
    ['NaN', 'NaN'],
    ['1e999', 'overflow to Infinity'],
    ['1.5', 'a fraction for an integer'],
    ['9007199254740993', 'an integer beyond 2^53'],
    ['0', 'below the minimum (no clamp)'],
    ['1_000', 'digit separators'],
  ])('refuses %j (%s) with the command, option, rule and value', (value) => {
    expect(() => numberOption(value, spec)).toThrow(
      `noether pinn: option '--iters' must be an integer >= 1, got ${JSON.stringify(value)}`,
    );
  });

  it('refuses values outside [min, max] instead of clamping them', () => {
    const levels = { command: 'pinn', name: 'levels', fallback: 100, integer: true, min: 1, max: 100 };
    expect(() => numberOption('1000', levels)).toThrow(
      `noether pinn: option '--levels' must be an integer >= 1 and <= 100, got "1000"`,
    );
    expect(() =>
      numberOption('0', { command: 'd', name: 'dt', fallback: 1, min: 0, minExclusive: true }),
    ).toThrow(`must be a finite decimal number > 0, got "0"`);
  });

  it('validates seeds as integers in [0, 2^53 - 1]', () => {
    expect(seedOption('9007199254740991', { command: 'pinn', fallback: 0 })).toBe(2 ** 53 - 1);
    for (const bad of ['-1', '9007199254740992', '1.5', '1e20', ''])
      expect(() => seedOption(bad, { command: 'pinn', fallback: 0 })).toThrow(
        `noether pinn: option '--seed' must be an integer >= 0 and <= 9007199254740991, got ${JSON.stringify(bad)}`,
      );
  });

  it('looks names up in a set: __proto__ and constructor are unknown names', () => {
    const split = {
      command: 'data generate',
      name: 'split',
      choices: ['train', 'test'] as const,
      fallback: 'train' as const,
    };
    expect(choiceOption('test', split)).toBe('test');
    expect(choiceOption(undefined, split)).toBe('train');
    for (const bad of ['__proto__', 'constructor', 'toString', 'hasOwnProperty'])
      expect(() => choiceOption(bad, split)).toThrow(
        `noether data generate: option '--split' must be one of train, test, got ${JSON.stringify(bad)}`,
      );
  });
});
