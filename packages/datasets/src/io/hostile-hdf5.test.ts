import { copyFileSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { DatasetsError } from '../errors';
import { readPdeBench } from './hdf5';

// Fixtures made once with h5py by fixtures/make-hdf5-fixtures.py (Python is not run by the tests).
const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'noether-h5-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const errorOf = async (p: Promise<unknown>): Promise<DatasetsError> => {
  try {
    await p;
  } catch (error) {
    expect(error).toBeInstanceOf(DatasetsError);
    return error as DatasetsError;
  }
  throw new Error('expected a DatasetsError');
};

describe('hostile HDF5 files', () => {
  it('refuse a 2 KB file whose compressed tensor declares 2 GB (4 GB as float64), before reading it', async () => {
    const path = join(fixtures, 'bomb.h5');
    const before = process.memoryUsage().rss;
    const e = await errorOf(readPdeBench(path));
    expect(e.code).toBe('LIMIT_EXCEEDED');
    expect(e.message).toBe(
      `readPdeBench(): file '${path}': dataset 'tensor' [50, 1000, 10000] needs 6000000000 bytes to read, more than the ${2 ** 30} left of the limit of ${2 ** 30} (option maxBytes)`,
    );
    expect(process.memoryUsage().rss - before).toBeLessThan(200e6);
  });

  it("refuse external raw-data storage instead of returning another file's bytes", async () => {
    // The external file sits beside the .h5, where HDF5 would find it.
    const e = await errorOf(readPdeBench(join(fixtures, 'external-storage.h5')));
    expect(e.code).toBe('FORMAT');
    expect(e.message).toMatch(
      /external-storage\.h5': 'tensor' stores its data in another file \(external storage is refused\)/,
    );
    expect(e.message).not.toMatch(/HDF5-DIAG/);
    expect(e.message.split('\n')).toHaveLength(1);
  });

  it('refuse external links and virtual datasets that read other files', async () => {
    const link = await errorOf(readPdeBench(join(fixtures, 'external-link.h5')));
    expect(link.code).toBe('FORMAT');
    expect(link.message).toMatch(/'tensor' is an external link to 'linked-target\.h5:\/tensor'/);
    const vds = await errorOf(readPdeBench(join(fixtures, 'external-vds.h5')));
    expect(vds.code).toBe('FORMAT');
    expect(vds.message).toMatch(/'tensor' is a virtual dataset reading 'linked-target\.h5'/);
  });

  it('name the file and the problem in one line for a damaged file (no 50-line HDF5-DIAG)', async () => {
    const path = join(dir, 'damaged.h5');
    const good = join(fixtures, 'linked-target.h5');
    copyFileSync(good, path);
    const bytes = Buffer.alloc(600);
    bytes.set([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a], 0);
    writeFileSync(path, bytes);
    const e = await errorOf(readPdeBench(path));
    expect(e.code).toBe('FORMAT');
    expect(e.message).toMatch(/^readPdeBench\(\): file '.*damaged\.h5' is not a readable HDF5 file: .+/);
    expect(e.message).not.toContain('HDF5-DIAG');
    expect(e.message.split('\n')).toHaveLength(1);
  });

  it('refuse /dev/zero behind a symbolic link and files beyond maxBytes', async () => {
    symlinkSync('/dev/zero', join(dir, 'zero.h5'));
    const e = await errorOf(readPdeBench(join(dir, 'zero.h5')));
    expect(e.code).toBe('IO');
    expect(e.message).toMatch(/is a device, not a regular file/);
    const small = await errorOf(readPdeBench(join(fixtures, 'linked-target.h5'), { maxBytes: 100 }));
    expect(small.code).toBe('LIMIT_EXCEEDED');
  });
});
