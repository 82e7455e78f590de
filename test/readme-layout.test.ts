import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The README's module layout against the tree: every file it names exists, and every source
 * file of infra/, functions/, shared/ and forms/index.ts is named there (by its name, its name
 * without extension, or a `prefix-*` pattern), and so is every source folder.
 */
const root = new URL('..', import.meta.url).pathname;
const readme = readFileSync(`${root}README.md`, 'utf8');
const layout = readme.slice(readme.indexOf('### Module layout'), readme.indexOf('### Data model'));
const block = layout.slice(layout.indexOf('```') + 3, layout.lastIndexOf('```'));
const tracked = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8' })
  .split('\n')
  .filter((path) => path !== '' && !path.startsWith('node_modules/'));

/** Words of the block: file names, folder names, `prefix-*` patterns. */
const words = new Set(block.match(/[\w@.*-]+(?:\/[\w.*-]+)*\/?/g) ?? []);
const named = (path: string) => {
  const name = basename(path);
  const stem = name.replace(/\.(tsx?|json|md|csv|cjs)$/, '');
  if ([...words].some((word) => word === name || word === stem || word.endsWith(`/${name}`))) return true;
  return [...words].some((word) => word.endsWith('*') && stem.startsWith(word.slice(0, -1).split('/').at(-1) ?? '\0'));
};

const sources = tracked.filter(
  (path) =>
    /^(infra|functions|shared)\/.*\.(tsx?|json)$/.test(path) &&
    !path.startsWith('shared/data/seeds/'),
);

describe('README module layout', () => {
  it('finds the layout block', () => {
    expect(block.length).toBeGreaterThan(1000);
    expect(sources.length).toBeGreaterThan(100);
  });

  it('names every source file of infra/, functions/ and shared/', () => {
    expect(sources.filter((path) => !named(path))).toEqual([]);
  });

  it('names every source folder', () => {
    const folders = [...new Set(sources.map((path) => dirname(path)))];
    const missing = folders.filter((folder) => {
      const last = basename(folder);
      return ![...words].some((word) => word.split('/').slice(0, word.endsWith('/') ? undefined : -1).includes(last));
    });
    expect(missing).toEqual([]);
  });

  it('names no file that is not in the tree', () => {
    const names = new Set(tracked.map((path) => basename(path)));
    const files = [...words].map((word) => word.split('/').at(-1) ?? '').filter((word) => !word.includes('*') && /\.(tsx?|json|md|csv|cjs)$/.test(word));
    expect(files.length).toBeGreaterThan(40);
    expect(files.filter((file) => !names.has(file))).toEqual([]);
  });
});
