// @cf-wasm/photon (photon-rs): decodes the whole image, resizes with Lanczos3, encodes JPEG.
import { PhotonImage, SamplingFilter, resize } from '@cf-wasm/photon';

export const name = '@cf-wasm/photon';
export const kind = 'wasm';
const missing = {
  webp: 'its WebP output is lossless only (get_bytes_webp takes no quality)',
  avif: 'no AVIF encoder',
};

export async function load() {
  return {
    cannot: (job) => missing[job.format] ?? null,
    run(job, input) {
      const source = PhotonImage.new_from_byteslice(input);
      const height = Math.round((source.get_height() * job.width) / source.get_width());
      const resized = resize(source, job.width, height, SamplingFilter.Lanczos3);
      source.free();
      try {
        return resized.get_bytes_jpeg(job.quality);
      } finally {
        resized.free();
      }
    },
  };
}
