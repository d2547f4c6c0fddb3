/**
 * Set-if-absent claims gathered over one turn of the event loop and sent as one command. Under load
 * the OAuth 1.0a nonce checks of a dozen requests arrive in the same turn; one script call for all
 * of them costs the gateway (and Redis) about what one SET NX costs, where a SET each costs a dozen.
 * A claim waits at most until the end of the current turn, as with ioredis's auto-pipelining.
 */

export interface Claim {
  key: string;
  value: string;
  ttlMs: number;
}

/** Sends claims in one command; resolves to one boolean per claim, in order (true: created). */
export type SendClaims = (claims: readonly Claim[]) => Promise<boolean[]>;

interface Pending extends Claim {
  resolve(created: boolean): void;
  reject(err: unknown): void;
}

// Bounds the time one script holds Redis (it runs atomically): a few hundred SETs take well under a millisecond.
const MAX_CLAIMS_PER_COMMAND = 256;

export class ClaimBatch {
  private pending: Pending[] = [];
  private scheduled = false;

  constructor(private readonly send: SendClaims) {}

  claim(key: string, value: string, ttlMs: number): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      this.pending.push({ key, value, ttlMs, resolve, reject });
      if (this.scheduled) return;
      this.scheduled = true;
      setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    const claims = this.pending;
    this.pending = [];
    this.scheduled = false;
    for (let start = 0; start < claims.length; start += MAX_CLAIMS_PER_COMMAND) {
      void this.sendChunk(claims.slice(start, start + MAX_CLAIMS_PER_COMMAND));
    }
  }

  private async sendChunk(chunk: Pending[]): Promise<void> {
    let created: boolean[];
    try {
      created = await this.send(chunk);
      if (created.length !== chunk.length) throw new Error(`claim answer has ${created.length} entries for ${chunk.length} claims`);
    } catch (err) {
      for (const claim of chunk) claim.reject(err);
      return;
    }
    chunk.forEach((claim, i) => claim.resolve(created[i]));
  }
}
