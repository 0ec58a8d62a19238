// Scaffolds packages/<name> with the shared build, exports map and README. Usage:
//   node scripts/new-package.mjs <name> "<description>" [dep ...]
import { copyFileSync, mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const [name, description, ...deps] = process.argv.slice(2);
if (!name || !description) {
  console.error('usage: node scripts/new-package.mjs <name> "<description>" [dep ...]');
  process.exit(2);
}
const dir = join('packages', name);
if (existsSync(dir)) {
  console.error(`new-package: ${dir} exists`);
  process.exit(2);
}
mkdirSync(join(dir, 'src'), { recursive: true });
mkdirSync(join(dir, 'bench'), { recursive: true });
const pkg = {
  name: `@noether/${name}`,
  version: '0.1.0',
  description,
  license: 'MIT',
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
    publint: 'publint',
    bench: 'vitest bench --run --dir bench --config ../../vitest.config.ts',
  },
  dependencies: Object.fromEntries(deps.map((d) => [`@noether/${d}`, 'workspace:^'])),
  peerDependencies: { '@tensorflow/tfjs': '^4.22.0' },
  devDependencies: { '@tensorflow/tfjs': '4.22.0' },
};
writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
writeFileSync(
  join(dir, 'tsup.config.ts'),
  "import { createTsupConfig } from '../../config/tsup.base';\n\nexport default createTsupConfig();\n",
);
writeFileSync(join(dir, 'src', 'index.ts'), `export {};\n`);
writeFileSync(join(dir, 'README.md'), `# @noether/${name}\n\n${description}\n`);
copyFileSync('LICENSE', join(dir, 'LICENSE'));
writeFileSync(
  join(dir, 'CHANGELOG.md'),
  `# @noether/${name}\n\n## 0.1.0\n\nFirst version (not published to npm). Later versions are written here by \`pnpm changeset version\`.\n`,
);
console.log(`created ${dir}`);
