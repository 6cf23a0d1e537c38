/**
 * The compare benchmark's chart: one SVG (docs/benchmarks-kafka-vs-samsa.svg) of Samsa beside Kafka,
 * a section per kind of measure (throughput, latency, memory, CPU), a pair of bars per metric.
 *
 * Each pair is scaled to its own larger median (the longer bar fills the width), so metrics of
 * different units share one chart; the numbers beside the bars carry the units. A bar spans the median;
 * a thin error bar over it spans the run's min..max. The right column is Samsa/Kafka of the medians, green
 * when Samsa is the better of the two (higher throughput, lower everything else).
 */
export interface ChartMetric {
  readonly label: string;
  readonly unit: string;
  /** true for throughput: more is better; false for latency, memory, CPU. */
  readonly higherIsBetter: boolean;
  readonly kafka: readonly number[];
  readonly samsa: readonly number[];
}

export interface ChartSection {
  readonly title: string;
  readonly metrics: readonly ChartMetric[];
}

const WIDTH = 860;
const LABEL_W = 300;
const BAR_W = 380;
const BAR_H = 13;
const ROW_H = 2 * BAR_H + 14;
const SECTION_H = 26;
const COLOURS = { kafka: '#8c8c8c', samsa: '#2b6cb0' } as const;

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const fmt = (v: number) =>
  !Number.isFinite(v) ? 'n/a' : v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2);
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function text(x: number, y: number, s: string, attrs = ''): string {
  return `<text x="${x}" y="${y}" ${attrs}>${esc(s)}</text>`;
}

/** One metric's two bars, their spreads and values, the ratio; `y` is the row's top. */
function row(m: ChartMetric, y: number): string {
  const k = median(m.kafka);
  const s = median(m.samsa);
  const scale = BAR_W / Math.max(k, s, ...m.kafka, ...m.samsa);
  const out = [text(8, y + BAR_H + 4, m.label, 'class="label"')];
  for (const [i, kind] of (['kafka', 'samsa'] as const).entries()) {
    const xs = m[kind];
    const mid = kind === 'kafka' ? k : s;
    const top = y + i * (BAR_H + 1);
    if (Number.isFinite(mid)) {
      out.push(
        `<rect x="${LABEL_W}" y="${top}" width="${(mid * scale).toFixed(1)}" height="${BAR_H}" fill="${COLOURS[kind]}"/>`,
      );
      const [lo, hi] = [Math.min(...xs), Math.max(...xs)];
      const ly = top + BAR_H / 2;
      const [x1, x2] = [LABEL_W + lo * scale, LABEL_W + hi * scale].map((x) => x.toFixed(1));
      // An error bar: a line from min to max with a tick at each end.
      out.push(`<path d="M${x1} ${ly - 3}V${ly + 3}M${x1} ${ly}H${x2}M${x2} ${ly - 3}V${ly + 3}" class="spread"/>`);
    }
    out.push(text(LABEL_W + BAR_W + 8, top + BAR_H - 2, `${fmt(mid)} ${m.unit}`, 'class="value"'));
  }
  const ratio = s / k;
  const better = m.higherIsBetter ? ratio >= 1 : ratio <= 1;
  out.push(
    text(
      WIDTH - 10,
      y + BAR_H + 4,
      Number.isFinite(ratio) ? `${ratio.toFixed(2)}×` : 'n/a',
      `class="ratio ${better ? 'good' : 'bad'}"`,
    ),
  );
  return out.join('\n');
}

/** The whole SVG document: title, legend, then each section's rows. */
export function renderChart(title: string, subtitle: string, sections: readonly ChartSection[]): string {
  const body: string[] = [];
  let y = 70;
  for (const section of sections) {
    body.push(text(8, y + 16, section.title, 'class="section"'));
    body.push(`<line x1="8" x2="${WIDTH - 8}" y1="${y + 21}" y2="${y + 21}" class="rule"/>`);
    y += SECTION_H + 4;
    for (const m of section.metrics) {
      body.push(row(m, y));
      y += ROW_H;
    }
  }
  const height = y + 10;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="Helvetica, Arial, sans-serif">`,
    '<style>',
    '.title{font-size:16px;font-weight:bold}.sub{font-size:11px;fill:#555}.section{font-size:13px;font-weight:bold}',
    '.label{font-size:12px}.value{font-size:11px}.ratio{font-size:12px;text-anchor:end;font-weight:bold}',
    '.good{fill:#2f855a}.bad{fill:#c53030}.rule{stroke:#ccc}.spread{stroke:#000;stroke-width:1;fill:none}',
    '</style>',
    `<rect width="${WIDTH}" height="${height}" fill="#fff"/>`,
    text(8, 22, title, 'class="title"'),
    text(8, 40, subtitle, 'class="sub"'),
    `<rect x="${LABEL_W}" y="50" width="12" height="10" fill="${COLOURS.kafka}"/>`,
    text(LABEL_W + 16, 59, 'Apache Kafka', 'class="value"'),
    `<rect x="${LABEL_W + 110}" y="50" width="12" height="10" fill="${COLOURS.samsa}"/>`,
    text(LABEL_W + 126, 59, 'Samsa', 'class="value"'),
    text(WIDTH - 10, 59, 'Samsa/Kafka', 'class="ratio"'),
    ...body,
    '</svg>',
    '',
  ].join('\n');
}
