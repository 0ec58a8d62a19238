import { createTsupConfig } from '../../config/tsup.base';

export default createTsupConfig({
  entry: { cli: 'src/cli/main.ts' },
  format: ['esm'],
  dts: false,
  banner: { js: '#!/usr/bin/env node' },
});
