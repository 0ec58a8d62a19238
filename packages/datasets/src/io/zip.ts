import { inflateRawSync } from 'node:zlib';
import { DatasetsError } from '../errors';
import { crc32 } from './crc32';

/** One member of a ZIP archive. */
export interface ZipEntry {
  name: string;
  data: Uint8Array;
}

// Fixed DOS timestamp 1980-01-01 00:00 so archives are byte-identical across runs.
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;

/**
 * Writes a store-only (uncompressed) ZIP archive: local headers, data, central directory, end record.
 * Timestamps are fixed, so the same entries give the same bytes. Archives up to 4 GiB (no ZIP64).
 * @throws DatasetsError `INVALID_ARGUMENT` for duplicate names or archives beyond 4 GiB.
 * @see PKWARE APPNOTE.TXT 6.3.x, sections 4.3 and 4.4.
 */
export function writeZip(entries: readonly ZipEntry[]): Uint8Array {
  const names = entries.map((e) => new TextEncoder().encode(e.name));
  if (new Set(entries.map((e) => e.name)).size !== entries.length)
    throw new DatasetsError(
      'INVALID_ARGUMENT',
      `writeZip(): duplicate member names in [${entries.map((e) => e.name).join(', ')}]`,
    );
  let size = 22;
  entries.forEach((e, i) => (size += 30 + names[i]!.length + e.data.length + 46 + names[i]!.length));
  if (size >= 0xffffffff)
    throw new DatasetsError(
      'INVALID_ARGUMENT',
      `writeZip(): archive of ${size} bytes exceeds 4 GiB (ZIP64 unsupported)`,
    );
  const out = new Uint8Array(size);
  const v = new DataView(out.buffer);
  let o = 0;
  const offsets: number[] = [];
  const crcs: number[] = [];
  entries.forEach((e, i) => {
    const crc = crc32(e.data);
    crcs.push(crc);
    offsets.push(o);
    v.setUint32(o, 0x04034b50, true);
    v.setUint16(o + 4, 20, true); // version needed
    v.setUint16(o + 6, 0x0800, true); // UTF-8 names
    v.setUint16(o + 8, 0, true); // stored
    v.setUint16(o + 10, DOS_TIME, true);
    v.setUint16(o + 12, DOS_DATE, true);
    v.setUint32(o + 14, crc, true);
    v.setUint32(o + 18, e.data.length, true);
    v.setUint32(o + 22, e.data.length, true);
    v.setUint16(o + 26, names[i]!.length, true);
    v.setUint16(o + 28, 0, true);
    out.set(names[i]!, o + 30);
    o += 30 + names[i]!.length;
    out.set(e.data, o);
    o += e.data.length;
  });
  const cdStart = o;
  entries.forEach((e, i) => {
    v.setUint32(o, 0x02014b50, true);
    v.setUint16(o + 4, 20, true); // version made by
    v.setUint16(o + 6, 20, true);
    v.setUint16(o + 8, 0x0800, true);
    v.setUint16(o + 10, 0, true);
    v.setUint16(o + 12, DOS_TIME, true);
    v.setUint16(o + 14, DOS_DATE, true);
    v.setUint32(o + 16, crcs[i]!, true);
    v.setUint32(o + 20, e.data.length, true);
    v.setUint32(o + 24, e.data.length, true);
    v.setUint16(o + 28, names[i]!.length, true);
    // extra, comment, disk, internal attrs = 0
    v.setUint32(o + 38, 0, true); // external attrs
    v.setUint32(o + 42, offsets[i]!, true);
    out.set(names[i]!, o + 46);
    o += 46 + names[i]!.length;
  });
  v.setUint32(o, 0x06054b50, true);
  v.setUint16(o + 8, entries.length, true);
  v.setUint16(o + 10, entries.length, true);
  v.setUint32(o + 12, o - cdStart, true);
  v.setUint32(o + 16, cdStart, true);
  return out;
}

/** Limits of {@link readZip}. */
export interface ReadZipOptions {
  /** Largest total of the members' uncompressed sizes, in bytes. Default 1 GiB. */
  maxBytes?: number;
}

/** Deflate cannot expand more than 1032:1; a member claiming more is malformed. */
const MAX_DEFLATE_RATIO = 1032;

/**
 * Reads a ZIP archive (stored or deflated members, as written by numpy.savez / savez_compressed), checking
 * every CRC-32. `label` names the file in error messages.
 *
 * Hostile archives are refused before any large allocation: the members' declared uncompressed sizes are
 * summed and checked against `maxBytes` (default 1 GiB) and against what deflate can produce from their
 * compressed sizes; members may not overlap one another or the central directory (a "zip bomb" reusing one
 * compressed stream); inflation stops at the declared size.
 * @throws DatasetsError `FORMAT` for a missing end record, truncated or overlapping members, bad signatures,
 *   impossible sizes, CRC mismatches, duplicate names; `UNSUPPORTED` for other compression methods and ZIP64;
 *   `LIMIT_EXCEEDED` when the members would exceed `maxBytes`.
 */
