// Browser stand-ins for the Node built-ins that @noether/datasets and @noether/files import at top level for
// their file I/O (`fs`, `path`, `zlib`, `crypto`). The page never calls them; Vite's own placeholder throws as soon as a named import
// is read in the dev server, so without these the dev page fails to load the package at all.
function unavailable(name: string): () => never {
  return () => {
    throw new Error(`${name} is not available in the browser (file I/O of @noether/datasets runs in Node)`);
  };
}

export const closeSync = unavailable('fs.closeSync');
export const existsSync = unavailable('fs.existsSync');
export const fsyncSync = unavailable('fs.fsyncSync');
export const openSync = unavailable('fs.openSync');
export const readFileSync = unavailable('fs.readFileSync');
export const readSync = unavailable('fs.readSync');
export const renameSync = unavailable('fs.renameSync');
export const unlinkSync = unavailable('fs.unlinkSync');
export const writeSync = unavailable('fs.writeSync');
export const basename = unavailable('path.basename');
export const dirname = unavailable('path.dirname');
export const join = unavailable('path.join');
export const resolve = unavailable('path.resolve');
export const randomBytes = unavailable('crypto.randomBytes');
export const inflateRawSync = unavailable('zlib.inflateRawSync');
export default {};
