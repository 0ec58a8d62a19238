// Lint rules as architecture tests: the dependency direction between packages is enforced here.
// autodiff -> files -> integrators / optim / operators -> datasets / pinn-proj / param-symmetry -> ecf / razor -> demo
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * Which @noether packages each package may import (its allowed lower layers). The boundaries test
 * (tests/integration/boundaries.test.ts) checks every package manifest and every import against it.
 * `@noether/test-utils` (private) is a devDependency any package's tests may use, never its sources.
 */
export const allowed = {
  autodiff: [],
  files: ['autodiff'],
  integrators: ['autodiff'],
  optim: ['autodiff', 'files'],
  operators: ['autodiff'],
  datasets: ['autodiff', 'integrators', 'files'],
  'pinn-proj': ['autodiff', 'optim', 'files'],
  'param-symmetry': ['autodiff', 'integrators', 'optim'],
  ecf: ['autodiff', 'optim', 'pinn-proj', 'operators', 'files'],
  razor: ['autodiff', 'integrators', 'optim', 'files'],
};
const all = Object.keys(allowed);

const boundaryRules = Object.entries(allowed).map(([pkg, deps]) => ({
  files: [`packages/${pkg}/**/*.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        paths: all
          .filter((p) => !deps.includes(p))
          .map((p) => ({
            name: `@noether/${p}`,
            message: `@noether/${pkg} may only import ${deps.length ? deps.map((d) => '@noether/' + d).join(', ') : 'no @noether package'} (dependency direction, see ARCHITECTURE.md).`,
          })),
        patterns: [
          {
            group: ['@noether/test-utils'],
            message: '@noether/test-utils is for tests and benchmarks only.',
          },
          {
            group: ['@noether/*/*'],
            message: 'Deep imports between packages are forbidden: import the package entry.',
          },
          {
            group: ['../../*/src/*', '../../../packages/*'],
            message: 'Import sibling packages by name, not by path.',
          },
        ],
      },
    ],
  },
}));

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/.turbo/**', 'out/**', '**/bench/.build/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'max-params': ['error', 3],
      'no-restricted-properties': [
        'error',
        {
          object: 'Math',
          property: 'random',
          message: 'Randomness takes an explicit seed: use a seeded generator.',
        },
      ],
    },
  },
  {
    files: ['**/*.test.ts', '**/bench/**/*.ts', 'tests/**/*.ts'],
    rules: { 'max-params': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
  ...boundaryRules,
  // Tests and benchmarks may use @noether/test-utils: the same boundary rule without that pattern.
  ...boundaryRules.map(({ files, rules }) => {
    const [level, options] = rules['no-restricted-imports'];
    return {
      files: files
        .map((f) => f.replace('**/*.ts', '**/*.test.ts'))
        .concat(files.map((f) => f.replace('**/*.ts', 'bench/**/*.ts'))),
      rules: {
        'no-restricted-imports': [
          level,
          { ...options, patterns: options.patterns.filter((p) => !p.group.includes('@noether/test-utils')) },
        ],
      },
    };
  }),
);
