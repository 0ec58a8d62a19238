import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkWritableFolder } from './check-writable-folder';
import { FilesError } from './files-error';
import { readFileLimited, statRegularFile } from './read-file-limited';

const dir = fs.mkdtempSync(join(tmpdir(), 'noether-read-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const errorOf = (f: () => unknown): FilesError => {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(FilesError);
    return error as FilesError;
  }
  throw new Error('expected a FilesError');
};

describe('readFileLimited and statRegularFile', () => {
  it('read a regular file (also through a symbolic link) byte for byte', () => {
    const path = join(dir, 'a.bin');
    fs.writeFileSync(path, Uint8Array.of(1, 2, 3));
    fs.symlinkSync(path, join(dir, 'link.bin'));
    expect(readFileLimited(join(dir, 'link.bin'))).toEqual(Uint8Array.of(1, 2, 3));
    expect(statRegularFile(path)).toBe(3);
  });

  it('refuse /dev/zero behind a symbolic link instead of reading forever', () => {
    const link = join(dir, 'zero.npy');
    fs.symlinkSync('/dev/zero', link);
    const e = errorOf(() => readFileLimited(link, { fn: 'loadNpy' }));
    expect(e.code).toBe('IO');
    expect(e.message).toBe(`loadNpy(): cannot read '${link}': it is a device, not a regular file`);
    expect(errorOf(() => statRegularFile(link)).message).toMatch(/is a device/);
  });

  it('refuse a FIFO without blocking on its open', () => {
    const fifo = join(dir, 'pipe.npz');
    execFileSync('mkfifo', [fifo]);
    expect(errorOf(() => readFileLimited(fifo)).message).toMatch(/is a FIFO, not a regular file/);
  });

  it('refuse a folder and a missing file with IO', () => {
    expect(errorOf(() => readFileLimited(dir)).message).toMatch(/is a directory|EISDIR/);
    expect(errorOf(() => readFileLimited(join(dir, 'missing'))).message).toMatch(/ENOENT/);
  });

  it('refuse a file larger than maxBytes before allocating, naming the limit', () => {
    const path = join(dir, 'big.bin');
    fs.writeFileSync(path, new Uint8Array(1001));
    const e = errorOf(() => readFileLimited(path, { maxBytes: 1000 }));
    expect(e.code).toBe('LIMIT_EXCEEDED');
    expect(e.message).toBe(
      `readFileLimited(): file '${path}' has 1001 bytes, more than the limit of 1000 (option maxBytes)`,
    );
    expect(readFileLimited(path, { maxBytes: 1001 }).length).toBe(1001);
    expect(errorOf(() => readFileLimited(path, { maxBytes: -1 })).code).toBe('INVALID_ARGUMENT');
  });
});

describe('checkWritableFolder', () => {
  it('creates a missing folder and leaves nothing in it', () => {
    const out = join(dir, 'made', 'runs');
    checkWritableFolder(out);
    expect(fs.readdirSync(out)).toEqual([]);
  });

  it('fails in the first second for a folder under a regular file and for a read-only file system', () => {
    fs.writeFileSync(join(dir, 'plain'), 'x');
    const e = errorOf(() => checkWritableFolder(join(dir, 'plain', 'runs')));
    expect(e.code).toBe('IO');
    expect(e.message).toMatch(
      /^checkWritableFolder\(\): folder '.*plain\/runs' is not writable: (ENOTDIR|EEXIST)/,
    );
    const mnt = fs.mkdtempSync(join(dir, 'ro-'));
    if (spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=16k,ro', 'tmpfs', mnt]).status !== 0) return;
    try {
      expect(errorOf(() => checkWritableFolder(mnt)).message).toMatch(/EROFS/);
    } finally {
      execFileSync('umount', [mnt]);
    }
  });
});
