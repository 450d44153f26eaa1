// wasm-vips: libvips in wasm with its default worker threads; thumbnail shrinks JPEGs while decoding, as sharp does.
import Vips from 'wasm-vips';

export const name = 'wasm-vips';
export const kind = 'wasm';
const suffix = { jpeg: '.jpg', webp: '.webp', avif: '.avif' };

export async function load() {
  const vips = await Vips();
  vips.Cache.max(0); // no operation cache: every run decodes again
  // Its thread pool stays at its default (vips.concurrency(): the number of cores).
  return {
    cannot: () => null,
    run(job, input) {
      const image = vips.Image.thumbnailBuffer(input, job.width);
      try {
        return image.writeToBuffer(suffix[job.format], { Q: job.quality });
      } finally {
        image.delete();
      }
    },
  };
}
