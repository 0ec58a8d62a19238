import { execFileSync, spawnSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDeflateRaw } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { DatasetsError } from '../errors';
import { crc32 } from './crc32';
import { loadNpy, loadNpz, saveNpz } from './files';
import { encodeNpy } from './npy';
import { readZip, writeZip } from './zip';

const dir = mkdtempSync(join(tmpdir(), 'noether-hostile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const errorOf = async (f: () => unknown): Promise<DatasetsError> => {
  try {
    await f();
  } catch (error) {
    expect(error).toBeInstanceOf(DatasetsError);
    return error as DatasetsError;
  }
  throw new Error('expected a DatasetsError');
};

/** Raw deflate of `n` zero bytes, streamed (1 GiB of zeros deflates to ~1 MB). */
async function deflateZeros(n: number): Promise<Buffer> {
  const d = createDeflateRaw({ level: 9 });
  const chunks: Buffer[] = [];
  d.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise((resolve) => d.on('end', resolve));
  const block = Buffer.alloc(1 << 20);
  for (let left = n; left > 0; left -= block.length)
    d.write(left >= block.length ? block : block.subarray(0, left));
  d.end();
  await done;
  return Buffer.concat(chunks);
}

interface RawMember {
  name: string;
  method: number;
  crc: number;
  usize: number;
  data: Uint8Array;
}

/** A zip whose central directory says whatever the member records say (for forged archives). */
function forgeZip(members: RawMember[], share = false): Uint8Array {
  const parts: Uint8Array[] = [];
  const offsets: number[] = [];
  let o = 0;
  members.forEach((m, i) => {
    if (share && i > 0) {
      offsets.push(offsets[0]!);
      return;
    }
    const name = new TextEncoder().encode(m.name);
    const h = new Uint8Array(30 + name.length);
    const v = new DataView(h.buffer);
    v.setUint32(0, 0x04034b50, true);
    v.setUint16(4, 20, true);
    v.setUint16(8, m.method, true);
    v.setUint32(14, m.crc, true);
    v.setUint32(18, m.data.length, true);
    v.setUint32(22, m.usize, true);
    v.setUint16(26, name.length, true);
    h.set(name, 30);
    offsets.push(o);
    parts.push(h, m.data);
    o += h.length + m.data.length;
  });
  const cdStart = o;
  members.forEach((m, i) => {
    const name = new TextEncoder().encode(share ? members[0]!.name : m.name);
    const c = new Uint8Array(46 + name.length);
    const v = new DataView(c.buffer);
    v.setUint32(0, 0x02014b50, true);
    v.setUint16(10, m.method, true);
    v.setUint32(16, m.crc, true);
    v.setUint32(20, m.data.length, true);
    v.setUint32(24, m.usize, true);
    v.setUint16(28, name.length, true);
    v.setUint32(42, offsets[i]!, true);
    if (share) c.set(new TextEncoder().encode(`${i}`.padStart(name.length, '_')), 46);
    else c.set(name, 46);
    parts.push(c);
    o += c.length;
  });
  const end = new Uint8Array(22);
  const v = new DataView(end.buffer);
  v.setUint32(0, 0x06054b50, true);
  v.setUint16(8, members.length, true);
  v.setUint16(10, members.length, true);
  v.setUint32(12, o - cdStart, true);
  v.setUint32(16, cdStart, true);
  parts.push(end);
  return Buffer.concat(parts);
}

describe('hostile .npz files', () => {
  it('refuse a 1 MB npz that inflates to more than 1 GiB before inflating it (LIMIT_EXCEEDED)', async () => {
    const usize = 2 ** 30 + 4096;
    const data = await deflateZeros(usize);
    expect(data.length).toBeLessThan(1.1e6);
    const path = join(dir, 'bomb.npz');
    writeFileSync(path, forgeZip([{ name: 'x.npy', method: 8, crc: 0, usize, data }]));
    const before = process.memoryUsage().arrayBuffers;
    const e = await errorOf(() => loadNpz(path));
    expect(e.code).toBe('LIMIT_EXCEEDED');
    expect(e.message).toBe(
      `readZip(): file '${path}' declares ${usize} uncompressed bytes, more than the limit of ${2 ** 30} (option maxBytes)`,
    );
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64e6);
  }, 30_000);

  it('stop inflating at the declared size when a member lies about it (FORMAT)', async () => {
    const data = await deflateZeros(64 << 20);
    const path = join(dir, 'liar.npz');
    writeFileSync(path, forgeZip([{ name: 'x.npy', method: 8, crc: 0, usize: 1000, data }]));
    const e = await errorOf(() => loadNpz(path));
    expect(e.code).toBe('FORMAT');
    expect(e.message).toMatch(/member 'x.npy' (inflates to more than the 1000 bytes|declares 1000 bytes)/);
  });

  it('refuse members that share one compressed stream (overlapping zip bomb)', async () => {
    const npy = encodeNpy({ data: new Float64Array(1000), shape: [1000] });
    const data = await new Promise<Buffer>((resolve) => {
      const d = createDeflateRaw();
      const c: Buffer[] = [];
      d.on('data', (b: Buffer) => c.push(b)).on('end', () => resolve(Buffer.concat(c)));
      d.end(npy);
    });
    const m = { name: 'x.npy', method: 8, crc: crc32(npy), usize: npy.length, data };
    const path = join(dir, 'overlap.npz');
    writeFileSync(path, forgeZip([m, m, m, m], true));
    const e = await errorOf(() => loadNpz(path));
    expect(e.code).toBe('FORMAT');
    expect(e.message).toMatch(/overlap/);
  });

  it('refuse declared sizes deflate cannot produce, duplicate names, and stored size mismatches', async () => {
    const bytes = new Uint8Array(100);
    const stored = { name: 'a.npy', method: 0, crc: crc32(bytes), usize: 100, data: bytes };
    expect((await errorOf(() => readZip(forgeZip([{ ...stored, usize: 5000 }]), 'm.npz'))).message).toMatch(
      /stored member 'a.npy' declares 5000 bytes but holds 100/,
    );
    expect(
      (await errorOf(() => readZip(forgeZip([{ ...stored, method: 8, usize: 4e9 }]), 'm.npz'))).message,
    ).toMatch(/more than deflate can produce/);
    expect((await errorOf(() => readZip(forgeZip([stored, stored]), 'm.npz'))).message).toMatch(
      /member 'a.npy' appears twice/,
    );
  });

  it('say that a zip without .npy arrays is not an npz (not "npz with 0 arrays")', async () => {
    const path = join(dir, 'plain.zip');
    writeFileSync(path, writeZip([{ name: 'readme.txt', data: new TextEncoder().encode('hi') }]));
    const e = await errorOf(() => loadNpz(path));
    expect(e.code).toBe('FORMAT');
    expect(e.message).toBe(
      `loadNpz(): file '${path}' is a zip archive but not an npz: members 'readme.txt' are not .npy arrays`,
    );
    writeFileSync(path, writeZip([]));
    expect((await errorOf(() => loadNpz(path))).message).toMatch(/it holds no .npy arrays/);
  });

  it('keep a member named __proto__.npy as data, not as the prototype of the result', () => {
    const path = join(dir, 'proto.npz');
    writeFileSync(
      path,
      writeZip([{ name: '__proto__.npy', data: encodeNpy({ data: Float64Array.of(1), shape: [1] }) }]),
    );
    const c = loadNpz(path);
    expect(Object.keys(c.arrays)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(c.arrays)).toBe(null);
  });

  it('refuse /dev/zero behind a symbolic link, a FIFO and files beyond maxBytes', async () => {
    symlinkSync('/dev/zero', join(dir, 'zero.npy'));
    symlinkSync('/dev/zero', join(dir, 'zero.npz'));
    execFileSync('mkfifo', [join(dir, 'fifo.npz')]);
    for (const f of ['zero.npy', 'zero.npz', 'fifo.npz']) {
      const e = await errorOf(() => (f.endsWith('.npy') ? loadNpy : loadNpz)(join(dir, f)));
      expect(e.code).toBe('IO');
      expect(e.message).toMatch(/not a regular file/);
    }
    const path = join(dir, 'ok.npy');
    writeFileSync(path, encodeNpy({ data: new Float64Array(100), shape: [100] }));
    expect((await errorOf(() => loadNpy(path, { maxBytes: 500 }))).code).toBe('LIMIT_EXCEEDED');
    expect(loadNpy(path, { maxBytes: 1000 }).shape).toEqual([100]);
  });
});

