export { FilesError } from './files-error';
export type { FilesErrorCode } from './files-error';
export { writeFileAtomic } from './write-file-atomic';
export { checkWritableFolder } from './check-writable-folder';
export type { WriteFileAtomicOptions, WriteFileAtomicResult, WriterFs } from './write-file-atomic';
export { DEFAULT_MAX_READ_BYTES, readFileLimited, statRegularFile } from './read-file-limited';
export type { ReadLimitOptions } from './read-file-limited';
