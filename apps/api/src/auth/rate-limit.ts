import { TooManyRequestsError } from '@xuncha/contracts';

/**
 * A fixed-window limit per key (a source address): at most `limit` calls per window. Kept in
 * memory: each API process limits on its own, which is enough to slow guessing down.
 */
export class RateLimit {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly what: string,
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** Counts a call of `key`; refuses with 429 once the window's limit is reached. */
  take(key: string, now = Date.now()): void {
    if (this.windows.size > 10_000) for (const [known, window] of this.windows) if (now - window.start >= this.windowMs) this.windows.delete(known);
    const window = this.windows.get(key);
    if (!window || now - window.start >= this.windowMs) {
      this.windows.set(key, { start: now, count: 1 });
      return;
    }
    window.count += 1;
    if (window.count > this.limit) {
      const retryAfterSeconds = Math.max(1, Math.ceil((window.start + this.windowMs - now) / 1000));
      throw new TooManyRequestsError(`too many ${this.what} from this address: at most ${this.limit} a minute; try again in ${retryAfterSeconds} s`, retryAfterSeconds);
    }
  }
}
