/**
 * Benchmark 3: CSV export of 1,000 and 10,000 submissions against a raw paginated Query of the
 * same items, and peak memory at both sizes. The export route is issue 5 and not built yet: the
 * row says so until it is.
 *
 * Run alone: `npx tsx bench/csv-export.ts`.
 */
import { isMain, runAlone, type BenchContext } from './support.ts';

export async function benchCsvExport(ctx: BenchContext): Promise<void> {
  ctx.report({
    benchmark: '3 CSV export (1,000 / 10,000 submissions)',
    figure: 'n/a — export route not built yet (issue 5)',
    baseline: 'raw paginated Query of the same items',
    ratio: 'n/a',
    goal: '≤ 1.5×; peak memory within 50 MB of each other',
    met: 'n/a',
  });
}

if (isMain(import.meta.url)) await runAlone('CSV export', benchCsvExport, { needsStack: false });
