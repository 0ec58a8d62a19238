export { DatasetsError, type DatasetsErrorCode } from './errors';
export { type Boundary, type GridOptions, type PdeSolution } from './pde/pde-solution';
export {
  solveAdvection1d,
  solveAdvection2d,
  type Advection1dOptions,
  type Advection2dOptions,
} from './pde/advection';
export { solveWave1d, type Wave1dOptions } from './pde/wave';
export { solveHeat1d, solveReactionDiffusion1d, type Heat1dOptions } from './pde/heat';
export { solveBurgers1d, type Burgers1dOptions } from './pde/burgers';
export { solveKdv1d, type Kdv1dOptions } from './pde/kdv';
export { solveKdvReference, kdvSoliton, type KdvReferenceOptions } from './pde/kdv-reference';
export { solveBurgersSine, type BurgersSineOptions } from './pde/burgers-exact';
export {
  solveKdvSpectral,
  solveAllenCahn1d,
  type KdvSpectralOptions,
  type AllenCahnOptions,
} from './pde/spectral';
export {
  solveShallowWater1d,
  type ShallowWater1dOptions,
  type ShallowWaterInitial,
} from './pde/shallow-water';
export {
  pinnProjPresets,
  solvePinnProjPreset,
  type PinnProjPreset,
  type PinnProjPresetName,
  type PinnProjPresetOptions,
} from './pde/presets';
export {
  defineConserved,
  defineSystem,
  matrixRank,
  poissonBracket,
  razorSplits,
  sampleNormal,
  symmetryGenerator,
  symplecticMatrix,
  tensorFunction,
  type ConservedQuantity,
  type PhysicalSystem,
  type SamplerOptions,
} from './systems/physical-system';
export { harmonicOscillator, nHarmonicOscillators, massSpringChain } from './systems/harmonic';
export { pendulum, doublePendulum } from './systems/pendulum';
export { kepler, keplerOrbit, type KeplerOrbit } from './systems/kepler';
export { nBody, planarThreeBody, type NBodyOptions } from './systems/n-body';
export {
  generateTrajectories,
  type GenerateTrajectoriesOptions,
  type Trajectories,
} from './generate-trajectories';
export { crc32 } from './io/crc32';
export { encodeNpy, decodeNpy, type NpyArray, type NpyData } from './io/npy';
export { saveNpy, loadNpy, saveNpz, loadNpz, type NpzContents, type ReadOptions } from './io/files';
export { readPdeBench, writePdeBench, type PdeBenchData, type PdeBenchInput } from './io/hdf5';
export {
  savePdeSolution,
  loadPdeSolution,
  saveTrajectories,
  loadTrajectories,
  savePdeBatch,
} from './io/dataset-files';
export {
  datasetCatalog,
  buildDataset,
  type CatalogEntry,
  type CatalogOptions,
  type PdeBatch,
} from './catalog';
