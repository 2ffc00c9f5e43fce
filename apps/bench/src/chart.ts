import type { SearchResult } from './scenarios';
import type { SystemName } from './systems';

const WIDTH = 720;
const HEIGHT = 420;
const MARGIN = { left: 64, right: 150, top: 36, bottom: 52 };
const COLORS: Record<SystemName, string> = { baseline: '#1f77b4', parley: '#d62728' };
const PERCENTILES = [
  { key: 'p50', dash: '' },
  { key: 'p95', dash: '6 3' },
  { key: 'p99', dash: '2 3' },
] as const;

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function niceLabel(value: number): string {
  if (value >= 1000) return `${Number((value / 1000).toFixed(1))}k`;
  return String(Number(value.toPrecision(3)));
}

/**
 * Send→receive latency percentiles (log scale) against offered load (deliveries/s) from the
 * fan-out search, one colour per system. Hand-written SVG: no dependency for a few polylines.
 */
export function latencyChart(
  search: Partial<Record<SystemName, SearchResult>>,
  p99LimitMs: number,
): string {
  const series = (Object.entries(search) as [SystemName, SearchResult][]).filter(
    ([, result]) => result.points.length > 0,
  );
  const points = series.flatMap(([, result]) => result.points);
  const maxX = Math.max(1, ...points.map((point) => point.offeredDeliveriesPerSecond));
  const latencies = points.flatMap((point) => [point.receiveLatency.p50, point.receiveLatency.p99]);
  const minY = Math.max(0.1, Math.min(1, ...latencies.filter((value) => value > 0)));
  const maxY = Math.max(p99LimitMs * 2, ...latencies);
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = (value: number) => MARGIN.left + (value / maxX) * plotWidth;
  const logMin = Math.log10(minY);
  const logMax = Math.log10(maxY);
  const y = (value: number) =>
    MARGIN.top +
    plotHeight -
    ((Math.log10(Math.max(value, minY)) - logMin) / (logMax - logMin)) * plotHeight;

  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="11">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="white"/>`,
    `<text x="${MARGIN.left}" y="20" font-size="13">Send→receive latency against offered load</text>`,
  ];
  // Axes, with grid lines at decades (y) and fifths (x).
  for (let decade = Math.ceil(logMin); decade <= Math.floor(logMax); decade += 1) {
    const value = 10 ** decade;
    parts.push(
      `<line x1="${MARGIN.left}" x2="${MARGIN.left + plotWidth}" y1="${y(value).toFixed(1)}" y2="${y(value).toFixed(1)}" stroke="#ddd"/>`,
      `<text x="${MARGIN.left - 6}" y="${(y(value) + 4).toFixed(1)}" text-anchor="end">${niceLabel(value)}</text>`,
    );
  }
  for (let tick = 0; tick <= 5; tick += 1) {
    const value = (maxX * tick) / 5;
    parts.push(
      `<line x1="${x(value).toFixed(1)}" x2="${x(value).toFixed(1)}" y1="${MARGIN.top}" y2="${MARGIN.top + plotHeight}" stroke="#eee"/>`,
      `<text x="${x(value).toFixed(1)}" y="${MARGIN.top + plotHeight + 16}" text-anchor="middle">${niceLabel(value)}</text>`,
    );
  }
  parts.push(
    `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotWidth}" height="${plotHeight}" fill="none" stroke="#333"/>`,
    `<text x="${MARGIN.left + plotWidth / 2}" y="${HEIGHT - 12}" text-anchor="middle">offered load (deliveries/s)</text>`,
    `<text transform="translate(16 ${MARGIN.top + plotHeight / 2}) rotate(-90)" text-anchor="middle">latency (ms, log scale)</text>`,
    `<line x1="${MARGIN.left}" x2="${MARGIN.left + plotWidth}" y1="${y(p99LimitMs).toFixed(1)}" y2="${y(p99LimitMs).toFixed(1)}" stroke="#888" stroke-dasharray="8 4"/>`,
    `<text x="${MARGIN.left + 4}" y="${(y(p99LimitMs) - 4).toFixed(1)}" fill="#666">p99 limit ${p99LimitMs} ms</text>`,
  );
  let legendY = MARGIN.top + 8;
  for (const [name, result] of series) {
    for (const percentile of PERCENTILES) {
      const coordinates = result.points
        .map(
          (point) =>
            `${x(point.offeredDeliveriesPerSecond).toFixed(1)},${y(point.receiveLatency[percentile.key]).toFixed(1)}`,
        )
        .join(' ');
      parts.push(
        `<polyline points="${coordinates}" fill="none" stroke="${COLORS[name]}" stroke-width="2"${percentile.dash ? ` stroke-dasharray="${percentile.dash}"` : ''}/>`,
      );
      const legendX = MARGIN.left + plotWidth + 12;
      parts.push(
        `<line x1="${legendX}" x2="${legendX + 28}" y1="${legendY}" y2="${legendY}" stroke="${COLORS[name]}" stroke-width="2"${percentile.dash ? ` stroke-dasharray="${percentile.dash}"` : ''}/>`,
        `<text x="${legendX + 34}" y="${legendY + 4}">${escape(`${name} ${percentile.key}`)}</text>`,
      );
      legendY += 18;
    }
    for (const point of result.points) {
      parts.push(
        `<circle cx="${x(point.offeredDeliveriesPerSecond).toFixed(1)}" cy="${y(point.receiveLatency.p99).toFixed(1)}" r="3" fill="${point.sustained ? COLORS[name] : 'white'}" stroke="${COLORS[name]}"/>`,
      );
    }
  }
  parts.push(
    `<text x="${MARGIN.left + plotWidth + 12}" y="${legendY + 10}" fill="#666">○ = not sustained</text>`,
    '</svg>',
    '',
  );
  return parts.join('\n');
}
