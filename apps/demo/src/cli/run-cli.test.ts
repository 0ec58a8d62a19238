import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { runCli } from './run-cli';

const tfjsNode = '@tensorflow/tfjs-node';
/** Whether the optional tensorflow backend is installed in this checkout (`pnpm setup:tfjs-node`). */
const hasTfjsNode = await import(/* @vite-ignore */ tfjsNode).then(
  () => true,
  () => false,
);

const dir = mkdtempSync(join(tmpdir(), 'noether-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the CLI and captures what it prints. */
async function cli(argv: string[], env: Record<string, string | undefined> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    const code = await runCli(argv, {
      version: '9.8.7',
      env,
      out: (t) => out.push(t),
      err: (t) => err.push(t),
    });
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally {
    log.mockRestore();
    stderr.mockRestore();
  }
}

describe('the noether CLI error path', () => {
  it('usage mistakes print one line naming the problem and the fix, and exit 2', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['frob'], /^noether: unknown command 'frob' \(see noether --help/],
      [['data', 'frob'], /^noether: unknown command 'data frob' .*data list, data generate, data info/],
      [['data', 'generate', 'ho', '--bogus'], /^noether data generate: Unknown option '--bogus'.*--help/],
      [['data', 'generate', 'ho'], /^noether data generate: option '--out DIR' is required/],
      [['data', 'generate', 'nope', '--out', dir], /unknown dataset 'nope'/],
      [['data', 'generate', 'ho', '--count', 'x', '--out', dir], /option '--count' must be an integer/],
      [['pinn', 'nocase'], /^noether pinn: unknown case 'nocase'; one of advection/],
      [['pinn', 'advection', '--variant', 'x'], /option '--variant' must be one of/],
    ];
    for (const [argv, pattern] of cases) {
      const r = await cli(argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.err.split('\n'), argv.join(' ')).toHaveLength(1);
      expect(r.err).toMatch(pattern);
    }
  });

  it('a bad NOETHER_BACKEND is a usage error; a missing tfjs-node says what to install (exit 1)', async () => {
    const saved = process.env.NOETHER_BACKEND;
    try {
      process.env.NOETHER_BACKEND = 'foo';
      const bad = await cli(['backend']);
      expect(bad.code).toBe(2);
      expect(bad.err).toMatch(/NOETHER_BACKEND' must be one of tensorflow, wasm, cpu, got "foo"/);
      expect(bad.err.split('\n')).toHaveLength(1);
      process.env.NOETHER_BACKEND = 'tensorflow';
      const missing = await cli(['backend']);
      if (hasTfjsNode) {
        // installed here (`pnpm setup:tfjs-node`): the forced backend is used
        expect(missing.code).toBe(0);
        return;
      }
      expect(missing.code).toBe(1);
      expect(missing.err.split('\n')).toHaveLength(1);
      expect(missing.err).toMatch(
        /@tensorflow\/tfjs-node is not installed; .*npm install @tensorflow\/tfjs-node@/,
      );
      expect(missing.err).not.toMatch(/\/node_modules\/|\/dist\/|file:/);
    } finally {
      if (saved === undefined) delete process.env.NOETHER_BACKEND;
      else process.env.NOETHER_BACKEND = saved;
    }
  });

  it('a failure exits 1 with one line; --debug or NOETHER_DEBUG=1 adds the stack', async () => {
    const file = join(dir, 'missing.npz');
    const plain = await cli(['data', 'info', file]);
    expect(plain.code).toBe(1);
    expect(plain.err).toMatch(/^noether data info: loadNpz\(\): cannot read '.*missing.npz'/);
    expect(plain.err.split('\n')).toHaveLength(1);
    const debug = await cli(['data', 'info', file, '--debug']);
    expect(debug.code).toBe(1);
    expect(debug.err.split('\n').length).toBeGreaterThan(2);
    expect(debug.err).toMatch(/\n\s*at /);
    const env = await cli(['data', 'info', file], { NOETHER_DEBUG: '1' });
    expect(env.err).toMatch(/\n\s*at /);
  });

  it('pinn-report --report-only on a folder without matching runs is an error listing what it found', async () => {
    const out = join(dir, 'report-only');
    const empty = await cli(['pinn-report', '--quick', '--report-only', '--out', out]);
    expect(empty.code).toBe(2);
    expect(empty.err).toMatch(/--report-only: .*report-only\/runs holds no runs and none of the 15 runs/);
    expect(existsSync(out)).toBe(false);
    mkdirSync(join(out, 'runs'), { recursive: true });
    writeFileSync(join(out, 'runs', 'kdv-joint-proj-n999-L5-it3-s0.json'), '{}');
    const other = await cli(['pinn-report', '--quick', '--report-only', '--out', out]);
    expect(other.code).toBe(2);
    expect(other.err).toMatch(/holds 1 other runs \(kdv-joint-proj-n999-L5-it3-s0\.json\)/);
  });

  it('a failed command leaves no empty output folder behind', async () => {
    const out = join(dir, 'fresh', 'deeper');
    const r = await cli(['data', 'generate', 'nope', '--out', out]);
    expect(r.code).toBe(2);
    expect(existsSync(join(dir, 'fresh'))).toBe(false);
  });

  it('help, group help and --version exit 0', async () => {
    expect((await cli([])).out).toMatch(/^noether: conservation-aware/);
    const group = await cli(['data']);
    expect(group.code).toBe(0);
    expect(group.out).toMatch(/data list[\s\S]*data generate[\s\S]*data info/);
    expect((await cli(['data', '--help'])).out).toBe(group.out);
    expect(await cli(['--version'])).toEqual({ code: 0, out: '9.8.7', err: '' });
    const usage = await cli(['pinn', '--help']);
    expect(usage.code).toBe(0);
    expect(usage.out).toMatch(/Run time: the defaults .* take about 2 min/);
  });
});
