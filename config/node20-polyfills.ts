// Node 20 lacks Map.groupBy (ES2024). Vitest 5's reporter calls it while printing failed tests, and without it
// the failure details are lost behind a TypeError. Imported by vitest.config.ts (the runner's main process).
type GroupBy = <K, T>(items: Iterable<T>, key: (item: T, index: number) => K) => Map<K, T[]>;

const mapWithGroupBy = Map as unknown as { groupBy?: GroupBy };
if (typeof mapWithGroupBy.groupBy !== 'function') {
  const groupBy: GroupBy = (items, key) => {
    const groups = new Map();
    let index = 0;
    for (const item of items) {
      const k = key(item, index++);
      const group = groups.get(k);
      if (group) group.push(item);
      else groups.set(k, [item]);
    }
    return groups;
  };
  Object.defineProperty(Map, 'groupBy', { value: groupBy, writable: true, configurable: true });
}
