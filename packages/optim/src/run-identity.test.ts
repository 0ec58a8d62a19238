import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryCheckpointStore } from './checkpoint';
import type { Checkpoint, CheckpointStore } from './checkpoint';
import { OptimError } from './errors';
import { fileCheckpointStore } from './file-checkpoint-store';
import { adamOptimizer, lbfgsOptimizer } from './optimizers';
import { canonicalJson, settingsHash } from './settings-hash';
import { createTrainer, train } from './trainer';

beforeAll(async () => {
  await tf.setBackend('cpu');
});
const dir = mkdtempSync(join(tmpdir(), 'optim-identity-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Fit w so that x w ≈ y; `scale` multiplies the loss (a setting that changes the result, like lambda). */
function problem(seed: number, scale = 1) {
  const x = tf.tensor2d([0.1, 0.5, -0.3, 0.9, -0.2, 0.4], [3, 2]);
  const y = tf.tensor2d([0.5, -0.1, 0.7], [3, 1]);
  const w = tf.variable(tf.randomNormal([2, 1], 0, 1, 'float32', seed));
  const loss = () => ({ data: tf.mul(scale, tf.mean(tf.square(tf.sub(tf.matMul(x, w), y)))) as tf.Scalar });
  return { vars: [w], loss, dispose: () => tf.dispose([x, y, w]) };
}

describe('run identity', () => {
  it('hashes canonical settings: key order does not matter, every value does', () => {
    expect(canonicalJson({ b: 1, a: [2, { d: 3, c: 4 }] })).toBe('{"a":[2,{"c":4,"d":3}],"b":1}');
    const a = settingsHash({ case: 'kdv', lambda: 10, seed: 0 });
    expect(a).toMatch(/^[0-9a-f]{16}$/);
    expect(settingsHash({ seed: 0, lambda: 10, case: 'kdv' })).toBe(a);
    expect(settingsHash({ case: 'kdv', lambda: 1, seed: 0 })).not.toBe(a);
    // FNV-1a 64 of the empty object's text '{}', computed independently: offset basis, xor, multiply.
    let h = 0xcbf29ce484222325n;
    for (const c of '{}') h = ((h ^ BigInt(c.charCodeAt(0))) * 0x100000001b3n) % 2n ** 64n;
    expect(settingsHash({})).toBe(h.toString(16).padStart(16, '0'));
    expect(() => canonicalJson({ lambda: NaN })).toThrow(
      /canonicalJson\(\): 'settings.lambda' must be JSON data .* got NaN/,
    );
  });

  it('refuses to resume a checkpoint written with another setting, naming it', async () => {
    const store = memoryCheckpointStore();
    const p = problem(1);
    const t1 = createTrainer({ variables: p.vars, loss: p.loss, optimizer: adamOptimizer() });
    await train(t1, { steps: 3, checkpoint: { store, every: 1, settings: { lambda: 10, seed: 1 } } });
    const t2 = createTrainer({ variables: p.vars, loss: p.loss, optimizer: adamOptimizer() });
    const e = await train(t2, {
      steps: 6,
      checkpoint: { store, every: 1, settings: { lambda: 1, seed: 1 } },
    }).catch((error: unknown) => error as OptimError);
    expect(e).toBeInstanceOf(OptimError);
    expect((e as OptimError).code).toBe('CHECKPOINT_MISMATCH');
    expect((e as OptimError).message).toBe(
      'train(): the checkpoint belongs to another run; differing settings: lambda: 10 -> 1 (remove the checkpoint or restore the settings)',
    );
    // the same settings resume
    const r = await train(t2, {
      steps: 6,
      checkpoint: { store, every: 1, settings: { seed: 1, lambda: 10 } },
    });
    expect(r.resumedFrom).toBe(3);
    t1.dispose();
    t2.dispose();
    p.dispose();
  });

  it('counts evaluations over the whole run across a resume', async () => {
    const make = () => lbfgsOptimizer({ historySize: 5, gradTol: 0, changeTol: 0 });
    const ref = problem(2);
    const whole = await train(createTrainer({ variables: ref.vars, loss: ref.loss, optimizer: make() }), {
      steps: 6,
    });
    const store = memoryCheckpointStore();
    const p = problem(2);
    await train(createTrainer({ variables: p.vars, loss: p.loss, optimizer: make() }), {
      steps: 3,
      checkpoint: { store, every: 1 },
    });
    const q = problem(2);
    const resumed = await train(createTrainer({ variables: q.vars, loss: q.loss, optimizer: make() }), {
      steps: 6,
      checkpoint: { store, every: 1 },
    });
    expect(resumed.resumedFrom).toBe(3);
    expect(whole.evaluations).toBeGreaterThan(6);
    expect(resumed.evaluations).toBe(whole.evaluations);
    for (const x of [ref, p, q]) x.dispose();
  });

  it('keeps training when a checkpoint save fails and reports the failure', async () => {
    let saves = 0;
    const failing: CheckpointStore = {
      load: async () => null,
      save: async () => {
        saves++;
        throw new Error('ENOSPC: no space left on device');
      },
    };
    const p = problem(3);
    const r = await train(createTrainer({ variables: p.vars, loss: p.loss, optimizer: adamOptimizer() }), {
      steps: 5,
      checkpoint: { store: failing, every: 2 },
    });
    expect(r.status).toBe('ok');
    expect(r.steps).toBe(5);
    expect(saves).toBe(3);
    expect(r.checkpointError?.message).toMatch(/ENOSPC/);
    p.dispose();
  });

  it('does not save a non-finite state as the state to resume from', async () => {
    const store = memoryCheckpointStore();
    const w = tf.variable(tf.scalar(3));
    // finite for w > 2; one Adam step of 2 makes it NaN
    const loss = () => ({ bad: tf.log(tf.sub(w, 2)) as tf.Scalar });
    const trainer = createTrainer({ variables: [w], loss, optimizer: adamOptimizer({ learningRate: 2 }) });
    const r = await train(trainer, { steps: 10, checkpoint: { store, every: 1 } });
    expect(r.status).toBe('non-finite');
    const saved = (await store.load()) as Checkpoint;
    expect(saved.step).toBeLessThan(r.steps);
    expect(saved.history.every((h) => Number.isFinite(h.loss))).toBe(true);
    expect(r.keptLastFiniteCheckpoint).toBe(true);
    trainer.dispose();
    w.dispose();
  });
});

describe('fileCheckpointStore on hostile paths', () => {
  it('refuses a checkpoint path that is a planted symbolic link, leaving its target alone', async () => {
    const victim = join(dir, 'victim.txt');
    writeFileSync(victim, 'precious');
    mkdirSync(join(dir, 'ck'));
    symlinkSync(victim, join(dir, 'ck', 'run.ckpt.json'));
    const store = fileCheckpointStore(join(dir, 'ck', 'run.ckpt.json'));
    const p = problem(4);
    const r = await train(createTrainer({ variables: p.vars, loss: p.loss, optimizer: adamOptimizer() }), {
      steps: 2,
      checkpoint: { store, every: 1, resume: false },
    });
    expect(r.checkpointError).toBeInstanceOf(OptimError);
    expect((r.checkpointError as OptimError).code).toBe('IO');
    expect(r.checkpointError?.message).toMatch(/symbolic link/);
    expect(readFileSync(victim, 'utf8')).toBe('precious');
    p.dispose();
  });

  it('refuses to load /dev/zero or an oversized file as a checkpoint', async () => {
    symlinkSync('/dev/zero', join(dir, 'zero.json'));
    await expect(fileCheckpointStore(join(dir, 'zero.json')).load()).rejects.toThrow(/not a regular file/);
    writeFileSync(join(dir, 'big.json'), 'x'.repeat(2000));
    const e = await fileCheckpointStore(join(dir, 'big.json'), { maxBytes: 1000 })
      .load()
      .catch((error: unknown) => error as OptimError);
    expect((e as OptimError).code).toBe('LIMIT_EXCEEDED');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