export function readZip(bytes: Uint8Array, label: string, options: ReadZipOptions = {}): ZipEntry[] {
  const maxBytes = options.maxBytes ?? 2 ** 30;
  const fail = (what: string, code: 'FORMAT' | 'UNSUPPORTED' = 'FORMAT'): never => {
    throw new DatasetsError(code, `readZip(): file '${label}' is not a valid zip/npz archive: ${what}`);
  };
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 65535); i--) {
    if (v.getUint32(i, true) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0)
    fail(
      bytes.length < 22 ? `only ${bytes.length} bytes` : 'no end-of-central-directory record (truncated?)',
    );
  const count = v.getUint16(eocd + 10, true);
  const cdStart = v.getUint32(eocd + 16, true);
  if (count === 0xffff || cdStart === 0xffffffff) fail('ZIP64 archives are not supported', 'UNSUPPORTED');
  if (cdStart > eocd) fail(`the central directory offset ${cdStart} lies beyond its end record`);
  // Pass 1: the central directory only (no allocation beyond it): names, sizes, member extents.
  interface Member {
    name: string;
    method: number;
    crc: number;
    csize: number;
    usize: number;
    /** Offset of the local header and the end of the member's data. */
    start: number;
    end: number;
  }
  const members: Member[] = [];
  const names = new Set<string>();
  let declared = 0;
  let o = cdStart;
  for (let k = 0; k < count; k++) {
    if (o + 46 > eocd || v.getUint32(o, true) !== 0x02014b50) fail(`central directory entry ${k} is damaged`);
    const method = v.getUint16(o + 10, true);
    const crc = v.getUint32(o + 16, true);
    const csize = v.getUint32(o + 20, true);
    const usize = v.getUint32(o + 24, true);
    const nlen = v.getUint16(o + 28, true);
    const elen = v.getUint16(o + 30, true);
    const clen = v.getUint16(o + 32, true);
    const local = v.getUint32(o + 42, true);
    if (o + 46 + nlen > eocd) fail(`central directory entry ${k} is damaged`);
    const name = new TextDecoder().decode(bytes.subarray(o + 46, o + 46 + nlen));
    o += 46 + nlen + elen + clen;
    if (names.has(name)) fail(`member '${name}' appears twice`);
    names.add(name);
    if (csize === 0xffffffff || usize === 0xffffffff || local === 0xffffffff)
      fail(`member '${name}' uses ZIP64 sizes (unsupported)`, 'UNSUPPORTED');
    if (method !== 0 && method !== 8)
      fail(`member '${name}' uses unsupported compression method ${method}`, 'UNSUPPORTED');
    if (local + 30 > cdStart || v.getUint32(local, true) !== 0x04034b50)
      fail(`member '${name}' has no local header`);
    const start = local + 30 + v.getUint16(local + 26, true) + v.getUint16(local + 28, true);
    if (start + csize > cdStart)
      fail(`member '${name}' is truncated (${Math.max(0, cdStart - start)} of ${csize} bytes)`);
    if (method === 0 && usize !== csize)
      fail(`stored member '${name}' declares ${usize} bytes but holds ${csize}`);
    if (method === 8 && usize > csize * MAX_DEFLATE_RATIO + 64)
      fail(
        `member '${name}' declares ${usize} bytes from ${csize} compressed bytes, more than deflate can produce`,
      );
    declared += usize;
    members.push({ name, method, crc, csize, usize, start: local, end: start + csize });
  }
  // Members may not share bytes (overlapping members inflate one stream many times).
  const extents = members.slice().sort((a, b) => a.start - b.start);
  for (let k = 1; k < extents.length; k++)
    if (extents[k]!.start < extents[k - 1]!.end)
      fail(`members '${extents[k - 1]!.name}' and '${extents[k]!.name}' overlap`);
  if (declared > maxBytes)
    throw new DatasetsError(
      'LIMIT_EXCEEDED',
      `readZip(): file '${label}' declares ${declared} uncompressed bytes, more than the limit of ${maxBytes} (option maxBytes)`,
    );
  // Pass 2: the data, each member inflated to at most its declared size.
  return members.map((m) => {
    const raw = bytes.subarray(m.end - m.csize, m.end);
    let data: Uint8Array;
    if (m.method === 0) data = raw;
    else {
      try {
        data = new Uint8Array(inflateRawSync(raw, { maxOutputLength: Math.max(1, m.usize) }));
      } catch (error) {
        const tooBig = (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE';
        return fail(
          tooBig
            ? `member '${m.name}' inflates to more than the ${m.usize} bytes the directory says`
            : `member '${m.name}' does not inflate (${(error as Error).message})`,
        );
      }
    }
    if (data.length !== m.usize)
      fail(`member '${m.name}' has ${data.length} bytes, the directory says ${m.usize}`);
    if (crc32(data) !== m.crc) fail(`member '${m.name}' fails its CRC-32 check`);
    return { name: m.name, data };
  });
}
