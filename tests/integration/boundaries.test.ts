import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

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
