import { createPrivateKey, generateKeyPair, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { calculateJwkThumbprint, type JWK } from 'jose';
import type { Clock } from '../clock';
import type { Logger } from '../http/logger';
import type { SecretBox } from '../crypto/sealed';
import type { Repositories, SigningKeyAlg, SigningKeyRow } from '../storage/types';
import { expiredKeys, missingAtStart, planRotation, publishedKeys, retireRefusal, signingKeyFor } from './key-states';

export const SIGNING_ALGS: readonly SigningKeyAlg[] = ['RS256', 'ES256'];

const generate = promisify(generateKeyPair);

type KeyPair = { publicKey: KeyObject; privateKey: KeyObject };

/** A fresh key pair of the algorithm's kind. */
export function generateSigningPair(alg: SigningKeyAlg): Promise<KeyPair> {
  return alg === 'RS256' ? generate('rsa', { modulusLength: 2048 }) : generate('ec', { namedCurve: 'P-256' });
}

/**
 * A new key pair for the algorithm, as the row that stores it (private key sealed). The kid is the
 * key's RFC 7638 thumbprint; a pair whose thumbprint starts with "-" is drawn again, because operators
 * type kids as CLI arguments (`keys retire KID`) and a leading dash reads as an option (one key in 64
 * did). Redrawing keeps every remaining key equally likely, as randomIdentifier does for client ids.
 */
export async function newSigningKey(
  alg: SigningKeyAlg,
  secrets: SecretBox,
  state: 'next' | 'active',
  now: number,
  draw: (alg: SigningKeyAlg) => Promise<KeyPair> = generateSigningPair,
): Promise<SigningKeyRow> {
  let pair: KeyPair;
  let jwk: JWK;
  let kid: string;
  do {
    pair = await draw(alg);
    jwk = pair.publicKey.export({ format: 'jwk' }) as JWK;
    kid = await calculateJwkThumbprint(jwk, 'sha256');
  } while (kid.startsWith('-'));
  const pem = pair.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
  return {
    kid,
    alg,
    state,
    secretEnc: secrets.seal(pem),
    publicJwk: JSON.stringify({ ...jwk, kid, alg, use: 'sig' }),
    createdAt: now,
    activatedAt: state === 'active' ? now : null,
    retiredAt: null,
    maxTokenLifetime: null,
  };
}

export interface Signer {
  kid: string;
  alg: SigningKeyAlg;
  key: KeyObject;
}

type KeyStore = Pick<Repositories, 'signingKeys'> & { transaction<T>(fn: (tx: Pick<Repositories, 'signingKeys'>) => Promise<T>): Promise<T> };

/**
 * The provider's signing keys over the store: every node reads the same rows, so a key rotated in
 * by the CLI is published and then used by every node. Rows are read at each use (a signature is
 * made only where a token is issued, which writes to the database anyway); the opened private keys
 * are kept by kid, since a kid names one key forever.
 */
export class SigningKeys {
  private readonly opened = new Map<string, KeyObject>();
  private ensured: Promise<SigningKeyRow[]> | null = null;

  constructor(private readonly deps: { store: KeyStore; secrets: SecretBox; clock: Clock; logger?: Pick<Logger, 'info'> }) {}

  /**
   * First start: an active and a next key for every algorithm that lacks them (`serve` calls it at
   * start; anything that signs or publishes calls it first, once per process).
   */
  ensure(): Promise<SigningKeyRow[]> {
    this.ensured ??= this.make().catch((err) => {
      this.ensured = null;
      throw err;
    });
    return this.ensured;
  }

  private async make(): Promise<SigningKeyRow[]> {
    const keys = await this.deps.store.signingKeys.list();
    const made: SigningKeyRow[] = [];
    for (const alg of SIGNING_ALGS) {
      const missing = missingAtStart(keys, alg);
      if (missing.active) made.push(await newSigningKey(alg, this.deps.secrets, 'active', this.deps.clock()));
      if (missing.next) made.push(await newSigningKey(alg, this.deps.secrets, 'next', this.deps.clock()));
    }
    for (const row of made) await this.deps.store.signingKeys.insert(row);
    if (made.length > 0) this.deps.logger?.info({ kids: made.map((k) => k.kid) }, 'generated OpenID Connect signing keys');
    return made;
  }

  list(): Promise<SigningKeyRow[]> {
    return this.deps.store.signingKeys.list();
  }

  /** RFC 7517 JWK Set of every published key. */
  async jwks(): Promise<{ keys: JWK[] }> {
    await this.ensure();
    const keys = publishedKeys(await this.list(), this.deps.clock());
    return { keys: keys.map((k) => JSON.parse(k.publicJwk) as JWK) };
  }

  /** The key that signs for `alg` now; an Error when there is none (the keys were never made). */
  async signer(alg: SigningKeyAlg): Promise<Signer> {
    await this.ensure();
    const row = signingKeyFor(await this.list(), alg);
    if (!row) throw new Error(`no active ${alg} signing key`);
    let key = this.opened.get(row.kid);
    if (!key) {
      key = createPrivateKey(this.deps.secrets.open(row.secretEnc));
      this.opened.set(row.kid, key);
    }
    return { kid: row.kid, alg, key };
  }

  /**
   * `keys rotate`: per algorithm, the next key starts signing, the active ones retire (published
   * for maxTokenLifetime seconds more), a new next key is published. Retired keys nothing needs
   * any more are deleted.
   */
  async rotate(algs: readonly SigningKeyAlg[], maxTokenLifetime: number): Promise<{ promoted: string[]; retired: string[]; made: string[]; dropped: string[] }> {
    const now = this.deps.clock();
    const fresh = await Promise.all(algs.map((alg) => newSigningKey(alg, this.deps.secrets, 'next', now)));
    return this.deps.store.transaction(async (tx) => {
      const keys = await tx.signingKeys.list();
      const out = { promoted: [] as string[], retired: [] as string[], made: fresh.map((k) => k.kid), dropped: [] as string[] };
      for (const alg of algs) {
        const plan = planRotation(keys, alg);
        for (const kid of plan.retire) {
          await tx.signingKeys.update(kid, { state: 'retired', retiredAt: now, maxTokenLifetime });
          out.retired.push(kid);
        }
        if (plan.promote) {
          await tx.signingKeys.update(plan.promote, { state: 'active', activatedAt: now });
          out.promoted.push(plan.promote);
        }
      }
      for (const row of fresh) await tx.signingKeys.insert(row);
      for (const gone of expiredKeys(keys, now)) {
        await tx.signingKeys.remove(gone.kid);
        out.dropped.push(gone.kid);
      }
      return out;
    });
  }

  /**
   * `keys retire KID`: the key signs nothing more. An active key is replaced by its algorithm's
   * rotation (a next key takes over: it was published already); a next key signed nothing and is
   * dropped from the JWKS at once.
   */
  async retire(kid: string, maxTokenLifetime: number): Promise<{ retired: string; promoted: string | null }> {
    const keys = await this.list();
    const refusal = retireRefusal(keys, kid);
    if (refusal) throw new KeyRefusal(refusal);
    const key = keys.find((k) => k.kid === kid)!;
    if (key.state === 'active') {
      const result = await this.rotate([key.alg], maxTokenLifetime);
      if (result.promoted.length === 0) throw new KeyRefusal(`no next ${key.alg} key was published to take over from "${kid}"; run keys rotate, then retire it`);
      return { retired: kid, promoted: result.promoted[0] };
    }
    await this.deps.store.signingKeys.update(kid, { state: 'retired', retiredAt: this.deps.clock(), maxTokenLifetime: 0 });
    return { retired: kid, promoted: null };
  }
}

/** A key command the key states do not allow (unknown or already retired kid). */
export class KeyRefusal extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyRefusal';
  }
}
