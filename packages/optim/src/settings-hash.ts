import { describeValue } from '@noether/autodiff';
import { OptimError } from './errors';

/**
 * The canonical JSON text of a settings object: keys sorted at every level, no whitespace, numbers as JSON
 * writes them. Two settings objects that mean the same run give the same text whatever their key order.
 *
 * @throws {OptimError} `INVALID_ARGUMENT` for values JSON cannot represent exactly (NaN, ±Infinity,
 *   `undefined`, functions, bigint, cycles).
 * @example canonicalJson({ b: 1, a: [2, { d: 3, c: 4 }] }); // '{"a":[2,{"c":4,"d":3}],"b":1}'
 */
export function canonicalJson(value: unknown): string {
  const seen = new Set<unknown>();
  const walk = (v: unknown, at: string): string => {
    if (v === null || typeof v === 'boolean' || typeof v === 'string') return JSON.stringify(v);
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) bad(at, v);
      return JSON.stringify(v);
    }
    if (typeof v !== 'object') return bad(at, v);
    if (seen.has(v)) return bad(at, 'a cycle');
    seen.add(v);
    const out = Array.isArray(v)
      ? `[${v.map((x, i) => walk(x, `${at}[${i}]`)).join(',')}]`
      : `{${Object.keys(v)
          .sort()
          .map((k) => `${JSON.stringify(k)}:${walk((v as Record<string, unknown>)[k], `${at}.${k}`)}`)
          .join(',')}}`;
    seen.delete(v);
    return out;
  };
  return walk(value, 'settings');
}

function bad(at: string, v: unknown): never {
  throw new OptimError(
    'INVALID_ARGUMENT',
    `canonicalJson(): '${at}' must be JSON data (null, boolean, finite number, string, array, object), got ${typeof v === 'string' ? v : describeValue(v)}`,
    { fn: 'canonicalJson' },
  );
}

/**
 * A 64-bit FNV-1a hash (16 hex digits) of {@link canonicalJson}`(settings)`: the identity of a run. Every
 * setting that changes the result belongs in `settings`; a checkpoint records them and {@link train} refuses
 * to resume a run whose settings differ.
 *
 * @example settingsHash({ case: 'kdv', lambda: 10, seed: 0 }); // e.g. 'c1f2…' (16 hex digits)
 * @see G. Fowler, L. C. Noll, K.-P. Vo, "FNV hash" (IETF draft-eastlake-fnv).
 */
export function settingsHash(settings: Record<string, unknown>): string {
  const bytes = new TextEncoder().encode(canonicalJson(settings));
  let h = 0xcbf29ce484222325n;
  for (const b of bytes) h = ((h ^ BigInt(b)) * 0x100000001b3n) & 0xffffffffffffffffn;
  return h.toString(16).padStart(16, '0');
}

/**
 * The settings whose values differ between two settings objects (by canonical JSON), as
 * `name: saved -> current` lines, sorted by name; empty when they agree.
 */
export function settingsDiff(saved: Record<string, unknown>, current: Record<string, unknown>): string[] {
  const keys = [...new Set([...Object.keys(saved), ...Object.keys(current)])].sort();
  const show = (v: unknown) => (v === undefined ? '(absent)' : canonicalJson(v));
  return keys
    .filter((k) => show(saved[k]) !== show(current[k]))
    .map((k) => `${k}: ${show(saved[k])} -> ${show(current[k])}`);
}
