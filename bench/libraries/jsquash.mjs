// jSquash (Squoosh's codecs): decode everything to RGBA, resize (its defaults: Lanczos3 in linear light,
// premultiplied), encode. In Node its codecs get their compiled .wasm at init and an ImageData stand-in.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import decodeJpeg, { init as initJpegDecode } from '@jsquash/jpeg/decode.js';
import encodeJpeg, { init as initJpegEncode } from '@jsquash/jpeg/encode.js';
import decodePng, { init as initPngDecode } from '@jsquash/png/decode.js';
import encodeWebp, { init as initWebpEncode } from '@jsquash/webp/encode.js';
import encodeAvif, { init as initAvifEncode } from '@jsquash/avif/encode.js';
import resize, { initResize } from '@jsquash/resize';

export const name = '@jsquash';
export const kind = 'wasm';

const compile = (specifier) =>
  WebAssembly.compile(readFileSync(fileURLToPath(import.meta.resolve(specifier))));

globalThis.ImageData ??= class ImageData {
  constructor(data, width, height) {
    this.data = data;
    this.width = width;
    this.height = height;
    this.colorSpace = 'srgb';
  }
};

const decoders = { jpeg: decodeJpeg, png: decodePng };
const encoders = { jpeg: encodeJpeg, webp: encodeWebp, avif: encodeAvif };

export async function load() {
  await initJpegDecode(await compile('@jsquash/jpeg/codec/dec/mozjpeg_dec.wasm'));
  await initJpegEncode(await compile('@jsquash/jpeg/codec/enc/mozjpeg_enc.wasm'));
  await initPngDecode(await compile('@jsquash/png/codec/pkg/squoosh_png_bg.wasm'));
  // Node 20 has wasm SIMD, so jSquash's WebP init picks its SIMD build: give it that build's module.
  await initWebpEncode(await compile('@jsquash/webp/codec/enc/webp_enc_simd.wasm'));
  await initAvifEncode(await compile('@jsquash/avif/codec/enc/avif_enc.wasm')); // Node: the single-thread build
  await initResize(await compile('@jsquash/resize/lib/resize/pkg/squoosh_resize_bg.wasm'));
  return {
    cannot: () => null,
    async run(job, input) {
      const format = job.input.endsWith('.png') ? 'png' : 'jpeg';
      const decoded = await decoders[format](input);
      const height = Math.round((decoded.height * job.width) / decoded.width);
      const resized = await resize(decoded, { width: job.width, height });
      return new Uint8Array(await encoders[job.format](resized, { quality: job.quality }));
    },
  };
}
