// `bun run bench/plot-outage.ts`: draws bench/results/outage.json as outage.svg, one panel per
// configuration and pass, every request a point on a log latency axis; and as outage.png
// where Chromium is installed.
import { chromiumPath } from '../test/support/chromium.ts';
import type { OutageResults } from './support/outage-report.ts';
import type { PassSummary } from './support/outage-summary.ts';
import { writePng } from './support/svg-to-png.ts';

const resultsDir = new URL('./results/', import.meta.url).pathname;
const results = (await Bun.file(`${resultsDir}outage.json`).json()) as OutageResults;

const panel = { width: 560, height: 210, left: 64, top: 34, right: 16, bottom: 44 };
const plotWidth = panel.width - panel.left - panel.right;
const plotHeight = panel.height - panel.top - panel.bottom;
const latencyTicksMs = [1, 10, 100, 1_000, 10_000];
const [minLatencyMs, maxLatencyMs] = [0.3, 30_000];
const TIME_STEPS_S = [1, 2, 5, 10, 20, 50, 100, 200];

// Each panel has its own time axis: without a breaker the sequential pass lasts ten times
// longer than with one.
const endOf = (pass: PassSummary) => Math.max(...pass.samples.map(([t, latency]) => t + latency));
const panels = Object.entries(results.configs).flatMap(([name, passes], row) =>
  (['sequential', 'concurrent'] as const).map((kind, column) =>
    drawPanel(`${name} · ${kind}`, passes[kind], column * panel.width,
      40 + row * panel.height),
  ),
);
const rows = Object.keys(results.configs).length;
const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${2 * panel.width}" \
height="${40 + rows * panel.height}" font-family="sans-serif" font-size="11">
<rect width="100%" height="100%" fill="white"/>
<text x="12" y="24" font-size="15" font-weight="bold">GET /entries/:id latency while Redis is \
frozen (SIGSTOP … SIGCONT)</text>
<text x="${2 * panel.width - 12}" y="24" text-anchor="end">\
<tspan fill="#fbd5d5">■</tspan> Redis frozen  <tspan fill="#c2410c">┆</tspan> breaker open  \
<tspan fill="#15803d">┆</tspan> cache hits again  <tspan fill="#2563eb">●</tspan> 2xx  \
<tspan fill="#dc2626">●</tspan> other</text>
${panels.join('\n')}
</svg>
`;
await Bun.write(`${resultsDir}outage.svg`, svg);
console.log(`wrote ${resultsDir}outage.svg`);
if (await writePng(svg, `${resultsDir}outage.png`)) console.log(`wrote ${resultsDir}outage.png`);
else console.log(`no ${chromiumPath}: outage.png not drawn`);

function drawPanel(title: string, pass: PassSummary, x0: number, y0: number) {
  const endMs = endOf(pass);
  const x = (ms: number) => x0 + panel.left + (ms / endMs) * plotWidth;
  const y = (latencyMs: number) => {
    const clamped = Math.min(maxLatencyMs, Math.max(minLatencyMs, latencyMs));
    const share = Math.log(clamped / minLatencyMs) / Math.log(maxLatencyMs / minLatencyMs);

    return y0 + panel.top + (1 - share) * plotHeight;
  };
  const [top, bottom] = [y0 + panel.top, y0 + panel.top + plotHeight];
  const marker = (ms: number | null, colour: string) =>
    ms === null ? '' : `<line x1="${x(ms)}" x2="${x(ms)}" y1="${top}" y2="${bottom}" \
stroke="${colour}" stroke-dasharray="4 3"/>`;
  // One path per colour, a zero-length round-capped segment per request: a small file.
  const dots = (ok: boolean) => pass.samples
    .filter(([, , status]) => (status >= 200 && status < 300) === ok)
    .map(([t, latency]) => `M${x(t).toFixed(1)} ${y(latency).toFixed(1)}h0`)
    .join('');
  const width = pass.samples.length > 2_000 ? 2 : 4;
  const points = [
    `<path d="${dots(true)}" stroke="#2563eb" stroke-width="${width}" stroke-linecap="round" \
stroke-opacity="0.6"/>`,
    `<path d="${dots(false)}" stroke="#dc2626" stroke-width="6" stroke-linecap="round"/>`,
  ];
  const openedAtMs =
    pass.breaker_open_ms === null ? null : pass.freeze_at_ms + pass.breaker_open_ms;
  const recoveredAtMs = pass.recovery_ms === null ? null : pass.resume_at_ms + pass.recovery_ms;
  const secondsStep = TIME_STEPS_S.find((step) => endMs / 1000 / step <= 10) ?? 1_000;
  const timeTicks = Array.from({ length: Math.floor(endMs / 1000 / secondsStep) + 1 }, (_, i) =>
    i * secondsStep);

  return `<g>
<text x="${x0 + panel.left}" y="${y0 + 22}" font-size="13" font-weight="bold">${title}</text>
<rect x="${x(pass.freeze_at_ms)}" y="${top}" height="${plotHeight}" fill="#fbd5d5" \
width="${x(pass.resume_at_ms) - x(pass.freeze_at_ms)}"/>
${marker(openedAtMs, '#c2410c')}
${marker(recoveredAtMs, '#15803d')}
${latencyTicksMs.map((ms) => `<line x1="${x0 + panel.left}" x2="${x0 + panel.left + plotWidth}" \
y1="${y(ms)}" y2="${y(ms)}" stroke="#e5e7eb"/><text x="${x0 + panel.left - 6}" y="${y(ms) + 4}" \
text-anchor="end">${ms >= 1_000 ? `${ms / 1_000} s` : `${ms} ms`}</text>`).join('\n')}
${timeTicks.map((s) => `<text x="${x(s * 1000)}" y="${bottom + 14}" \
text-anchor="middle">${s}</text>`).join('\n')}
${points.join('\n')}
<rect x="${x0 + panel.left}" y="${top}" width="${plotWidth}" height="${plotHeight}" fill="none" \
stroke="#9ca3af"/>
<text x="${x0 + panel.left + plotWidth / 2}" y="${bottom + 30}" text-anchor="middle">\
request start, s since the pass began</text>
<text transform="translate(${x0 + 14} ${top + plotHeight / 2}) rotate(-90)" \
text-anchor="middle">latency (log)</text>
</g>`;
}
