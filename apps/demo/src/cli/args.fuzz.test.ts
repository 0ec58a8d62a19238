import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { choiceOption, numberOption, parseArgs, seedOption } from './args';

const runs = Number(process.env.FUZZ_RUNS ?? 300);
const seed = process.env.FUZZ_RUNS ? Date.now() : 20260101;

/** Independent model of what the parser accepts: a plain decimal literal whose value is in range. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A user-ish string: numbers in every spelling, blanks, prefixes, or anything. */
const numberish = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.double().map(String),
  fc.integer().map((n) => n.toString(16)),
  fc.integer().map((n) => `0x${Math.abs(n).toString(16)}`),
  fc
    .tuple(
      fc.constantFrom('', ' ', '+', '-', '0', '.'),
      fc.nat(),
      fc.constantFrom('', 'e', 'e5', 'e-3', '.5', ' ', '_0'),
    )
    .map(([a, n, b]) => `${a}${n}${b}`),
);

describe('fuzz: CLI option parsing', () => {
  it('numberOption returns a value the spec allows or throws a one-line noether error, never NaN or a clamp', () => {
    fc.assert(
      fc.property(
        numberish,
        fc.boolean(),
        fc.option(fc.integer({ min: -5, max: 5 })),
        fc.option(fc.integer({ min: 5, max: 1000 })),
        (value, integer, min, max) => {
          const spec = {
            command: 'pinn',
            name: 'x',
            fallback: 0,
            integer,
            ...(min !== null ? { min } : {}),
            ...(max !== null ? { max } : {}),
          };
          const n = Number(value);
          const allowed =
            DECIMAL.test(value) &&
            Number.isFinite(n) &&
            (!integer || Number.isSafeInteger(n)) &&
            (min === null || n >= min) &&
            (max === null || n <= max);
          let got: number | undefined;
          try {
            got = numberOption(value, spec);
          } catch (error) {
            expect(error).toBeInstanceOf(Error);
            expect(error).not.toBeInstanceOf(TypeError);
            expect((error as Error).message).toMatch(/^noether pinn: option '--x' must be .*, got ".*"$/s);
            expect(allowed).toBe(false);
            return;
          }
          expect(allowed).toBe(true);
          expect(got).toBe(n);
        },
      ),
      { numRuns: runs, seed },
    );
  });

  it('seedOption accepts exactly the integers in [0, 2^53 - 1]', () => {
    fc.assert(
      fc.property(
        fc.oneof(numberish, fc.bigInt({ min: -(2n ** 60n), max: 2n ** 60n }).map(String)),
        (value) => {
          let ok = true;
          try {
            seedOption(value, { command: 'pinn', fallback: 0 });
          } catch {
            ok = false;
          }
          const n = Number(value);
          expect(ok).toBe(DECIMAL.test(value) && Number.isSafeInteger(n) && n >= 0);
        },
      ),
      { numRuns: runs, seed },
    );
  });

  it('choiceOption accepts only listed names (no inherited property names)', () => {
    const choices = ['train', 'test', 'testWider', 'testMoved', 'all'] as const;
    const name = fc.oneof(
      fc.constantFrom(...choices, '__proto__', 'constructor', 'valueOf', 'toString'),
      fc.string(),
    );
    fc.assert(
      fc.property(name, (value) => {
        let ok = true;
        try {
          expect(
            choiceOption(value, { command: 'data generate', name: 'split', choices, fallback: 'train' }),
          ).toBe(value);
        } catch (error) {
          ok = false;
          expect((error as Error).message).toMatch(/^noether data generate: option '--split' must be one of/);
        }
        expect(ok).toBe((choices as readonly string[]).includes(value));
      }),
      { numRuns: runs, seed },
    );
  });

  it('parseArgs turns any argv into values or a noether error naming the command', () => {
    const arg = fc.oneof(
      fc.string({ maxLength: 10 }),
      fc.constantFrom('--iters', '--iters=', '--out', '-h', '--', '--x=1', '--seed=0x10'),
    );
    fc.assert(
      fc.property(fc.array(arg, { maxLength: 6 }), (argv) => {
        try {
          parseArgs('pinn', argv, {
            iters: { type: 'string' },
            out: { type: 'string' },
            seed: { type: 'string' },
          });
        } catch (error) {
          expect(error).not.toBeInstanceOf(TypeError);
          expect((error as Error).message).toMatch(/^noether pinn: .*\(see noether pinn --help\)$/s);
        }
      }),
      { numRuns: runs, seed },
    );
  });
});
