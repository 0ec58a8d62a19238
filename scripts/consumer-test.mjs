// The packed-tarball consumer test: what an npm user gets.
//
//   node scripts/consumer-test.mjs [--keep] [--only <pkg>,...]
//
// 1. `pnpm pack` every publishable package (after `pnpm build`), checks each tarball holds LICENSE, README,
//    dist and nothing from the tests.
// 2. Installs the library tarballs, @tensorflow/tfjs and @types/node (nothing else) into a scratch project
//    with npm (the CLI tarball goes into a second project, step 5).
// 3. Writes the consumer files: tests/consumer/consumer.mts and .cts (every package imported and used, with
//    type-level checks that public types resolve and are not `any`) and every ```ts block of every package
//    README (each one a whole program), then type-checks them with `tsc --strict` WITHOUT skipLibCheck.
//    Declaration errors inside @tensorflow/* are ignored by a narrow filter (tfjs's own .d.ts files do not
//    pass strict lib checking); any other error fails the test.
// 4. Runs the compiled consumer in ESM and in CJS, and every README example, each in its own process.
// 5. Runs the installed `noether` CLI (from the @noether/cli tarball): --version, help, usage errors (one line,
//    exit 2), a data generate + info round trip.
//
// Exit 0 when everything passes, 1 otherwise. Needs Node 20, npm and pnpm; network only for what npm's
// cache does not hold (tfjs and the packages' third-party dependencies).
import { execFileSync, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { performance } from 'node:perf_hooks';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const keep = args.includes('--keep');
const onlyArg = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const only = onlyArg ? new Set(onlyArg.split(',')) : undefined;
const TFJS_VERSION = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).devDependencies[
  '@tensorflow/tfjs'
];
const EXAMPLE_TIMEOUT_MS = 180_000;

const failures = [];
const fail = (what) => {
  failures.push(what);
  console.log(`FAIL ${what}`);
};
const ok = (what) => console.log(`ok   ${what}`);
const started = performance.now();
const seconds = () => ((performance.now() - started) / 1000).toFixed(0);

/** Publishable packages: packages/* and apps/* that are not private. */
const packages = ['packages', 'apps']
  .flatMap((group) =>
    readdirSync(join(root, group)).map((dir) => ({ dir: join(root, group, dir), short: dir })),
  )
  .filter((p) => existsSync(join(p.dir, 'package.json')))
  .map((p) => ({ ...p, pkg: JSON.parse(readFileSync(join(p.dir, 'package.json'), 'utf8')) }))
  .filter((p) => !p.pkg.private);

for (const p of packages) {
  const built = p.pkg.bin ? Object.values(p.pkg.bin) : ['dist/index.js'];
  if (!built.every((f) => existsSync(join(p.dir, f)))) {
    console.error(`consumer-test: ${p.pkg.name} is not built (run pnpm build first)`);
    process.exit(2);
  }
}

const scratch = mkdtempSync(join(tmpdir(), 'noether-consumer-'));
const tarballs = join(scratch, 'tarballs');
const project = join(scratch, 'project');
mkdirSync(tarballs);
mkdirSync(join(project, 'src'), { recursive: true });
console.log(`consumer test in ${scratch}`);

