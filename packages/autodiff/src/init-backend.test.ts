import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { AutodiffError, initBackend } from './index';

describe('initBackend', () => {
  const original = process.env.NOETHER_BACKEND;
  afterAll(() => {
    if (original === undefined) delete process.env.NOETHER_BACKEND;
    else process.env.NOETHER_BACKEND = original;
  });

  it('picks the fastest available backend when nothing is forced, and says why', async () => {
    delete process.env.NOETHER_BACKEND;
    const messages: string[] = [];
    const choice = await initBackend({ log: (m) => messages.push(m) });
    expect(['tensorflow', 'wasm']).toContain(choice.name);
    expect(tf.getBackend()).toBe(choice.name);
    expect(messages.join('\n')).toContain(`'${choice.name}'`);
  });

  it('honours NOETHER_BACKEND', async () => {
    process.env.NOETHER_BACKEND = 'cpu';
    const choice = await initBackend({ log: () => {} });
    expect(choice).toEqual({ name: 'cpu', reason: 'forced by NOETHER_BACKEND' });
    expect(tf.getBackend()).toBe('cpu');
  });

  it('rejects an unknown backend name, naming the function and the argument', async () => {
    await expect(initBackend({ backend: 'gpu' as never, log: () => {} })).rejects.toThrow(
      /initBackend\(\): argument 'options.backend' must be one of tensorflow, wasm, cpu, got "gpu"/,
    );
    await expect(initBackend({ backend: 'gpu' as never, log: () => {} })).rejects.toBeInstanceOf(
      AutodiffError,
    );
  });

  it('reports a forced backend that cannot load instead of falling back (or loads it when installed)', async () => {
    // tfjs-node is optional: present after `pnpm setup:tfjs-node`, absent on a fresh install.
    const moduleName = '@tensorflow/tfjs-node';
    const installed = await import(/* @vite-ignore */ moduleName).then(
      () => true,
      () => false,
    );
    if (installed) {
      const choice = await initBackend({ backend: 'tensorflow', log: () => {} });
      expect(choice.name).toBe('tensorflow');
      expect(tf.getBackend()).toBe('tensorflow');
    } else {
      await expect(initBackend({ backend: 'tensorflow', log: () => {} })).rejects.toThrow(/cannot be loaded/);
    }
  });

  it('rejects a thread count that is not a positive integer, naming the argument', async () => {
    for (const threads of [0, 1.5, -2, Number.NaN]) {
      await expect(initBackend({ backend: 'cpu', threads, log: () => {} })).rejects.toThrow(
        /initBackend\(\): argument 'options.threads' must be a positive integer, got/,
      );
    }
    process.env.NOETHER_THREADS = 'two';
    try {
      await expect(initBackend({ backend: 'cpu', log: () => {} })).rejects.toThrow(
        /argument 'NOETHER_THREADS' must be a positive integer, got "two"/,
      );
    } finally {
      delete process.env.NOETHER_THREADS;
    }
  });

  // TensorFlow reads its thread count once, when tfjs-node loads: each count needs a fresh process. The
  // process's thread count (Linux /proc) grows with the intra-op pool, which is what `threads` sets.
  const probe = (threads: number): number => {
    const index = path.join(path.dirname(fileURLToPath(import.meta.url)), 'index.ts');
    const code = [
      "import * as tf from '@tensorflow/tfjs';",
      "import fs from 'node:fs';",
      `const { initBackend } = await import(${JSON.stringify(index)});`,
      `await initBackend({ backend: 'tensorflow', threads: ${threads}, log: () => {} });`,
      'const a = tf.randomNormal([512, 512]);',
      'for (let i = 0; i < 5; i++) tf.matMul(a, a).dataSync();',
      "console.log(JSON.stringify({ env: process.env.TF_NUM_INTRAOP_THREADS, tasks: fs.readdirSync('/proc/self/task').length }));",
    ].join('\n');
    const res = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    const line = res.stdout.split('\n').find((l) => l.startsWith('{'));
    if (res.status !== 0 || line === undefined) throw new Error(`threads probe failed: ${res.stderr}`);
    const { env, tasks } = JSON.parse(line) as { env: string; tasks: number };
    expect(env).toBe(String(threads));
    return tasks;
  };

  it('sets the tensorflow intra-op thread count before tfjs-node loads', async () => {
    const moduleName = '@tensorflow/tfjs-node'; // optional, as above
    const installed = await import(/* @vite-ignore */ moduleName).then(
      () => true,
      () => false,
    );
    if (!installed || !fs.existsSync('/proc/self/task')) return;
    expect(probe(6) - probe(1)).toBeGreaterThanOrEqual(4);
  }, 120_000);
});
