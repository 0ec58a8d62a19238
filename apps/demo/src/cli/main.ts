// The `noether` executable.
import { quietTfjsBanner } from '@noether/autodiff';
import pkg from '../../package.json';
import { runCli } from './run-cli';

quietTfjsBanner();
runCli(process.argv.slice(2), {
  version: pkg.version,
  env: process.env,
  out: (text) => console.log(text),
  err: (text) => console.error(text),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // runCli reports every error itself; this is a bug in the reporting.
    console.error(`noether: internal error: ${String(error)}`);
    process.exitCode = 1;
  },
);
