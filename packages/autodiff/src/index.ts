export { AutodiffError, type AutodiffErrorCode } from './errors';
export { initBackend, type BackendName, type BackendChoice, type InitBackendOptions } from './init-backend';
