import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DatasetsError } from '../errors';
import { generateTrajectories } from '../generate-trajectories';
import { solveAdvection2d } from '../pde/advection';
import { solveWave1d } from '../pde/wave';
import { planarThreeBody } from '../systems/n-body';
import { crc32 } from './crc32';
import { loadPdeSolution, loadTrajectories, savePdeSolution, saveTrajectories } from './dataset-files';
import { loadNpy, loadNpz, saveNpy, saveNpz } from './files';
import { readPdeBench, writePdeBench } from './hdf5';
import { decodeNpy, encodeNpy } from './npy';
import { readZip, writeZip } from './zip';

const dir = mkdtempSync(join(tmpdir(), 'noether-datasets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const latin1 = (b: Uint8Array) => Buffer.from(b).toString('latin1');

describe('.npy', () => {
  it('writes the header NumPy writes: magic, version 1.0, 64-byte aligned dict, newline', () => {
    const b = encodeNpy({ data: new Float64Array(6), shape: [2, 3] });
    const dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }";
    expect(latin1(b.subarray(0, 8))).toBe('\x93NUMPY\x01\x00');
    expect(b[8]! + 256 * b[9]!).toBe(118);
    expect(latin1(b.subarray(10, 128))).toBe(dict + ' '.repeat(118 - dict.length - 1) + '\n');
    expect(b.length).toBe(128 + 48);
    const one = latin1(encodeNpy({ data: new Float32Array(5), shape: [5] }).subarray(10, 128));
    expect(one.startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (5,), }")).toBe(true);
    const scalar = latin1(encodeNpy({ data: Int32Array.of(7), shape: [] }).subarray(10, 64));
    expect(scalar).toContain("'shape': ()");
  });

  it('round-trips every supported dtype and shape', () => {
    const cases = [
      { data: Float64Array.of(1.5, -2, Math.PI, 1e-300), shape: [2, 2] },
      { data: Float32Array.of(1, 2, 3), shape: [3] },
      { data: Int32Array.of(-1, 2, 3, 4, 5, 6), shape: [1, 2, 3] },
      { data: Uint8Array.of(0, 255), shape: [2] },
      { data: BigInt64Array.of(-5n, 1n << 40n), shape: [2] },
      { data: new Float64Array(0), shape: [0, 3] },
    ];
    for (const a of cases) {
      const back = decodeNpy(encodeNpy(a), 'mem.npy');
      expect(back.shape).toEqual(a.shape);
      expect(back.data.constructor).toBe(a.data.constructor);
      expect(Array.from(back.data as ArrayLike<number>)).toEqual(Array.from(a.data as ArrayLike<number>));
    }
  });

  it('reads Fortran-order files into C order', () => {
    const dict = "{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3), }";
    const header = dict + ' '.repeat(118 - dict.length - 1) + '\n';
    const b = new Uint8Array(128 + 48);
    b.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, 118, 0]);
    for (let i = 0; i < header.length; i++) b[10 + i] = header.charCodeAt(i);
    new Float64Array(b.buffer, 128, 6).set([1, 4, 2, 5, 3, 6]); // column-major [[1,2,3],[4,5,6]]
    expect(Array.from(decodeNpy(b, 'f.npy').data as Float64Array)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('rejects bad, truncated and unsupported files with the file name and the problem', () => {
    const good = encodeNpy({ data: new Float64Array(6), shape: [2, 3] });
    expect(() => decodeNpy(good.subarray(0, good.length - 8), 'cut.npy')).toThrow(
      /'cut.npy' is truncated: shape \[2, 3\] needs 48 data bytes, found 40/,
    );
    expect(() => decodeNpy(good.subarray(0, 50), 'head.npy')).toThrow(
      /'head.npy' is truncated inside the header/,
    );
    expect(() => decodeNpy(new TextEncoder().encode('hello world, not numpy'), 'x.npy')).toThrow(/bad magic/);
    const big = Uint8Array.from(good);
    big[10 + "{'descr': '".length] = '>'.charCodeAt(0);
    try {
      decodeNpy(big, 'be.npy');
      expect.unreachable();
    } catch (e) {
      expect((e as DatasetsError).code).toBe('UNSUPPORTED');
    }
    const bad = Uint8Array.from(good);
    bad.set(new TextEncoder().encode('xxxxx'), 12);
    expect(() => decodeNpy(bad, 'm.npy')).toThrow(/malformed header/);
  });

  it('saves and loads files atomically, leaving no temporary files', () => {
    const p = join(dir, 'a.npy');
    saveNpy(p, { data: Float64Array.of(1, 2), shape: [2] });
    saveNpy(p, { data: Float64Array.of(3, 4, 5), shape: [3] });
    expect(Array.from(loadNpy(p).data as Float64Array)).toEqual([3, 4, 5]);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp'))).toEqual([]);
    expect(() => loadNpy(join(dir, 'missing.npy'))).toThrow(/cannot read '.*missing.npy'/);
    expect(() => saveNpy(join(dir, 'no/such/dir/x'), { data: Float64Array.of(1), shape: [1] })).toThrow(
      DatasetsError,
    );
  });
});

describe('zip and .npz', () => {
  it('computes the standard CRC-32 check value', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });

  it('round-trips archives and detects truncation and corruption', () => {
    const entries = [
      { name: 'a.npy', data: encodeNpy({ data: Float64Array.of(1, 2, 3), shape: [3] }) },
      { name: 'b.txt', data: new TextEncoder().encode('hello') },
    ];
    const z = writeZip(entries);
    const back = readZip(z, 'mem.zip');
    expect(back.map((e) => e.name)).toEqual(['a.npy', 'b.txt']);
    expect(new TextDecoder().decode(back[1]!.data)).toBe('hello');
    expect(() => readZip(z.subarray(0, z.length - 30), 'cut.npz')).toThrow(
      /'cut.npz' is not a valid zip\/npz archive/,
    );
    const flipped = Uint8Array.from(z);
    flipped[30 + 5 + 130] = flipped[30 + 5 + 130]! ^ 0xff; // a data byte of a.npy
    expect(() => readZip(flipped, 'crc.npz')).toThrow(/member 'a.npy' fails its CRC-32 check/);
  });

  it('saves arrays with JSON metadata and loads them back', () => {
    const p = join(dir, 'd.npz');
    saveNpz(
      p,
      { u: { data: Float64Array.of(1, 2, 3, 4), shape: [2, 2] }, n: { data: Int32Array.of(7), shape: [] } },
      { pde: 'test', n: 7 },
    );
    const c = loadNpz(p);
    expect(c.arrays.u!.shape).toEqual([2, 2]);
    expect(Array.from(c.arrays.n!.data as Int32Array)).toEqual([7]);
    expect(c.metadata).toEqual({ pde: 'test', n: 7 });
    writeFileSync(join(dir, 'short.npz'), readFileSync(p).subarray(0, 100));
    expect(() => loadNpz(join(dir, 'short.npz'))).toThrow(/short.npz/);
  });

  it('writes byte-identical trajectory files for the same seed', () => {
    const gen = (seed: number) =>
      generateTrajectories(planarThreeBody(), { count: 2, samples: 4, sampleDt: 0.1, seed, noise: 0.001 });
    saveTrajectories(join(dir, 't1.npz'), gen(5));
    saveTrajectories(join(dir, 't2.npz'), gen(5));
    saveTrajectories(join(dir, 't3.npz'), gen(6));
    const [a, b, c] = ['t1', 't2', 't3'].map((n) => readFileSync(join(dir, `${n}.npz`)));
    expect(a!.equals(b!)).toBe(true);
    expect(a!.equals(c!)).toBe(false);
    const back = loadTrajectories(join(dir, 't1.npz'));
    expect(back.shape).toEqual([2, 4, 12]);
    expect(back.seed).toBe(5);
    expect(() => loadPdeSolution(join(dir, 't1.npz'))).toThrow(/is not a PDE dataset/);
  });

  it('round-trips PDE solutions (1D with extra fields, 2D) and rejects mismatched shapes', () => {
    const w = solveWave1d((x) => Math.exp(-((x - 1) ** 2) * 10), {
      points: 32,
      speed: 1,
      times: [0, 0.1, 0.2],
    });
    savePdeSolution(join(dir, 'w.npz'), w, { note: 'x' });
    const wb = loadPdeSolution(join(dir, 'w.npz'));
    expect(Array.from(wb.u)).toEqual(Array.from(w.u));
    expect(Array.from(wb.fields.v!)).toEqual(Array.from(w.fields.v!));
    expect(Array.from(wb.conserved.energy!)).toEqual(Array.from(w.conserved.energy!));
    expect(wb.metadata.note).toBe('x');
    const a = solveAdvection2d((x, y) => x + y, { points: [4, 6], velocity: [0, 0], times: [0, 1] });
    savePdeSolution(join(dir, 'a.npz'), a);
    expect(loadPdeSolution(join(dir, 'a.npz')).shape).toEqual([2, 4, 6]);
    // a file whose u disagrees with x and t
    const c = loadNpz(join(dir, 'w.npz'));
    saveNpz(
      join(dir, 'bad.npz'),
      { ...c.arrays, u: { data: new Float64Array(6), shape: [2, 3] } },
      c.metadata as Record<string, unknown>,
    );
    expect(() => loadPdeSolution(join(dir, 'bad.npz'))).toThrow(
      /array 'u' has shape \[2, 3\], expected \[3, 32\]/,
    );
  });
});

describe('PDEBench HDF5', () => {
  it('reads tensor, x-coordinate and t-coordinate from a file written with h5wasm', async () => {
    const h5wasm = await import('h5wasm/node');
    await h5wasm.ready;
    const p = join(dir, 'pdebench.h5');
    const f = new h5wasm.File(p, 'w');
    const tensor = Float32Array.from({ length: 2 * 3 * 4 }, (_, i) => i / 10);
    f.create_dataset({ name: 'tensor', data: tensor, shape: [2, 3, 4] });
    f.create_dataset({ name: 'x-coordinate', data: Float32Array.of(0.125, 0.375, 0.625, 0.875) });
    f.create_dataset({ name: 't-coordinate', data: Float32Array.of(0, 0.5, 1, 1.5) });
    f.close();
    const d = await readPdeBench(p);
    expect(d.tensor.shape).toEqual([2, 3, 4]);
    expect(d.tensor.data[5]).toBeCloseTo(0.5, 6);
    expect(Array.from(d.x)).toEqual([0.125, 0.375, 0.625, 0.875]);
    expect(d.t.length).toBe(4);

    const g = new h5wasm.File(join(dir, 'nox.h5'), 'w');
    g.create_dataset({ name: 'tensor', data: tensor, shape: [2, 3, 4] });
    g.close();
    await expect(readPdeBench(join(dir, 'nox.h5'))).rejects.toThrow(
      /'.*nox.h5' has no dataset 'x-coordinate'/,
    );
    writeFileSync(join(dir, 'junk.h5'), 'not hdf5 at all');
    await expect(readPdeBench(join(dir, 'junk.h5'))).rejects.toThrow(/not a readable HDF5 file/);
    await expect(readPdeBench(join(dir, 'none.h5'))).rejects.toThrow(/cannot read '.*none.h5': ENOENT/);
    expect(existsSync(p)).toBe(true);
  });

  it('writePdeBench writes the PDEBench layout that readPdeBench reads back exactly, with dtypes and attributes', async () => {
    const p = join(dir, 'written.h5');
    const tensor = Float64Array.from({ length: 2 * 3 * 4 }, (_, i) => Math.sin(i) / 3);
    const x = Float64Array.of(0.125, 0.375, 0.625, 0.875);
    const t = Float64Array.of(0, 0.1, 0.2);
    await writePdeBench(p, { tensor, shape: [2, 3, 4], x, t }, { pde: 'test', seed: 7 });
    const d = await readPdeBench(p);
    expect(d.tensor.shape).toEqual([2, 3, 4]);
    expect(Array.from(d.tensor.data as Float64Array)).toEqual(Array.from(tensor)); // float64: bit-exact
    expect(Array.from(d.x)).toEqual(Array.from(x));
    expect(Array.from(d.t)).toEqual(Array.from(t));
    expect(d.datasets).toEqual([
      { name: 't-coordinate', dtype: 'float64', shape: [3] },
      { name: 'tensor', dtype: 'float64', shape: [2, 3, 4] },
      { name: 'x-coordinate', dtype: 'float64', shape: [4] },
    ]);
    expect(d.attributes).toEqual({ pde: 'test', seed: 7 });
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
    // 2D: y-coordinate; and the shape is checked against the arrays.
    const p2 = join(dir, 'written2d.h5');
    await writePdeBench(p2, {
      tensor: new Float64Array(1 * 2 * 3 * 2),
      shape: [1, 2, 3, 2],
      x: Float64Array.of(0, 1, 2),
      y: Float64Array.of(0, 1),
      t: Float64Array.of(0, 1),
    });
    expect(Array.from((await readPdeBench(p2)).y!)).toEqual([0, 1]);
    await expect(writePdeBench(p2, { tensor, shape: [2, 3, 4], x, t: Float64Array.of(0) })).rejects.toThrow(
      /argument 't' must hold 3 values \(nt\), got 1/,
    );
  });
});
