// The PNG chart: one panel per job, one horizontal bar per library (median; a line from min to max), each panel on
// its own linear scale. Drawn as SVG and rasterised by sharp (librsvg), so no browser or chart library is needed.
import sharp from 'sharp';

const WIDTH = 1200;
const LABEL_WIDTH = 210;
const BAR_WIDTH = 560;
const ROW = 24;
const colours = { 'edgepix-wasm': '#e8590c', 'edgepix-native': '#f4a261', sharp: '#868e96' };
const peerColour = '#4c6ef5';

const escape = (text) => String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const text = (x, y, content, attributes = '') =>
  `<text x="${x}" y="${y}" ${attributes}>${escape(content)}</text>`;

function panel(job, jobResults, top) {
  const rows = job.libraries.map((library) => ({ library, result: jobResults.get(library.id) }));
  const measured = rows.filter((r) => r.result?.median);
  const scale = BAR_WIDTH / Math.max(1e-9, ...measured.map((r) => r.result.max));
  const sharpMedian = jobResults.get('sharp')?.median;
  const parts = [text(20, top + 20, job.title, 'font-size="17" font-weight="bold"')];
  rows.forEach(({ library, result }, i) => {
    const y = top + 34 + i * ROW;
    const bold = library.id.startsWith('edgepix') ? 'font-weight="bold"' : '';
    parts.push(text(LABEL_WIDTH - 10, y + 13, library.name, `font-size="13" text-anchor="end" ${bold}`));
    if (!result?.median) {
      parts.push(text(LABEL_WIDTH + 4, y + 13, `not run: ${result?.cannot ?? 'not loaded'}`.slice(0, 110),
        'font-size="12" fill="#868e96" font-style="italic"'));
      return;
    }
    const bar = Math.max(1, result.median * scale);
    const low = LABEL_WIDTH + result.min * scale;
    const high = LABEL_WIDTH + result.max * scale;
    const colour = colours[library.id] ?? peerColour;
    const label = `${result.median >= 100 ? result.median.toFixed(0) : result.median.toFixed(1)} ms` +
      (sharpMedian ? `  ·  ${(result.median / sharpMedian).toFixed(2)}× sharp` : '');
    parts.push(
      `<rect x="${LABEL_WIDTH}" y="${y + 2}" width="${bar.toFixed(1)}" height="16" fill="${colour}"/>`,
      `<line x1="${low.toFixed(1)}" y1="${y + 10}" x2="${high.toFixed(1)}" y2="${y + 10}" stroke="#212529" stroke-width="1.5"/>`,
      `<line x1="${low.toFixed(1)}" y1="${y + 5}" x2="${low.toFixed(1)}" y2="${y + 15}" stroke="#212529" stroke-width="1.5"/>`,
      `<line x1="${high.toFixed(1)}" y1="${y + 5}" x2="${high.toFixed(1)}" y2="${y + 15}" stroke="#212529" stroke-width="1.5"/>`,
      text(Math.max(LABEL_WIDTH + bar, high) + 8, y + 14, label, 'font-size="13"'),
    );
  });
  return { svg: parts.join('\n'), height: 44 + rows.length * ROW };
}

export async function writeChart(path, { jobs, results, machine, runCounts }) {
  const panels = [];
  let top = 70;
  for (const job of jobs) {
    const p = panel(job, results.get(job.id), top);
    panels.push(p.svg);
    top += p.height + 12;
  }
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${top}" font-family="DejaVu Sans, sans-serif">
<rect width="100%" height="100%" fill="white"/>
${text(20, 30, 'edgepix vs. peers — median time per job (lower is better; line: min–max; each panel has its own scale)', 'font-size="19" font-weight="bold"')}
${text(20, 52, `${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, ${runCounts.join(' or ')} runs after warm-up, ${machine.date}`, 'font-size="13" fill="#495057"')}
${panels.join('\n')}
</svg>`;
  await sharp(Buffer.from(svg)).png().toFile(path);
}
