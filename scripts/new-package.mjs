// Scaffolds packages/<name> in the shape of the existing packages (manifest, build, error class, first test,
// README with the shared sections). Usage:
//   node scripts/new-package.mjs <name> "<description>" [dep ...]      (deps: @noether package names)
// Options: --root DIR (default: the current directory) so tests can scaffold into a temporary copy.
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The package.json of a new package; field order and values as in packages/optim. */
export function manifest(name, description, deps) {
  return {
    name: `@noether/${name}`,
    version: '0.1.0',
    description,
    license: 'MIT',
    engines: { node: '>=20' },
    type: 'module',
    sideEffects: false,
    files: ['dist', 'CHANGELOG.md', 'src', '!src/**/*.test.ts'],
    main: './dist/index.cjs',
    module: './dist/index.js',
    types: './dist/index.d.ts',
    exports: {
      '.': {
        '@noether/source': './src/index.ts',
        import: { types: './dist/index.d.ts', default: './dist/index.js' },
        require: { types: './dist/index.d.cts', default: './dist/index.cjs' },
      },
      './package.json': './package.json',
    },
    scripts: {
      build: 'tsup',
      publint: 'publint --strict',
      bench: 'echo no benchmarks',
    },
    dependencies: Object.fromEntries(
      ['autodiff', ...deps.filter((d) => d !== 'autodiff')].map((d) => [`@noether/${d}`, 'workspace:^']),
    ),
    peerDependencies: { '@tensorflow/tfjs': '^4.22.0' },
    devDependencies: { '@noether/test-utils': 'workspace:*', '@tensorflow/tfjs': '4.22.0' },
  };
}

const pascal = (name) => name.replace(/(^|-)([a-z0-9])/g, (_, __, c) => c.toUpperCase());

/** The files of a new package, path -> content. */
export function files(name, description, deps) {
  const Err = `${pascal(name)}Error`;
  return {
    'package.json': JSON.stringify(manifest(name, description, deps), null, 2) + '\n',
    'tsup.config.ts':
      "import { createTsupConfig } from '../../config/tsup.base';\n\nexport default createTsupConfig();\n",
    'src/index.ts': `export { ${Err}, type ${Err}Code } from './errors';\n`,
    'src/errors.ts': `import { NoetherError, type NoetherErrorOptions } from '@noether/autodiff';

/** Machine-readable reason codes for {@link ${Err}} (UPPER_SNAKE, see CONTRIBUTING.md). */
export type ${Err}Code = 'INVALID_ARGUMENT' | 'NON_FINITE' | 'NOT_CONVERGED';

/**
 * The one error class of \`@noether/${name}\`. Messages follow
 * \`fn(): argument 'x' must be <expected>, got <given>\`.
 */
export class ${Err} extends NoetherError<${Err}Code> {
  constructor(code: ${Err}Code, message: string, options?: NoetherErrorOptions) {
    super(code, message, options);
    this.name = '${Err}';
  }
}
`,
    'src/errors.test.ts': `import { NoetherError } from '@noether/autodiff';
import { describe, expect, it } from 'vitest';
import { ${Err} } from './index';

describe('${Err}', () => {
  it('is a NoetherError with an UPPER_SNAKE code and the function name', () => {
    const e = new ${Err}('INVALID_ARGUMENT', "f(): argument 'x' must be a finite number, got NaN");
    expect(e).toBeInstanceOf(NoetherError);
    expect([e.name, e.code, e.fn]).toEqual(['${Err}', 'INVALID_ARGUMENT', 'f']);
  });
});
`,
    'README.md': `# @noether/${name}

${description}

## Install

\`\`\`sh
pnpm add @noether/${name} @tensorflow/tfjs
\`\`\`

\`@tensorflow/tfjs\` (4.22) is a peer dependency.

## Example

\`\`\`ts
import { ${Err} } from '@noether/${name}';
\`\`\`

## API

| export | what |
| ------ | ---- |
| \`${Err}\` | the package's error (a \`NoetherError\`; \`code\`: \`INVALID_ARGUMENT\`, \`NON_FINITE\`, \`NOT_CONVERGED\`) |

## Notes

## References
`,
  };
}

/** Writes the package under `root/packages/<name>`; returns its directory. */
export function createPackage(root, name, description, deps = []) {
  if (!/^[a-z][a-z0-9-]*$/.test(name ?? ''))
    throw new Error(`new-package: name must be kebab-case, got '${name}'`);
  if (!description) throw new Error('new-package: give a one-line description');
  for (const d of deps) {
    if (!existsSync(join(root, 'packages', d, 'package.json')) || d === 'test-utils')
      throw new Error(`new-package: dependency '${d}' is not a package in packages/`);
  }
  const dir = join(root, 'packages', name);
  if (existsSync(dir)) throw new Error(`new-package: ${dir} exists`);
  for (const [path, content] of Object.entries(files(name, description, deps))) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  mkdirSync(join(dir, 'bench'), { recursive: true });
  if (existsSync(join(root, 'LICENSE'))) copyFileSync(join(root, 'LICENSE'), join(dir, 'LICENSE'));
  writeFileSync(join(dir, 'CHANGELOG.md'), `# @noether/${name}\n`);
  return dir;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const at = args.indexOf('--root');
  const root = at >= 0 ? args.splice(at, 2)[1] : process.cwd();
  const [name, description, ...deps] = args;
  try {
    const dir = createPackage(root, name, description, deps);
    console.log(
      `created ${dir}: now add '${name}' to the allowed table in eslint.config.js, run pnpm install,`,
    );
    console.log('and add the package to the root README (see CONTRIBUTING.md, "How to add a package").');
  } catch (e) {
    console.error(e.message);
    process.exit(2);
  }
}