// 1. Pack.
const packed = {};
for (const p of packages) {
  const out = execFileSync('pnpm', ['pack', '--pack-destination', tarballs], {
    cwd: p.dir,
    encoding: 'utf8',
  });
  const file = out
    .trim()
    .split('\n')
    .map((l) => l.trim())
    .reverse()
    .find((l) => l.endsWith('.tgz'));
  const tgz = file && existsSync(file) ? file : join(tarballs, file ?? '');
  if (!existsSync(tgz)) {
    fail(`pnpm pack ${p.pkg.name}: no tarball in its output:\n${out}`);
    continue;
  }
  packed[p.pkg.name] = tgz;
  const list = execFileSync('tar', ['-tzf', tgz], { encoding: 'utf8' }).split('\n');
  const has = (f) => list.includes(`package/${f}`);
  const required = p.pkg.bin
    ? Object.values(p.pkg.bin).map((f) => f.replace(/^\.\//, ''))
    : ['dist/index.js', 'dist/index.cjs', 'dist/index.d.ts', 'dist/index.d.cts'];
  const missing = ['LICENSE', 'README.md', 'CHANGELOG.md', 'package.json', ...required].filter(
    (f) => !has(f),
  );
  const stray = list.filter((f) => /\.test\.ts$|\/bench\//.test(f));
  const manifest = JSON.parse(
    execFileSync('tar', ['-xzOf', tgz, 'package/package.json'], { encoding: 'utf8' }),
  );
  const workspaceRefs = Object.entries({ ...manifest.dependencies, ...manifest.peerDependencies }).filter(
    ([, v]) => String(v).startsWith('workspace:'),
  );
  if (missing.length || stray.length || workspaceRefs.length)
    fail(
      `${p.pkg.name} tarball: missing [${missing.join(', ')}], test/bench files [${stray.join(', ')}], workspace: ranges [${workspaceRefs.map(([k]) => k).join(', ')}]`,
    );
  else ok(`${p.pkg.name} packed (${list.filter(Boolean).length} files, LICENSE included)`);
}

// 2. Install into a scratch project: the tarballs, tfjs, @types/node and nothing else.
writeFileSync(
  join(project, 'package.json'),
  JSON.stringify(
    {
      name: 'noether-consumer',
      private: true,
      type: 'module',
      dependencies: {
        ...Object.fromEntries(
          Object.entries(packed)
            .filter(([name]) => name !== '@noether/cli')
            .map(([name, tgz]) => [name, `file:${relative(project, tgz)}`]),
        ),
        '@tensorflow/tfjs': TFJS_VERSION,
      },
      devDependencies: { '@types/node': '^20.19.0' },
    },
    null,
    2,
  ),
);
const install = spawnSync(
  'npm',
  ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', '--no-update-notifier'],
  {
    cwd: project,
    encoding: 'utf8',
  },
);
if (install.status !== 0) {
  fail(`npm install of the tarballs:\n${install.stdout}${install.stderr}`);
  finish();
}
ok(`npm install (tarballs + @tensorflow/tfjs ${TFJS_VERSION}) [${seconds()} s]`);

// 3. Consumer sources: the hand-written consumer (ESM and CJS) and every README example.
const consumerDir = join(root, 'tests', 'consumer');
cpSync(join(consumerDir, 'consumer.mts'), join(project, 'src', 'consumer.mts'));
cpSync(join(consumerDir, 'consumer.mts'), join(project, 'src', 'consumer.cts'));
const examples = [];
for (const p of packages) {
  if (only && !only.has(p.short)) continue;
  const readme = readFileSync(join(p.dir, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/^```ts\n([\s\S]*?)^```$/gm)];
  blocks.forEach((m, i) => {
    const line = readme.slice(0, m.index).split('\n').length + 1;
    const name = `readme-${p.short}-${i + 1}`;
    writeFileSync(
      join(project, 'src', `${name}.mts`),
      `// packages/${p.short}/README.md line ${line}\n${m[1]}`,
    );
    examples.push({ name, where: `packages/${p.short}/README.md:${line}` });
  });
}
writeFileSync(
  join(project, 'tsconfig.json'),
  JSON.stringify(
    {
      compilerOptions: {
        target: 'ES2022',
        lib: ['ES2022'],
        module: 'nodenext',
        moduleResolution: 'nodenext',
        strict: true,
        skipLibCheck: false,
        types: ['node'],
        outDir: 'dist',
        rootDir: 'src',
        noEmitOnError: false,
      },
      include: ['src'],
    },
    null,
    2,
  ),
);
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const checked = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.json', '--pretty', 'false'], {
  cwd: project,
  encoding: 'utf8',
});
// One diagnostic per line `file(line,col): error TSxxxx: ...`, with indented continuation lines.
const diagnostics = [];
for (const l of (checked.stdout + checked.stderr).split('\n')) {
  if (/^\S.*\(\d+,\d+\): error TS\d+/.test(l) || /^error TS\d+/.test(l)) diagnostics.push(l);
  else if (l.trim() && diagnostics.length) diagnostics[diagnostics.length - 1] += `\n${l}`;
}
// The narrow filter: errors located in tfjs's own declaration files.
const isTfjsOwn = (d) => /^node_modules\/(@tensorflow\/[^/(]+|@webgpu\/types)\/[^(]+\.d\.ts\(/.test(d);
const ours = diagnostics.filter((d) => !isTfjsOwn(d));
const ignored = diagnostics.length - ours.length;
if (ours.length) fail(`tsc --strict (no skipLibCheck): ${ours.length} errors\n${ours.join('\n')}`);
else
  ok(
    `tsc --strict without skipLibCheck: consumer (ESM, CJS) and ${examples.length} README examples (${ignored} errors inside @tensorflow/*'s own .d.ts ignored) [${seconds()} s]`,
  );

// 4. Run.
function run(file, label, extra = []) {
  const r = spawnSync(process.execPath, [file, ...extra], {
    cwd: project,
    encoding: 'utf8',
    timeout: EXAMPLE_TIMEOUT_MS,
    env: { ...process.env, NOETHER_BACKEND: process.env.NOETHER_BACKEND ?? '' },
  });
  const out = `${r.stdout}${r.stderr}`.trim();
  if (r.status !== 0)
    fail(`${label} exited ${r.status ?? r.signal}:\n${out.split('\n').slice(-25).join('\n')}`);
  else if (!r.stdout.trim()) fail(`${label} printed nothing (every example logs its result)`);
  else if (/Hi, looks like you are running TensorFlow\.js/.test(out))
    fail(`${label} printed tfjs's Node banner`);
  else ok(`${label} [${seconds()} s]\n       ${r.stdout.trim().split('\n').slice(0, 6).join('\n       ')}`);
}
run('dist/consumer.mjs', 'consumer, ESM (import)');
run('dist/consumer.cjs', 'consumer, CJS (require)');
for (const e of examples) run(`dist/${e.name}.mjs`, `README example ${e.where}`);

// 5. The CLI, as `npx noether` runs it from the installed tarball: exit codes, one-line errors, a real command.
if (packed['@noether/cli']) {
  // Its own scratch project: the CLI brings the wasm backend and vega, which the library consumer must not see.
  const cliProject = join(scratch, 'cli');
  mkdirSync(cliProject);
  writeFileSync(
    join(cliProject, 'package.json'),
    JSON.stringify({
      name: 'noether-cli-user',
      private: true,
      dependencies: Object.fromEntries(
        Object.entries(packed).map(([name, tgz]) => [name, `file:${relative(cliProject, tgz)}`]),
      ),
    }),
  );
  const cliInstall = spawnSync(
    'npm',
    ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', '--no-update-notifier'],
    { cwd: cliProject, encoding: 'utf8' },
  );
  if (cliInstall.status !== 0)
    fail(`npm install of the CLI tarball:\n${cliInstall.stdout}${cliInstall.stderr}`);
  else ok(`npm install of @noether/cli and the library tarballs [${seconds()} s]`);
  const bin = join(cliProject, 'node_modules', '.bin', 'noether');
  const cli = (argv) =>
    spawnSync(bin, argv, { cwd: cliProject, encoding: 'utf8', timeout: EXAMPLE_TIMEOUT_MS });
  const expectCli = (argv, code, pattern, stream = 'stdout') => {
    const r = cli(argv);
    const text = (stream === 'stdout' ? r.stdout : r.stderr).trim();
    const label = `noether ${argv.join(' ')}`;
    if (r.status !== code) fail(`${label} exited ${r.status}, expected ${code}:\n${r.stdout}${r.stderr}`);
    else if (!pattern.test(text)) fail(`${label}: ${stream} does not match ${pattern}:\n${text}`);
    else if (stream === 'stderr' && text.split('\n').length !== 1)
      fail(`${label}: more than one line:\n${text}`);
    else ok(`${label} -> exit ${code}: ${text.split('\n')[0]}`);
  };
  const version = JSON.parse(readFileSync(join(root, 'apps', 'demo', 'package.json'), 'utf8')).version;
  expectCli(['--version'], 0, new RegExp(`^${version.replace(/\./g, '\\.')}$`));
  expectCli(['data'], 0, /data list[\s\S]*data generate[\s\S]*data info/);
  expectCli(['nope'], 2, /^noether: unknown command 'nope'/, 'stderr');
  expectCli(['data', 'generate', 'ho', '--bogus'], 2, /Unknown option '--bogus'/, 'stderr');
  expectCli(
    ['data', 'generate', 'ho', '--count', '2', '--samples', '4', '--out', 'generated'],
    0,
    /wrote generated\/ho-train\.npz/,
  );
  expectCli(['data', 'info', 'generated/ho-train.npz'], 0, /x\s+float64\s+\[2, 4, 2\]/);
  expectCli(['backend'], 0, /^backend: (tensorflow|wasm|cpu)/);
}
finish();

function finish() {
  if (!keep) rmSync(scratch, { recursive: true, force: true });
  else console.log(`kept ${scratch}`);
  console.log(
    failures.length
      ? `\nconsumer test: ${failures.length} FAILED [${seconds()} s]`
      : `\nconsumer test: passed [${seconds()} s]`,
  );
  process.exit(failures.length ? 1 : 0);
}
