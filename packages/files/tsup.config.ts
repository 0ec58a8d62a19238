import { createTsupConfig } from '../../config/tsup.base';

export default createTsupConfig();
