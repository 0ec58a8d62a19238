// Bundle size per panel, from the Vite manifest of a build (dist/.vite/manifest.json): what each panel adds
// on top of the page shell when its tab opens, the shell itself, the plotting library (loaded on the first
// chart, shared by all panels) and the optional backends. Raw and gzip bytes.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';

interface ManifestChunk {
  file: string;
  src?: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
}

/** One row of the size table. */
export interface BundleRow {
  part: string;
  /** Files that make up the part (JS chunks not already loaded by the shell, CSS, wasm). */
  files: string[];
  bytes: number;
  gzipBytes: number;
}

/** Sizes of the shell, each panel, the plot library and the backends of a built `dist` folder. */
export function bundleSizes(distDir: string): BundleRow[] {
  const manifest = JSON.parse(readFileSync(join(distDir, '.vite', 'manifest.json'), 'utf8')) as Record<
    string,
    ManifestChunk
  >;
  const closure = (key: string, seen = new Set<string>()): Set<string> => {
    if (seen.has(key)) return seen;
    seen.add(key);
    for (const k of manifest[key]?.imports ?? []) closure(k, seen);
    return seen;
  };
  const row = (
    part: string,
    keys: Iterable<string>,
    options: { exclude?: Set<string>; extra?: string[] } = {},
  ): BundleRow => {
    const exclude = options.exclude ?? new Set<string>();
    const files = [
      ...new Set(
        [...keys]
          .filter((k) => !exclude.has(k))
          .flatMap((k) => [manifest[k].file, ...(manifest[k].css ?? [])]),
      ),
    ];
    files.push(...(options.extra ?? []));
    let bytes = 0;
    let gzipBytes = 0;
    for (const f of files) {
      const data = readFileSync(join(distDir, f));
      bytes += data.length;
      gzipBytes += gzipSync(data, { level: 9 }).length;
    }
    return { part, files, bytes, gzipBytes };
  };
  const shell = closure('index.html');
  const rows = [row('page shell (index.html, tfjs, backend pick)', shell, { extra: ['index.html'] })];
  const plotKey = Object.keys(manifest).find((k) => k.includes('vega-embed'));
  for (const key of Object.keys(manifest).filter((k) => /src\/panels\/.*-panel\.ts$/.test(k))) {
    const name = key.replace(/^.*\/(.*)-panel\.ts$/, '$1');
    rows.push(row(`panel ${name} (without the plot library)`, closure(key), { exclude: shell }));
  }
  if (plotKey)
    rows.push(
      row('plot library (vega-embed + vega-lite, on first chart)', closure(plotKey), { exclude: shell }),
    );
  const wasmKey = Object.keys(manifest).find((k) => k.endsWith('tfjs-backend-wasm/dist/index.js'));
  if (wasmKey) {
    const binaries = Object.values(manifest)
      .filter((c) => c.file.endsWith('.wasm'))
      .map((c) => c.file);
    rows.push(
      row('wasm backend (JS + the 3 binaries, one of which loads)', closure(wasmKey), {
        exclude: shell,
        extra: binaries,
      }),
    );
  }
  // Files copied from public/ (the shipped models), fetched by a panel when it runs.
  const models = join(distDir, 'models');
  if (existsSync(models)) {
    const files = readdirSync(models, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => relative(distDir, join(e.parentPath, e.name)))
      .sort();
    rows.push(
      row('shipped models (public/models: the ECF panel’s FNO, fetched on its first run)', [], {
        extra: files,
      }),
    );
  }
  const webgpuKey = Object.keys(manifest).find((k) => k.includes('tfjs-backend-webgpu'));
  if (webgpuKey)
    rows.push(row('webgpu backend (only when an adapter exists)', closure(webgpuKey), { exclude: shell }));
  return rows;
}

/** The rows as a fixed-width text table (kB = 1000 bytes). */
export function formatBundleSizes(rows: readonly BundleRow[]): string {
  const kb = (b: number) => `${(b / 1000).toFixed(1)} kB`;
  const width = Math.max(...rows.map((r) => r.part.length));
  return rows
    .map((r) => `${r.part.padEnd(width)}  ${kb(r.bytes).padStart(10)}  gzip ${kb(r.gzipBytes).padStart(9)}`)
    .join('\n');
}
