/**
 * A token bucket: up to `burst` calls at once, refilled at `ratePerSecond`. `take()` waits (with the
 * injected sleep) until a token is free, so callers stay under a service's documented rate limit
 * instead of leaning on throttling errors. Clock and sleep are injectable for tests.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {
    if (!(ratePerSecond > 0) || !(burst >= 1))
      throw new Error("token bucket: rate must be > 0 and burst >= 1");
    this.tokens = burst;
    this.last = now();
  }

  private refill(): void {
    const at = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((at - this.last) / 1000) * this.ratePerSecond);
    this.last = at;
  }

  async take(): Promise<void> {
    this.refill();
    // The epsilon absorbs floating-point dust, so a full wait never turns into an extra 1 ms one.
    while (this.tokens < 1 - 1e-9) {
      await this.sleep(Math.ceil(((1 - this.tokens) / this.ratePerSecond) * 1000));
      this.refill();
    }
    this.tokens = Math.max(0, this.tokens - 1);
  }
}
