// Quality against a reference resize: sharp's Lanczos3 of the same input to the same size with fastShrinkOnLoad off,
// kept as raw pixels (never encoded). libvips still shrinks a JPEG in its decoder when that leaves the kernel 2x or
// more (4000 -> 1000 px: a 1/2 DCT decode, then Lanczos3): for that job this is exactly sharp's default resize.
// Against an exact Lanczos3 of the full decode, computed in floating point, that path scores 0.9986. Both images are decoded with sharp, composited over white (so alpha errors
// show), reduced to luma (Rec. 601: the Y of JPEG's YCbCr), and compared with SSIM (Wang et al. 2004: 11×11
// Gaussian window, σ = 1.5, K1 = 0.01, K2 = 0.03, mean over the windows that fit) and PSNR.
import sharp from 'sharp';

async function luma(pipeline) {
  const { data, info } = await pipeline.ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const pixels = new Float64Array(info.width * info.height);
  for (let i = 0, p = 0; i < pixels.length; i++, p += 4) {
    const alpha = data[p + 3] / 255;
    const y = 0.299 * data[p] + 0.587 * data[p + 1] + 0.114 * data[p + 2];
    pixels[i] = y * alpha + 255 * (1 - alpha);
  }
  return { pixels, width: info.width, height: info.height };
}

export const referenceLuma = (input, width) =>
  luma(sharp(input).resize(width, null, { kernel: 'lanczos3', fastShrinkOnLoad: false }));

export const outputLuma = (bytes) => luma(sharp(bytes));

const gaussian = (() => {
  const weights = Array.from({ length: 11 }, (_, i) => Math.exp(-((i - 5) ** 2) / (2 * 1.5 ** 2)));
  const sum = weights.reduce((a, b) => a + b, 0);
  return weights.map((w) => w / sum);
})();

// Filters with the 11-tap window where it fits whole: the result is (width - 10) × (height - 10).
function blur(values, width, height) {
  const outWidth = width - 10;
  const outHeight = height - 10;
  const rows = new Float64Array(outWidth * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < outWidth; x++) {
      let sum = 0;
      for (let k = 0; k < 11; k++) sum += gaussian[k] * values[y * width + x + k];
      rows[y * outWidth + x] = sum;
    }
  }
  const out = new Float64Array(outWidth * outHeight);
  for (let y = 0; y < outHeight; y++) {
    for (let x = 0; x < outWidth; x++) {
      let sum = 0;
      for (let k = 0; k < 11; k++) sum += gaussian[k] * rows[(y + k) * outWidth + x];
      out[y * outWidth + x] = sum;
    }
  }
  return out;
}

export function ssim(a, b) {
  const { width, height } = a;
  const n = width * height;
  const product = (f) => {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = f(a.pixels[i], b.pixels[i]);
    return blur(out, width, height);
  };
  const meanA = blur(a.pixels, width, height);
  const meanB = blur(b.pixels, width, height);
  const squaresA = product((x) => x * x);
  const squaresB = product((_, y) => y * y);
  const cross = product((x, y) => x * y);
  const c1 = (0.01 * 255) ** 2;
  const c2 = (0.03 * 255) ** 2;
  let total = 0;
  for (let i = 0; i < meanA.length; i++) {
    const ma = meanA[i];
    const mb = meanB[i];
    const varianceA = squaresA[i] - ma * ma;
    const varianceB = squaresB[i] - mb * mb;
    const covariance = cross[i] - ma * mb;
    total += ((2 * ma * mb + c1) * (2 * covariance + c2)) / ((ma * ma + mb * mb + c1) * (varianceA + varianceB + c2));
  }
  return total / meanA.length;
}

export function psnr(a, b) {
  let squaredError = 0;
  for (let i = 0; i < a.pixels.length; i++) squaredError += (a.pixels[i] - b.pixels[i]) ** 2;
  const mse = squaredError / a.pixels.length;
  return mse === 0 ? Infinity : 10 * Math.log10((255 * 255) / mse);
}

/** SSIM and PSNR of encoded output against the reference luma, or why they cannot be compared. */
export async function compare(reference, outputBytes) {
  const output = await outputLuma(outputBytes);
  if (output.width !== reference.width || output.height !== reference.height) {
    return { mismatch: `${output.width}×${output.height}, reference ${reference.width}×${reference.height}` };
  }
  return { ssim: ssim(output, reference), psnr: psnr(output, reference) };
}
