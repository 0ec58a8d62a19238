// The page shell: picks the backend, shows it, and mounts each panel (its own chunk) when its tab opens.
import { pickBackend, type BackendInfo } from './backend';
import { PANELS, type PanelContext } from './panel';
import { el } from './ui';

/** Timings the e2e test reads (ms since navigation start). */
interface PageTimings {
  backendReadyMs?: number;
  firstPanelInteractiveMs?: number;
}
const timings: PageTimings = {};
(globalThis as unknown as { __noether: PageTimings }).__noether = timings;

const backendLine = document.getElementById('backend') as HTMLElement;
const tabs = document.getElementById('tabs') as HTMLElement;
const main = document.getElementById('panels') as HTMLElement;

function describe(info: BackendInfo): string {
  const features = info.features.length ? ` (${info.features.join(', ')})` : '';
  return `TensorFlow.js backend: ${info.name}${features}; ${info.reason}`;
}

async function start(): Promise<void> {
  const forced = new URLSearchParams(location.search).get('backend');
  const backend = await pickBackend(forced);
  timings.backendReadyMs = performance.now();
  backendLine.textContent = describe(backend);
  backendLine.dataset.backend = backend.name;
  const context: PanelContext = { backend };

  const sections = new Map<string, HTMLElement>();
  const loaded = new Map<string, Promise<void>>();
  const show = async (id: string): Promise<void> => {
    for (const [key, section] of sections) section.hidden = key !== id;
    for (const b of Array.from(tabs.querySelectorAll('button')))
      b.setAttribute('aria-selected', String(b.dataset.panel === id));
    if (!loaded.has(id)) {
      const spec = PANELS.find((p) => p.id === id);
      const section = sections.get(id);
      if (!spec || !section) return;
      loaded.set(
        id,
        spec.load().then((module) => {
          section.replaceChildren();
          module.mount(section, context);
          section.dataset.ready = 'true';
        }),
      );
    }
    await loaded.get(id);
  };
  for (const p of PANELS) {
    const section = el('section', { id: `panel-${p.id}`, 'data-testid': `panel-${p.id}`, class: 'panel' }, [
      el('p', { text: `Loading ${p.title}…` }),
    ]);
    section.hidden = true;
    sections.set(p.id, section);
    main.append(section);
    const button = el('button', {
      role: 'tab',
      'data-panel': p.id,
      'data-testid': `tab-${p.id}`,
      text: p.title,
    });
    button.addEventListener('click', () => void show(p.id));
    tabs.append(button);
  }
  const initial = location.hash.slice(1);
  await show(PANELS.some((p) => p.id === initial) ? initial : PANELS[0].id);
  timings.firstPanelInteractiveMs = performance.now();
  document.body.dataset.ready = 'true';
}

if (import.meta.env.PROD && 'serviceWorker' in navigator) {
  // Offline after first load: the worker precaches every file of the build.
  navigator.serviceWorker.register('./sw.js').catch((error: Error) => {
    console.warn(`service worker not registered: ${error.message}`);
  });
}

start().catch((error: Error) => {
  backendLine.textContent = `Error: ${error.message}`;
  backendLine.classList.add('error');
  console.error(error);
});
