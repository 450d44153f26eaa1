// Quality of each fit mode: the shipped wasm module's PNG output (lossless, so only the resize is judged) against
// ImageMagick's Lanczos resize of the same photograph with the same geometry (crop first, then `-resize WxH!`,
// then pad's canvas), compared with SSIM on luma (quality.mjs). `node bench/fit-ssim.mjs` prints the Markdown
// table; tests/wasm/fit-quality.test.mjs asserts on the same rows.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { transform } from '../wasm/node.js';
import { fixture, fixturesDir } from '../tests/support/golden.mjs';
import { outputLuma, ssim } from './quality.mjs';

const convert = '/usr/bin/convert';
const source = 'photo-1200.jpg'; // 1200×900

const lanczos = (width, height) => ['-filter', 'Lanczos', '-resize', `${width}x${height}!`];
const cropTo = (width, height, x, y) => ['-crop', `${width}x${height}+${x}+${y}`, '+repage'];

// Each request, the size Cloudflare's rules give, and ImageMagick's arguments for the same geometry: the window
// cover/crop keep (source pixels) is worked out in the comment beside it.
export const fitCases = [
  { fit: 'scale-down', options: 'width=600,height=600', size: [600, 450], magick: lanczos(600, 450) },
  // Never enlarges: the source as it is.
  { fit: 'scale-down', options: 'width=1600,height=1600', size: [1200, 900], magick: [] },
  { fit: 'contain', options: 'width=480,height=480', size: [480, 360], magick: lanczos(480, 360) },
  { fit: 'contain', options: 'width=1600,height=1600', size: [1600, 1200], magick: lanczos(1600, 1200) },
  // Scale 400/900: a 900×900 window centred on x = 0.6 × 1200 = 720 starts at 270 (within 0..300).
  { fit: 'cover', options: 'width=400,height=400,gravity=0.6x0.5', size: [400, 400],
    magick: [...cropTo(900, 900, 270, 0), ...lanczos(400, 400)] },
  // Scale 450/900: a 600×900 window against the left edge.
  { fit: 'crop', options: 'width=300,height=450,gravity=left', size: [300, 450],
    magick: [...cropTo(600, 900, 0, 0), ...lanczos(300, 450)] },
  // Contained to 400×300, centred on a white 400×400 canvas.
  { fit: 'pad', options: 'width=400,height=400', size: [400, 400],
    magick: [...lanczos(400, 300), '-background', 'white', '-gravity', 'northwest', '-extent', '400x400-0-50'] },
  { fit: 'squeeze', options: 'width=500,height=250', size: [500, 250], magick: lanczos(500, 250) },
];

function reference(magick) {
  return execFileSync(convert, [`${fixturesDir()}/${source}`, ...magick, '-depth', '8', 'PNG24:-'],
    { maxBuffer: 1 << 28 });
}

/** Every case's output size and SSIM against the reference: [{ fit, options, size, expected, ssim }]. */
export async function measureFits() {
  const input = fixture(source);
  const rows = [];
  for (const c of fitCases) {
    const options = `fit=${c.fit},${c.options},format=png`;
    const result = await transform(input, options);
    const [ours, theirs] = await Promise.all([outputLuma(result.bytes), outputLuma(reference(c.magick))]);
    const sameSize = ours.width === theirs.width && ours.height === theirs.height;
    rows.push({ fit: c.fit, options, expected: c.size, size: [result.width, result.height],
      referenceSize: [theirs.width, theirs.height], ssim: sameSize ? ssim(ours, theirs) : NaN });
  }
  return rows;
}

export function markdownTable(rows) {
  const lines = [
    `fit mode | request | output size | SSIM vs ImageMagick Lanczos`,
    `---|---|---|---:`,
    ...rows.map((r) => `${r.fit} | \`${r.options}\` | ${r.size.join('×')} | ${r.ssim.toFixed(4)}`),
  ];
  return `${lines.map((line) => `| ${line} |`).join('\n')}\n\nSource: ${source} (1200×900); ours: wasm/edgepix.wasm, ` +
    `PNG out; reference: ImageMagick ${convert} \`-filter Lanczos -resize WxH!\` with the same crop/extent; ` +
    `SSIM on luma (bench/quality.mjs).\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.stdout.write(markdownTable(await measureFits()));
