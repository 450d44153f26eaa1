// edgepix's native build, through its CLI: `edgepix time` measures inside the process (the file is read before the
// clock starts, and a first untimed run warms caches), so process start-up is not in the numbers.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { edgepixOptions } from '../jobs.mjs';

export const name = 'edgepix native';
export const kind = 'native';
const cli = fileURLToPath(new URL('../../build/native/edgepix', import.meta.url));

function transform(path, options) {
  const dir = mkdtempSync(join(tmpdir(), 'edgepix-bench-'));
  try {
    const result = spawnSync(cli, ['transform', path, join(dir, 'out'), options], { encoding: 'utf8' });
    if (result.status !== 0) return { error: (result.stdout || result.stderr || `exit ${result.status}`).trim() };
    return { bytes: readFileSync(join(dir, 'out')) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function load() {
  return {
    cannot(job, path) {
      if (job.format !== 'avif') return null;
      const probe = transform(path, 'width=16,format=avif');
      return probe.error?.includes('bad_option') ? 'not yet (issue 4)' : probe.error ?? null;
    },
    run(job, input, path) {
      const { bytes, error } = transform(path, edgepixOptions(job));
      if (error) throw new Error(error);
      return bytes;
    },
    timeOnce(job, path) {
      const out = execFileSync(cli, ['time', path, edgepixOptions(job), '1'], { encoding: 'utf8' });
      return JSON.parse(out).medianMs;
    },
    // The CLI's own peak RSS: /usr/bin/python3 (installed with Emscripten) waits for it and reads
    // getrusage(RUSAGE_CHILDREN).ru_maxrss, the kernel's VmHWM of the exited child, in KiB.
    peakRss(job, path) {
      const script = 'import resource,subprocess,sys\n' +
        'r=subprocess.run(sys.argv[1:],stdout=subprocess.DEVNULL)\n' +
        'print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss if r.returncode==0 else -1)';
      const out = execFileSync('/usr/bin/python3', ['-c', script, cli, 'transform', path, '/dev/null',
        edgepixOptions(job)], { encoding: 'utf8' });
      const kib = Number(out.trim());
      if (!(kib > 0)) throw new Error('the CLI failed');
      return { peakRssBytes: kib * 1024 };
    },
  };
}
