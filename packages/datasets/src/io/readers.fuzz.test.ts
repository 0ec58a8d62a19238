import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { DatasetsError } from '../errors';
import { loadNpz, saveNpz } from './files';
import { readPdeBench } from './hdf5';
import { decodeNpy, encodeNpy } from './npy';
import { readZip, writeZip } from './zip';

// Bounded in `pnpm test`; `pnpm fuzz` runs FUZZ_RUNS (default there 20000) cases per property.
const runs = Number(process.env.FUZZ_RUNS ?? 150);
// A fixed seed in `pnpm test` (reproducible); `pnpm fuzz` explores new cases each run (seed printed on failure).
const seed = process.env.FUZZ_RUNS ? Date.now() : 20260101;
/** File-backed properties are slower: fewer cases in `pnpm test`. */
const fileRuns = process.env.FUZZ_RUNS ? runs : 40;
const dir = mkdtempSync(join(tmpdir(), 'noether-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Random edits of a valid file: overwritten bytes, then an optional truncation or appended garbage. */
const mutation = fc.record({
  edits: fc.array(fc.record({ at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }), { maxLength: 6 }),
  cut: fc.option(fc.nat()),
  tail: fc.uint8Array({ maxLength: 16 }),
});
function mutate(
  bytes: Uint8Array,
  m: { edits: { at: number; value: number }[]; cut: number | null; tail: Uint8Array },
) {
  const out = Uint8Array.from(bytes);
  for (const e of m.edits) if (out.length) out[e.at % out.length] = e.value;
  const cut = m.cut === null ? out.length : m.cut % (out.length + 1);
  const res = new Uint8Array(cut + m.tail.length);
  res.set(out.subarray(0, cut));
  res.set(m.tail, cut);
  return res;
}

/** The property every reader keeps: a result or a DatasetsError, never a TypeError/RangeError, and quickly. */
function resultOrOwnError(f: () => unknown): boolean {
  const start = performance.now();
  try {
    f();
  } catch (error) {
    if (!(error instanceof DatasetsError)) throw error;
  }
  expect(performance.now() - start).toBeLessThan(2000);
  return true;
}

const validNpy = [
  encodeNpy({ data: Float64Array.of(1, 2, 3, 4, 5, 6), shape: [2, 3] }),
  encodeNpy({ data: Int32Array.of(7), shape: [] }),
  encodeNpy({ data: new Float32Array(40), shape: [2, 4, 5] }),
];
const validZip = writeZip([
  { name: 'u.npy', data: validNpy[0] },
  { name: 'metadata.json', data: new TextEncoder().encode('{"kind":"pde"}') },
]);

describe('fuzz: file readers return a result or DatasetsError', () => {
  it('decodeNpy on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (b) => resultOrOwnError(() => decodeNpy(b, 'r.npy'))),
      {
        numRuns: runs,
      },
    );
  });

  it('decodeNpy on mutated valid files (headers, shapes, dtypes, truncations)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...validNpy), mutation, (b, m) =>
        resultOrOwnError(() => decodeNpy(mutate(b, m), 'm.npy')),
      ),
      { numRuns: runs, seed },
    );
  });

  it('decodeNpy on random headers with a valid preamble', () => {
    const dim = fc.oneof(fc.nat(8), fc.integer(), fc.constantFrom(2 ** 31, 2 ** 53, 1e300, -1));
    const structured = fc
      .record({
        order: fc.constantFrom('<', '>', '|', '='),
        code: fc.constantFrom(
          'f8',
          'f4',
          'i8',
          'i4',
          'u4',
          'i2',
          'u2',
          'i1',
          'u1',
          'b1',
          'c16',
          'O',
          'U10',
          'f16',
        ),
        fortran: fc.constantFrom('True', 'False', 'maybe'),
        shape: fc.array(dim, { maxLength: 4 }),
      })
      .map(
        (h) =>
          `{'descr': '${h.order}${h.code}', 'fortran_order': ${h.fortran}, 'shape': (${h.shape.join(', ')}${h.shape.length === 1 ? ',' : ''}), }`,
      );
    const header = fc.oneof(fc.string({ maxLength: 120 }), structured);
    fc.assert(
      fc.property(header, fc.uint8Array({ maxLength: 64 }), (h, data) => {
        const text = new TextEncoder().encode(h);
        const b = new Uint8Array(10 + text.length + data.length);
        b.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0);
        new DataView(b.buffer).setUint16(8, text.length, true);
        b.set(text, 10);
        b.set(data, 10 + text.length);
        return resultOrOwnError(() => decodeNpy(b, 'h.npy'));
      }),
      { numRuns: runs, seed },
    );
  });

  it('readZip on random bytes and on mutated valid archives, with a 1 MiB cap', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (b) =>
        resultOrOwnError(() => readZip(b, 'r.zip', { maxBytes: 2 ** 20 })),
      ),
      { numRuns: runs, seed },
    );
    fc.assert(
      fc.property(mutation, (m) =>
        resultOrOwnError(() => readZip(mutate(validZip, m), 'm.zip', { maxBytes: 2 ** 20 })),
      ),
      { numRuns: runs, seed },
    );
  });

  it('loadNpz on mutated files written by saveNpz', () => {
    const path = join(dir, 'good.npz');
    saveNpz(path, { u: { data: Float64Array.of(1, 2, 3), shape: [3] } }, { kind: 'x' });
    const good = new Uint8Array(readFileSync(path));
    const target = join(dir, 'fuzz.npz');
    fc.assert(
      fc.property(mutation, (m) => {
        writeFileSync(target, mutate(good, m));
        return resultOrOwnError(() => loadNpz(target, { maxBytes: 2 ** 20 }));
      }),
      { numRuns: fileRuns, seed },
    );
  });
});

describe('fuzz: readPdeBench returns a result or DatasetsError', () => {
  it('on mutated HDF5 files', async () => {
    const good = new Uint8Array(readFileSync(new URL('./fixtures/linked-target.h5', import.meta.url)));
    const target = join(dir, 'fuzz.h5');
    await fc.assert(
      fc.asyncProperty(mutation, async (m) => {
        writeFileSync(target, mutate(good, m));
        try {
          await readPdeBench(target, { maxBytes: 2 ** 20 });
        } catch (error) {
          if (!(error instanceof DatasetsError)) throw error;
        }
        return true;
      }),
      { numRuns: fileRuns, seed },
    );
  }, 60_000);
});
