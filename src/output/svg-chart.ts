/** One bar of a chart: its label, its length and the text shown beside it. */
export interface Bar {
  label: string;
  value: number;
  display: string;
  /** A second, overlaid value (e.g. paid within reminded), drawn darker. */
  inner?: number;
}

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML and SVG. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/** A vertical bar chart as inline SVG: no script, no network, prints as it shows. */
export function columnChart(title: string, bars: readonly Bar[]): string {
  const width = 640;
  const height = 240;
  const top = 20;
  const bottom = 40;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const slot = (width - 20) / Math.max(1, bars.length);
  const barWidth = Math.max(2, Math.min(48, slot * 0.7));
  const every = Math.ceil(bars.length / 12);
  const rects = bars.map((b, i) => {
    const h = ((height - top - bottom) * b.value) / max;
    const x = 10 + i * slot + (slot - barWidth) / 2;
    const y = height - bottom - h;
    const label = i % every === 0 ? `<text x="${x + barWidth / 2}" y="${height - bottom + 16}" text-anchor="middle" class="axis">${escapeHtml(b.label)}</text>` : '';
    return `<rect class="bar" x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${barWidth.toFixed(1)}" height="${h.toFixed(1)}"><title>${escapeHtml(`${b.label}: ${b.display}`)}</title></rect>${label}`;
  });
  return svg(title, width, height, `<line x1="0" y1="${height - bottom}" x2="${width}" y2="${height - bottom}" class="base"/>${rects.join('')}`);
}

/** A horizontal bar chart (a funnel, or amounts by age) as inline SVG. */
export function barChart(title: string, bars: readonly Bar[]): string {
  const width = 640;
  const row = 34;
  const labelWidth = 150;
  const height = Math.max(row, bars.length * row) + 10;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const room = width - labelWidth - 170;
  const rows = bars.map((b, i) => {
    const y = 5 + i * row;
    const w = (room * b.value) / max;
    const inner = b.inner === undefined ? '' : `<rect class="bar-inner" x="${labelWidth}" y="${y + 4}" width="${((room * b.inner) / max).toFixed(1)}" height="${row - 12}"/>`;
    return (
      `<text x="${labelWidth - 8}" y="${y + row / 2 + 2}" text-anchor="end" class="label">${escapeHtml(b.label)}</text>` +
      `<rect class="bar" x="${labelWidth}" y="${y + 4}" width="${w.toFixed(1)}" height="${row - 12}"><title>${escapeHtml(`${b.label}: ${b.display}`)}</title></rect>${inner}` +
      `<text x="${labelWidth + w + 8}" y="${y + row / 2 + 2}" class="value">${escapeHtml(b.display)}</text>`
    );
  });
  return svg(title, width, height, rows.join(''));
}

function svg(title: string, width: number, height: number, body: string): string {
  return `<figure><figcaption>${escapeHtml(title)}</figcaption><svg role="img" aria-label="${escapeHtml(title)}" viewBox="0 0 ${width} ${height}" width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">${body}</svg></figure>`;
}