describe('writing datasets into hostile or failing folders', () => {
  const arrays = { u: { data: Float64Array.of(1, 2, 3), shape: [3] } };

  it('refuse to write through a symbolic link planted in a shared output folder', async () => {
    const shared = join(dir, 'shared');
    mkdirSync(shared);
    const victim = join(dir, 'victim.txt');
    writeFileSync(victim, 'precious');
    symlinkSync(victim, join(shared, 'kdv.npz'));
    const e = await errorOf(() => saveNpz(join(shared, 'kdv.npz'), arrays));
    expect(e.code).toBe('IO');
    expect(e.message).toMatch(/symbolic link/);
    expect(readFileSync(victim, 'utf8')).toBe('precious');
  });

  const mnt = mkdtempSync(join(dir, 'full-'));
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mnt]).status === 0;
  it.runIf(mounted)(
    'on a full disk fail with IO and keep the previous good file (not a truncated one)',
    async () => {
      try {
        const path = join(mnt, 'data.npz');
        saveNpz(path, arrays);
        const good = readFileSync(path);
        const e = await errorOf(() =>
          saveNpz(path, { u: { data: new Float64Array(20_000), shape: [20_000] } }),
        );
        expect(e.code).toBe('IO');
        expect(e.message).toMatch(/ENOSPC/);
        expect(readFileSync(path).equals(good)).toBe(true);
        expect(readdirSync(mnt)).toEqual(['data.npz']);
      } finally {
        execFileSync('umount', [mnt]);
      }
    },
  );
});
