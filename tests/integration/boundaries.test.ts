import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { allowed } from '../../eslint.config.js';

// The dependency direction (autodiff -> integrators / optim -> datasets / pinn-proj -> demo) is enforced by
// ESLint's no-restricted-imports; these cases prove the rule bites.
describe('package boundaries', () => {
  const eslint = new ESLint({ cwd: process.cwd() });
  const lint = async (file: string, code: string) => {
    const [result] = await eslint.lintText(code, { filePath: file });
    return result.messages.map((m) => m.ruleId);
  };

  it('forbids a lower package importing a higher one', async () => {
    const ids = await lint(
      'packages/autodiff/src/x.ts',
      "export { integrate } from '@noether/integrators';\n",
    );
    expect(ids).toContain('no-restricted-imports');
  });

  it('forbids deep imports into another package', async () => {
    const ids = await lint('packages/datasets/src/x.ts', "export { x } from '@noether/integrators/src/x';\n");
    expect(ids).toContain('no-restricted-imports');
  });

  it('allows an import along the dependency direction', async () => {
    const ids = await lint('packages/integrators/src/x.ts', "export { grad } from '@noether/autodiff';\n");
    expect(ids).not.toContain('no-restricted-imports');
  });
});

// The real manifests and sources against the allowed-imports table of eslint.config.js.
describe('package manifests and imports follow the boundary table', () => {
  const root = process.cwd();
  const table = allowed as Record<string, string[]>;
  const packages = readdirSync(join(root, 'packages')).filter((p) => p !== 'test-utils');
  const manifest = (dir: string) =>
    JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')) as {
      name: string;
      private?: boolean;
      dependencies?: Record<string, string>;
      peerDependencies?: Record<string, string>;
      devDependencies?: Record<string, string>;
    };
  const noether = (deps: Record<string, string> | undefined) =>
    Object.keys(deps ?? {})
      .filter((d) => d.startsWith('@noether/'))
      .map((d) => d.slice('@noether/'.length));
  const sources = (dir: string): string[] =>
    readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.includes('test-util'))
      .map((f) => join(dir, f));
  const importsOf = (file: string) =>
    [...readFileSync(join(root, file), 'utf8').matchAll(/from '@noether\/([a-z0-9-]+)'/g)].map((m) => m[1]);

  it('lists every package in the table, and every table entry names a package or a planned one', () => {
    for (const p of packages) expect(Object.keys(table), `packages/${p}`).toContain(p);
    expect(packages.length).toBeGreaterThanOrEqual(5);
  });

  it('lets each manifest depend only on its allowed lower layers, and on test-utils only as a devDependency', () => {
    for (const p of packages) {
      const m = manifest(`packages/${p}`);
      expect(m.name).toBe(`@noether/${p}`);
      for (const dep of [...noether(m.dependencies), ...noether(m.peerDependencies)])
        expect(table[p], `@noether/${p} depends on @noether/${dep}`).toContain(dep);
      for (const dep of noether(m.devDependencies))
        expect(['test-utils', ...table[p]], `@noether/${p} devDepends on @noether/${dep}`).toContain(dep);
    }
    const utils = manifest('packages/test-utils');
    expect(utils.private).toBe(true);
    expect(noether(utils.dependencies)).toEqual([]);
  });

  it('imports in package sources stay within the table and are declared in the manifest', () => {
    for (const p of packages) {
      const declared = noether(manifest(`packages/${p}`).dependencies);
      const files = sources(`packages/${p}/src`);
      expect(files.length).toBeGreaterThan(0);
      for (const file of files)
        for (const dep of importsOf(file)) {
          expect(table[p], `${file} imports @noether/${dep}`).toContain(dep);
          expect(declared, `${file} imports @noether/${dep}, not in dependencies`).toContain(dep);
        }
    }
  });

  it('forbids @noether/test-utils in package sources but allows it in tests', async () => {
    const eslint = new ESLint({ cwd: root });
    const ids = async (file: string) =>
      (
        await eslint.lintText("export { expectNoLeak } from '@noether/test-utils';\n", { filePath: file })
      )[0].messages.map((m) => m.ruleId);
    expect(await ids('packages/optim/src/x.ts')).toContain('no-restricted-imports');
    expect(await ids('packages/optim/src/x.test.ts')).not.toContain('no-restricted-imports');
  });
});
