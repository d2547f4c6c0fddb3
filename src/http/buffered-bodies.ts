/**
 * The bytes of request bodies the gateway holds in memory at once: bodies it reads whole (an OAuth
 * 1.0a signed form, a token request, a page's form, an admin call) stay in memory until their
 * response ends. `server.bodyLimitBytes` bounds one of them; nothing bounded them together, so
 * anonymous clients trickling bodies just short of that limit over many connections made the
 * gateway hold their bytes without end (a review measured 125 -> 541 MB with 400 sockets). Bytes are
 * counted as they arrive, so a client holds only what it really sent.
 */
export class BufferedBodies {
  private held = 0;

  constructor(readonly maxBytes: number) {}

  /** Counts `bytes` more as held, or refuses (holding nothing more) when that would pass the cap. */
  take(bytes: number): boolean {
    if (this.held + bytes > this.maxBytes) return false;
    this.held += bytes;
    return true;
  }

  give(bytes: number): void {
    this.held -= bytes;
  }

  /** Bytes held now (metrics, tests). */
  get bytes(): number {
    return this.held;
  }
}
