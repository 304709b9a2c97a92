/** One bar of a chart: its label, its length and the text shown beside it. */
export interface Bar {
  label: string;
  value: number;
  display: string;
  /** A second, overlaid value (e.g. paid within reminded), drawn darker. */
  inner?: number;
  /** data-* attributes on the bar, so a test can read the figures the chart was drawn from. */
  data?: Readonly<Record<string, string | number>>;
}

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML and SVG. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

// The charts have no viewBox: positions along the width are percentages and heights are pixels, so
// the SVG is as wide as the screen and its text keeps its CSS size (12 px, axis 11 px) on a phone
// instead of shrinking with the drawing (issue 22: labels at least 11 px at 375 px).

/** A vertical bar chart as inline SVG: no script, no network, prints as it shows. */
export function columnChart(title: string, bars: readonly Bar[]): string {
  const height = 200;
  const bottom = 24;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const slot = 100 / Math.max(1, bars.length);
  const barWidth = slot * 0.7;
  // At most six labels along the axis: "11-14" at 11 px needs about 40 px, a phone has some 320.
  const every = Math.ceil(bars.length / 6);
  const rects = bars.map((b, i) => {
    const h = ((height - bottom - 8) * b.value) / max;
    const x = i * slot + (slot - barWidth) / 2;
    const y = height - bottom - h;
    const label = i % every === 0 ? `<text x="${pct(x + barWidth / 2)}" y="${height - 6}" text-anchor="middle" class="axis">${escapeHtml(b.label)}</text>` : '';
    return `<rect class="bar" x="${pct(x)}" y="${y.toFixed(1)}" width="${pct(barWidth)}" height="${h.toFixed(1)}"${dataAttributes(b)}><title>${escapeHtml(`${b.label}: ${b.display}`)}</title></rect>${label}`;
  });
  return svg(title, height, `<line x1="0" y1="${height - bottom}" x2="100%" y2="${height - bottom}" class="base"/>${rects.join('')}`);
}

/** A horizontal bar chart (stages, or amounts by age) as inline SVG: the label and figure above each bar, so nothing is cut on a phone. */
export function barChart(title: string, bars: readonly Bar[]): string {
  const row = 42;
  const height = Math.max(row, bars.length * row) + 4;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const rows = bars.map((b, i) => {
    const y = 2 + i * row;
    const inner = b.inner === undefined ? '' : `<rect class="bar-inner" x="0" y="${y + 20}" width="${pct((100 * b.inner) / max)}" height="16"/>`;
    return (
      `<text x="0" y="${y + 13}" class="label">${escapeHtml(b.label)}</text>` +
      `<text x="100%" y="${y + 13}" text-anchor="end" class="value">${escapeHtml(b.display)}</text>` +
      `<rect class="bar-track" x="0" y="${y + 20}" width="100%" height="16"/>` +
      `<rect class="bar" x="0" y="${y + 20}" width="${pct((100 * b.value) / max)}" height="16"${dataAttributes(b)}><title>${escapeHtml(`${b.label}: ${b.display}`)}</title></rect>${inner}`
    );
  });
  return svg(title, height, rows.join(''));
}

function pct(value: number): string {
  return `${value.toFixed(2)}%`;
}

function dataAttributes(bar: Bar): string {
  return Object.entries(bar.data ?? {})
    .map(([key, value]) => ` data-${key}="${escapeHtml(String(value))}"`)
    .join('');
}

function svg(title: string, height: number, body: string): string {
  return `<figure><figcaption>${escapeHtml(title)}</figcaption><svg role="img" aria-label="${escapeHtml(title)}" width="100%" height="${height}" xmlns="http://www.w3.org/2000/svg">${body}</svg></figure>`;
}
