// A budget of transform misses per client (CF-Connecting-IP; an IPv6 client is its /64), so random option strings
// cannot make the Worker decode and encode without end. Hits and 304s never reach this file.
//
// A SQLite-backed Durable Object per client, not the Workers rate-limiting binding: the binding runs in wrangler
// dev, but its limit is fixed in the binding's config (not a var), its period must be 10 or 60 s, it counts per
// location, and it cannot say when the client may retry. The object counts globally, takes the limit from vars
// and answers 429 with an exact Retry-After. Misses already cost a decode and an encode; one more round trip is
// small beside them.
import { DurableObject } from 'cloudflare:workers';
import { envNumber } from './config.js';
import { HttpError } from './errors.js';

const DEFAULT_PERIOD_SECONDS = 60;

/**
 * Throws 429 (with Retry-After) when the client has used its TRANSFORM_MISS_LIMIT misses in the current
 * TRANSFORM_MISS_PERIOD_SECONDS window. A limit of 0 (or none) turns limiting off.
 */
export async function limitTransformMiss(request, env) {
  const limit = envNumber(env, 'TRANSFORM_MISS_LIMIT', 0);
  if (limit === 0) return;
  const periodSeconds = envNumber(env, 'TRANSFORM_MISS_PERIOD_SECONDS', 0) || DEFAULT_PERIOD_SECONDS;
  const client = clientKey(request.headers.get('CF-Connecting-IP') ?? 'unknown');
  const limiter = env.TRANSFORM_LIMITER.get(env.TRANSFORM_LIMITER.idFromName(client));
  const { allowed, retryAfterSeconds } = await limiter.take(limit, periodSeconds);
  if (allowed) return;
  const message = `more than ${limit} transforms not in the cache within ${periodSeconds} s from this client; `
    + 'cached images are still served';
  throw new HttpError('rate_limited', message, { 'Retry-After': String(retryAfterSeconds) });
}

/** An IPv4 address as is; an IPv6 address as its /64, since one client is routinely given a whole /64. */
export function clientKey(ip) {
  if (!ip.includes(':')) return ip;
  const [head, tail = ''] = ip.toLowerCase().split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const zeros = Array(Math.max(0, 8 - headGroups.length - tailGroups.length)).fill('0');
  const groups = [...headGroups, ...zeros, ...tailGroups].slice(0, 4);
  return `${groups.map((group) => (parseInt(group, 16) || 0).toString(16)).join(':')}::/64`;
}

/** One fixed window per client: a start time and a count, in one SQLite row. */
export class TransformMissLimiter extends DurableObject {
  constructor(ctx, env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(`CREATE TABLE IF NOT EXISTS miss_window (
      id INTEGER PRIMARY KEY CHECK (id = 1), started_ms INTEGER NOT NULL, count INTEGER NOT NULL)`);
  }

  /** Spends one miss if the window has room: { allowed, retryAfterSeconds }. */
  async take(limit, periodSeconds) {
    const now = Date.now();
    const periodMs = periodSeconds * 1000;
    const [current] = this.sql.exec('SELECT started_ms, count FROM miss_window WHERE id = 1').toArray();
    if (!current || now >= current.started_ms + periodMs) {
      this.sql.exec('INSERT OR REPLACE INTO miss_window (id, started_ms, count) VALUES (1, ?, 1)', now);
      // An idle client's object forgets itself one window after its last one ended.
      await this.ctx.storage.setAlarm(now + 2 * periodMs);
      return { allowed: true, retryAfterSeconds: 0 };
    }
    if (current.count < limit) {
      this.sql.exec('UPDATE miss_window SET count = count + 1 WHERE id = 1');
      return { allowed: true, retryAfterSeconds: 0 };
    }
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((current.started_ms + periodMs - now) / 1000)) };
  }

  async alarm() {
    this.sql.exec('DELETE FROM miss_window');
  }
}
