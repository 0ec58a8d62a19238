import { format } from 'prettier';
import { describe, expect, it } from 'vitest';
import { alignTable, readmeMarkers, replaceReadmeTable } from './report';

const table = [
  '| method | order | dt = 0.02 |',
  '|---|---|---|',
  '| leapfrog | 2 | 5.11e-4 |',
  '| yoshida6 | 6 | 2.34e-9 |',
];

describe('the integrators README table', () => {
  it('is aligned exactly as Prettier formats it, so the generated README passes prettier --check', async () => {
    const aligned = alignTable(table).join('\n') + '\n';
    expect(await format(table.join('\n'), { parser: 'markdown' })).toBe(aligned);
  });

  it('replaces only the text between the markers, and refuses a README without them', () => {
    const [start, end] = readmeMarkers;
    const readme = `intro\n\n${start}\n\nold table\n\n${end}\n\nrest\n`;
    const out = replaceReadmeTable(readme, table);
    expect(out.startsWith(`intro\n\n${start}\n\n| method   |`)).toBe(true);
    expect(out.endsWith(`| yoshida6 | 6     | 2.34e-9   |\n\n${end}\n\nrest\n`)).toBe(true);
    expect(out).not.toContain('old table');
    expect(() => replaceReadmeTable('no markers', table)).toThrow(/markers/);
  });
});
