// The one-time slot behind a direct upload URL: one SQLite-backed Durable Object per URL, named by the URL's token.
// An object runs one call at a time and each call below reads and writes its row without awaiting in between (and
// inside one storage transaction), so when uploads race for a URL exactly one of them claims it.
//
// A slot is open → claimed → used. A claim is a lease: the Worker holding it renews it while it reads, checks and
// stores the upload, and gives it back (open again) when the upload fails, since nothing was acknowledged. If that
// Worker dies mid-way, its lease lapses and the slot is open again for the user's retry.
import { DurableObject } from 'cloudflare:workers';

// How long a slot is remembered past its expiry, so a late post still hears "expired" or "used" rather than
// "unknown"; then the alarm removes it.
const FORGET_AFTER_EXPIRY_MS = 24 * 60 * 60 * 1000;

/** The slot of `token` (a stub; its methods are the object's). */
export function uploadSlot(env, token) {
  return env.DIRECT_UPLOAD_SLOTS.get(env.DIRECT_UPLOAD_SLOTS.idFromName(token));
}

export class DirectUploadSlot extends DurableObject {
  constructor(ctx, env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(`CREATE TABLE IF NOT EXISTS slot (
      id INTEGER PRIMARY KEY CHECK (id = 1), image_id TEXT NOT NULL, draft TEXT NOT NULL,
      expires_ms INTEGER NOT NULL, state TEXT NOT NULL, claim_id TEXT, lease_until_ms INTEGER)`);
  }

  /** Opens the slot for the image `imageId` (its draft record kept here too, so the upload needs no KV read). */
  async open(imageId, draft, expiresMs) {
    this.sql.exec('INSERT INTO slot (id, image_id, draft, expires_ms, state) VALUES (1, ?, ?, ?, \'open\')',
      imageId, JSON.stringify(draft), expiresMs);
    await this.ctx.storage.setAlarm(expiresMs + FORGET_AFTER_EXPIRY_MS);
  }

  /**
   * Claims the slot for `leaseMs`: { outcome: 'claimed', claimId, imageId, draft }, or { outcome } being 'unknown',
   * 'expired', 'used' or 'in_progress' (another claim's lease still runs).
   */
  claim(leaseMs) {
    return this.ctx.storage.transactionSync(() => {
      const slot = this.#row();
      const now = Date.now();
      if (slot === null) return { outcome: 'unknown' };
      if (slot.state === 'used') return { outcome: 'used' };
      if (now >= slot.expires_ms) return { outcome: 'expired' };
      if (slot.state === 'claimed' && now < slot.lease_until_ms) return { outcome: 'in_progress' };
      const claimId = crypto.randomUUID();
      this.sql.exec('UPDATE slot SET state = \'claimed\', claim_id = ?, lease_until_ms = ? WHERE id = 1',
        claimId, now + leaseMs);
      return { outcome: 'claimed', claimId, imageId: slot.image_id, draft: JSON.parse(slot.draft) };
    });
  }

  /** Extends the lease of `claimId`; false when that claim is no longer the slot's (it lapsed and was taken). */
  renew(claimId, leaseMs) {
    return this.#ifHeld(claimId, () => {
      this.sql.exec('UPDATE slot SET lease_until_ms = ? WHERE id = 1', Date.now() + leaseMs);
    });
  }

  /** Gives the claim back: the upload failed before anything was acknowledged. */
  release(claimId) {
    return this.#ifHeld(claimId, () => {
      this.sql.exec('UPDATE slot SET state = \'open\', claim_id = NULL, lease_until_ms = NULL WHERE id = 1');
    });
  }

  /** Marks the slot used by `claimId`'s upload, for good. */
  complete(claimId) {
    return this.#ifHeld(claimId, () => {
      this.sql.exec('UPDATE slot SET state = \'used\', lease_until_ms = NULL WHERE id = 1');
    });
  }

  alarm() {
    this.sql.exec('DELETE FROM slot');
  }

  #ifHeld(claimId, change) {
    return this.ctx.storage.transactionSync(() => {
      const slot = this.#row();
      if (slot === null || slot.state !== 'claimed' || slot.claim_id !== claimId) return false;
      change();
      return true;
    });
  }

  #row() {
    return this.sql.exec('SELECT * FROM slot WHERE id = 1').toArray()[0] ?? null;
  }
}
