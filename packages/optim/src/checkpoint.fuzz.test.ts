import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { checkCheckpoint, decodeFloat32, encodeFloat32 } from './checkpoint';
import { OptimError } from './errors';
import { fileCheckpointStore } from './file-checkpoint-store';
import { canonicalJson, settingsHash } from './settings-hash';

const runs = Number(process.env.FUZZ_RUNS ?? 200);
const seed = process.env.FUZZ_RUNS ? Date.now() : 20260101;
const dir = mkdtempSync(join(tmpdir(), 'optim-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ownErrorOnly = (error: unknown) => {
  if (!(error instanceof OptimError)) throw error;
};

describe('fuzz: checkpoint decoding and settings', () => {
  it('decodeFloat32 round-trips float32 data and refuses anything else with OptimError', () => {
    fc.assert(
      fc.property(fc.float32Array({ maxLength: 20 }), (a) => {
        const back = decodeFloat32(encodeFloat32(a));
        expect(Array.from(back)).toEqual(Array.from(a));
      }),
      { numRuns: runs, seed },
    );
    fc.assert(
      fc.property(
        fc.anything(),
        fc.array(fc.integer({ min: -2, max: 5 }), { maxLength: 3 }),
        (data, shape) => {
          try {
            decodeFloat32({ data, shape } as never);
          } catch (error) {
            ownErrorOnly(error);
          }
        },
      ),
      { numRuns: runs, seed },
    );
  });

  it('checkCheckpoint accepts or refuses any JSON value with OptimError FORMAT', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        try {
          checkCheckpoint(v, 'fuzz');
        } catch (error) {
          ownErrorOnly(error);
        }
      }),
      { numRuns: runs, seed },
    );
  });

  it('fileCheckpointStore.load returns null, a checkpoint or an OptimError for any file content', async () => {
    const path = join(dir, 'ck.json');
    const store = fileCheckpointStore(path);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 200 }),
          fc.jsonValue().map((v) => JSON.stringify(v)),
        ),
        async (content) => {
          writeFileSync(path, content);
          try {
            await store.load();
          } catch (error) {
            ownErrorOnly(error);
          }
        },
      ),
      { numRuns: Math.min(runs, process.env.FUZZ_RUNS ? runs : 60), seed },
    );
  });

  it('settingsHash is independent of key order and canonicalJson refuses non-JSON values with OptimError', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 2 })), (o) => {
        const reversed = Object.fromEntries(Object.entries(o).reverse());
        expect(settingsHash(reversed)).toBe(settingsHash(o));
        expect(JSON.parse(canonicalJson(o))).toEqual(JSON.parse(JSON.stringify(o)));
      }),
      { numRuns: runs, seed },
    );
    fc.assert(
      fc.property(fc.anything(), (v) => {
        try {
          canonicalJson(v);
        } catch (error) {
          ownErrorOnly(error);
        }
      }),
      { numRuns: runs, seed },
    );
  });
});
