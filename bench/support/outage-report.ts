import type { PassSummary } from './outage-summary.ts';

export type ConfigName = 'no-breaker' | 'classic' | 'breakwater';
export type OutageResults = {
  configs: Partial<Record<ConfigName, { sequential: PassSummary; concurrent: PassSummary }>>;
};

const columns: readonly (keyof PassSummary)[] = [
  'requests', 'outage_requests', 'lost_ms', 'p50_ms', 'p99_ms', 'max_ms', 'p99_after_open_ms',
  'healthy_p50_ms', 'healthy_p99_ms', 'non2xx', 'breaker_open_ms', 'recovery_ms',
];

export function outageTable(results: OutageResults): string {
  const lines = [
    `| config | pass | ${columns.join(' | ')} |`,
    `|---|---|${columns.map(() => '---:').join('|')}|`,
  ];
  for (const [name, passes] of Object.entries(results.configs)) {
    for (const [kind, summary] of Object.entries(passes)) {
      const cells = columns.map((column) => String(summary[column] ?? '–'));
      lines.push(`| ${name} | ${kind} | ${cells.join(' | ')} |`);
    }
  }

  return lines.join('\n');
}
