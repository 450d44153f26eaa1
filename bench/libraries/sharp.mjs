// sharp (libvips, native) with one libvips thread and no operation cache: the native reference.
import sharp from 'sharp';

export const name = 'sharp';
export const kind = 'native';

export async function load() {
  sharp.concurrency(1);
  sharp.cache(false);
  return {
    cannot: () => null,
    run: (job, input) => sharp(input).resize(job.width).toFormat(job.format, { quality: job.quality }).toBuffer(),
  };
}
