import type { BackendInfo } from './backend';

/** What a panel gets from the page. */
export interface PanelContext {
  /** The backend picked at load. */
  backend: BackendInfo;
}

/** A panel module: builds its controls, run button, live progress and plots inside `root`. */
export interface PanelModule {
  mount(root: HTMLElement, context: PanelContext): void;
}

/** The panels in page order; each is its own chunk (loaded when its tab opens). */
export const PANELS: ReadonlyArray<{ id: string; title: string; load: () => Promise<PanelModule> }> = [
  { id: 'autodiff', title: 'autodiff', load: () => import('./panels/autodiff-panel') },
  { id: 'integrators', title: 'integrators', load: () => import('./panels/integrators-panel') },
  { id: 'pinn-proj', title: 'PINN-Proj', load: () => import('./panels/pinn-proj-panel') },
  { id: 'datasets', title: 'datasets', load: () => import('./panels/datasets-panel') },
  {
    id: 'param-symmetry',
    title: 'param-symmetry',
    load: () => import('./panels/param-symmetry-panel'),
  },
  { id: 'razor', title: 'razor', load: () => import('./panels/razor-panel') },
  { id: 'ecf', title: 'ECF', load: () => import('./panels/ecf-panel') },
];
