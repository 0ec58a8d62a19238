import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createPackage } from './new-package.mjs';

const repo = process.cwd();
const read = (path: string) => readFileSync(path, 'utf8');
const json = (path: string) => JSON.parse(read(path)) as Record<string, unknown>;
const existing = readdirSync(join(repo, 'packages')).filter((p) => p !== 'test-utils');

describe('scripts/new-package.mjs', () => {
  it('scaffolds a package identical in shape to the existing ones', () => {
    const root = mkdtempSync(join(tmpdir(), 'noether-new-package-'));
    try {
      for (const p of ['autodiff', 'optim']) {
        mkdirSync(join(root, 'packages', p), { recursive: true });
        writeFileSync(
          join(root, 'packages', p, 'package.json'),
          read(join(repo, 'packages', p, 'package.json')),
        );
      }
      const dir = createPackage(root, 'razor-lite', 'A test package.', ['optim']);
      const made = json(join(dir, 'package.json'));
      for (const p of existing) {
        const ref = json(join(repo, 'packages', p, 'package.json'));
        // Same fields in the same order (peerDependenciesMeta is optional), same build and publish shape.
        expect(Object.keys(made), p).toEqual(Object.keys(ref).filter((k) => k !== 'peerDependenciesMeta'));
        for (const key of ['license', 'engines', 'type', 'files', 'main', 'module', 'types'])
          expect(made[key], `${p}.${key}`).toEqual(ref[key]);
        // autodiff alone has import side effects (it re-registers tfjs gradients).
        if (p !== 'autodiff') expect(made.sideEffects, p).toBe(ref.sideEffects);
        expect(made.exports, p).toEqual(ref.exports);
        // tfjs is the one required peer (autodiff adds optional backends).
        const peer = (m: Record<string, unknown>) =>
          (m.peerDependencies as Record<string, string>)['@tensorflow/tfjs'];
        expect(peer(made), p).toBe(peer(ref));
        const scripts = made.scripts as Record<string, string>;
        const refScripts = ref.scripts as Record<string, string>;
        expect([scripts.build, scripts.publint], p).toEqual([refScripts.build, refScripts.publint]);
        expect(read(join(dir, 'tsup.config.ts')), p).toBe(read(join(repo, 'packages', p, 'tsup.config.ts')));
        // README: the sections every package README has.
        const sections = (text: string) => [...text.matchAll(/^## (\w+)/gm)].map((m) => m[1]);
        for (const s of ['Install', 'Example', 'API', 'References'])
          expect(sections(read(join(repo, 'packages', p, 'README.md'))), p).toContain(s);
      }
      expect(made.name).toBe('@noether/razor-lite');
      expect(made.dependencies).toEqual({
        '@noether/autodiff': 'workspace:^',
        '@noether/optim': 'workspace:^',
      });
      expect(made.devDependencies).toEqual({
        '@noether/test-utils': 'workspace:*',
        '@tensorflow/tfjs': '4.22.0',
      });
      const readme = read(join(dir, 'README.md'));
      for (const s of ['Install', 'Example', 'API', 'References'])
        expect(readme).toMatch(new RegExp(`^## ${s}`, 'm'));
      // One error class extending NoetherError, exported from the index, with a first test.
      expect(read(join(dir, 'src', 'errors.ts'))).toMatch(
        /export class RazorLiteError extends NoetherError<RazorLiteErrorCode>/,
      );
      expect(read(join(dir, 'src', 'index.ts'))).toBe(
        "export { RazorLiteError, type RazorLiteErrorCode } from './errors';\n",
      );
      expect(read(join(dir, 'src', 'errors.test.ts'))).toMatch(/toBeInstanceOf\(NoetherError\)/);
      // Refusals: an existing directory, a bad name, an unknown dependency.
      expect(() => createPackage(root, 'razor-lite', 'again', [])).toThrow(/exists/);
      expect(() => createPackage(root, 'Razor', 'x', [])).toThrow(/kebab-case/);
      expect(() => createPackage(root, 'other', 'x', ['nope'])).toThrow(/'nope' is not a package/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
