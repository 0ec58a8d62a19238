import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { FilesError } from './files-error';
import { writeFileAtomic } from './write-file-atomic';

const root = fs.mkdtempSync(join(tmpdir(), 'noether-files-'));
let dir: string;
let counter = 0;
beforeEach(() => {
  dir = join(root, `case-${++counter}`);
  fs.mkdirSync(dir);
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const errorOf = (f: () => unknown): FilesError => {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(FilesError);
    return error as FilesError;
  }
  throw new Error('expected a FilesError');
};
const listing = (d: string) => fs.readdirSync(d).sort();
const big = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 7919) & 255);

/** Tries to mount a tmpfs of `kib` KiB (root only); undefined where mounting is not allowed. */
function mountTmpfs(kib: number, extra = ''): string | undefined {
  const mnt = fs.mkdtempSync(join(root, 'tmpfs-'));
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${kib}k${extra}`, 'tmpfs', mnt]);
  return r.status === 0 ? mnt : undefined;
}
const unmount = (mnt: string) => execFileSync('umount', [mnt]);

describe('writeFileAtomic', () => {
  it('writes a new file and replaces an existing one, saying which, and leaves no temporary file', () => {
    const path = join(dir, 'a.bin');
    const first = writeFileAtomic(path, big(1000));
    expect(first).toEqual({ path, bytes: 1000, replaced: false, staleTempFiles: [] });
    const second = writeFileAtomic(path, 'hello');
    expect(second.replaced).toBe(true);
    expect(fs.readFileSync(path, 'utf8')).toBe('hello');
    expect(listing(dir)).toEqual(['a.bin']);
  });

  it('keeps writing after partial writes until every byte is on disk', () => {
    const path = join(dir, 'chunks.bin');
    const data = big(10_000);
    let calls = 0;
    writeFileAtomic(path, data, {
      fs: {
        writeSync: ((fd: number, buf: Uint8Array, off: number, len: number, pos: number) => {
          calls++;
          return fs.writeSync(fd, buf, off, Math.min(len, 333), pos);
        }) as typeof fs.writeSync,
      },
    });
    expect(calls).toBe(Math.ceil(10_000 / 333));
    expect(new Uint8Array(fs.readFileSync(path))).toEqual(data);
  });

  it('fails on a short write that stops making progress and keeps the previous file', () => {
    const path = join(dir, 'data.npz');
    fs.writeFileSync(path, 'good old file');
    let total = 0;
    const e = errorOf(() =>
      writeFileAtomic(path, big(4096), {
        fs: {
          // a full disk as some file systems report it: part of the bytes, then 0
          writeSync: ((fd: number, buf: Uint8Array, off: number, len: number, pos: number) => {
            const n = total >= 1000 ? 0 : fs.writeSync(fd, buf, off, Math.min(len, 1000), pos);
            total += n;
            return n;
          }) as typeof fs.writeSync,
        },
      }),
    );
    expect(e.code).toBe('IO');
    expect(e.message).toMatch(/writeFileAtomic\(\): cannot write '.*data\.npz': short write: .*1000 of 4096/);
    expect(fs.readFileSync(path, 'utf8')).toBe('good old file');
    expect(listing(dir)).toEqual(['data.npz']);
  });

  it('reports ENOSPC from an injected full disk, removes its temporary file and keeps the previous file', () => {
    const path = join(dir, 'data.npz');
    fs.writeFileSync(path, 'good old file');
    const e = errorOf(() =>
      writeFileAtomic(path, big(100), {
        fs: {
          writeSync: (() => {
            throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
          }) as typeof fs.writeSync,
        },
      }),
    );
    expect(e.code).toBe('IO');
    expect(e.message).toContain('ENOSPC');
    expect(fs.readFileSync(path, 'utf8')).toBe('good old file');
    expect(listing(dir)).toEqual(['data.npz']);
  });

  const tmpfs = mountTmpfs(64);
  it.runIf(tmpfs !== undefined)(
    'on a real full tmpfs (64 KiB) fails with ENOSPC and leaves the good file alone',
    () => {
      try {
        const path = join(tmpfs!, 'data.npz');
        writeFileAtomic(path, big(20_000));
        const e = errorOf(() => writeFileAtomic(path, big(200_000)));
        expect(e.code).toBe('IO');
        expect(e.message).toMatch(/ENOSPC/);
        expect(new Uint8Array(fs.readFileSync(path))).toEqual(big(20_000));
        expect(listing(tmpfs!)).toEqual(['data.npz']);
      } finally {
        unmount(tmpfs!);
      }
    },
  );
  if (tmpfs === undefined) it.skip('on a real full tmpfs (mount not permitted here)', () => {});

  it('refuses to replace a planted symbolic link and leaves the file it points to untouched', () => {
    const outside = join(root, `outside-${counter}.txt`);
    fs.writeFileSync(outside, 'precious');
    const path = join(dir, 'kdv.npz');
    fs.symlinkSync(outside, path);
    const e = errorOf(() => writeFileAtomic(path, 'attack'));
    expect(e.code).toBe('IO');
    expect(e.message).toMatch(/is a symbolic link, not a regular file; refusing to replace it/);
    expect(fs.readFileSync(outside, 'utf8')).toBe('precious');
    expect(fs.lstatSync(path).isSymbolicLink()).toBe(true);
  });

  it('ignores links planted at the temporary names of earlier versions and never opens through a link', () => {
    const outside = join(root, `outside2-${counter}.txt`);
    fs.writeFileSync(outside, 'precious');
    const path = join(dir, 'run.json');
    // The old writers used `<file>.tmp-<pid>-1` and `<file>.tmp-<pid>`: predictable names.
    fs.symlinkSync(outside, `${path}.tmp-${process.pid}-1`);
    fs.symlinkSync(outside, `${path}.tmp-${process.pid}`);
    writeFileAtomic(path, '{"ok":true}');
    expect(fs.readFileSync(outside, 'utf8')).toBe('precious');
    expect(fs.readFileSync(path, 'utf8')).toBe('{"ok":true}');
    // A link that appears at the new random name between the choice and the open is not followed either.
    const e = errorOf(() =>
      writeFileAtomic(path, 'attack', {
        fs: {
          openSync: ((p: string, flags: number, mode: number) => {
            fs.symlinkSync(outside, p);
            return fs.openSync(p, flags, mode);
          }) as typeof fs.openSync,
        },
      }),
    );
    expect(e.code).toBe('IO');
    expect(e.message).toMatch(/EEXIST/);
    expect(fs.readFileSync(outside, 'utf8')).toBe('precious');
  });

  it('uses a different, unpredictable temporary name for every write', () => {
    const path = join(dir, 'x.json');
    const names: string[] = [];
    const spy = {
      openSync: ((p: string, flags: number, mode: number) => {
        names.push(p);
        return fs.openSync(p, flags, mode);
      }) as typeof fs.openSync,
    };
    writeFileAtomic(path, '1', { fs: spy });
    writeFileAtomic(path, '2', { fs: spy });
    const temps = names.filter((n) => n.endsWith('.tmp'));
    expect(temps).toHaveLength(2);
    expect(temps[0]).not.toBe(temps[1]);
    for (const t of temps) expect(t).toMatch(/\/\.x\.json\.\d+\.[0-9a-f]{16}\.tmp$/);
  });

  it('refuses to replace a folder', () => {
    const path = join(dir, 'sub');
    fs.mkdirSync(path);
    expect(errorOf(() => writeFileAtomic(path, 'x')).message).toMatch(/is a directory/);
  });

  it('reports an unwritable folder with the reason and leaves nothing behind', () => {
    const e = errorOf(() =>
      writeFileAtomic(join(dir, 'a.json'), 'x', {
        fs: {
          openSync: (() => {
            throw Object.assign(new Error(`EACCES: permission denied, open '${dir}/...'`), {
              code: 'EACCES',
            });
          }) as typeof fs.openSync,
        },
      }),
    );
    expect(e.message).toMatch(/cannot create a temporary file in .*EACCES/);
    expect(listing(dir)).toEqual([]);
  });

  const ro = mountTmpfs(64, ',ro');
  it.runIf(ro !== undefined)(
    'reports a read-only folder (a read-only tmpfs, so it holds for root too)',
    () => {
      try {
        const e = errorOf(() => writeFileAtomic(join(ro!, 'a.json'), 'x'));
        expect(e.code).toBe('IO');
        expect(e.message).toMatch(/EROFS/);
      } finally {
        unmount(ro!);
      }
    },
  );

  it('reports a missing folder', () => {
    expect(errorOf(() => writeFileAtomic(join(dir, 'no', 'a.json'), 'x')).message).toMatch(/ENOENT/);
  });

  it('removes its temporary file when the rename fails', () => {
    const path = join(dir, 'a.json');
    fs.writeFileSync(path, 'old');
    const e = errorOf(() =>
      writeFileAtomic(path, 'new', {
        fs: {
          renameSync: (() => {
            throw Object.assign(new Error('EXDEV: injected'), { code: 'EXDEV' });
          }) as typeof fs.renameSync,
        },
      }),
    );
    expect(e.message).toMatch(/EXDEV/);
    expect(listing(dir)).toEqual(['a.json']);
    expect(fs.readFileSync(path, 'utf8')).toBe('old');
  });

  it('removes the temporary files of killed writers of the same target, and only those', () => {
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!; // a process that has exited
    const path = join(dir, 'ckpt.json');
    const stale = `.ckpt.json.${dead}.0123456789abcdef.tmp`;
    const live = `.ckpt.json.${process.ppid}.fedcba9876543210.tmp`; // a running process may still be writing
    const other = `.other.json.${dead}.0123456789abcdef.tmp`;
    for (const f of [stale, live, other]) fs.writeFileSync(join(dir, f), 'partial');
    const r = writeFileAtomic(path, 'x');
    expect(r.staleTempFiles).toEqual([stale]);
    expect(listing(dir)).toEqual([live, other, 'ckpt.json'].sort());
  });

  it('rejects bad arguments with INVALID_ARGUMENT', () => {
    expect(errorOf(() => writeFileAtomic('', 'x')).code).toBe('INVALID_ARGUMENT');
    expect(errorOf(() => writeFileAtomic('a\0b', 'x')).code).toBe('INVALID_ARGUMENT');
    expect(errorOf(() => writeFileAtomic(join(dir, 'a'), 42 as unknown as string)).message).toBe(
      "writeFileAtomic(): argument 'data' must be a Uint8Array or a string, got 42",
    );
  });
});
