import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// In `pnpm test:tensorflow` as well (each probe is its own process, so that suite's backend routing does not
// reach it); a skip without tfjs-node.
describe('initBackend({ threads })', () => {
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
