import type { ConsumerRow } from '../storage/types';
import type { ProtocolChecksConfig, Transport } from './checks';
import { percentEncode } from './encoding';
import { OAuth1Problem } from './problems';
import { SIGNATURE_METHODS, isSignatureMethod, type SignatureMethod } from './signature';

/**
 * Which signature methods one consumer may use. checks.ts has already held the request to the
 * gateway's list (oauth1.signatureMethods, the outer bound); this narrows it to the consumer's own
 * list when it has one, drops RSA-SHA1 when it registered no key and PLAINTEXT off TLS. Pure.
 */
export function consumerMethods(
  consumer: Pick<ConsumerRow, 'signatureMethods' | 'rsaPublicKey'>,
  config: ProtocolChecksConfig,
  transport: Transport,
): SignatureMethod[] {
  const own: readonly string[] = consumer.signatureMethods ?? config.signatureMethods;
  return SIGNATURE_METHODS.filter(
    (m) =>
      own.includes(m) &&
      config.signatureMethods.includes(m) &&
      (m !== 'RSA-SHA1' || consumer.rsaPublicKey !== null) &&
      (m !== 'PLAINTEXT' || transport.tls || config.plaintextOverHttp),
  );
}

/** Refuses a method this consumer may not use, with the methods it may (the ProblemReporting extension). */
export function requireConsumerMethod(
  method: SignatureMethod,
  consumer: Pick<ConsumerRow, 'signatureMethods' | 'rsaPublicKey'>,
  config: ProtocolChecksConfig,
  transport: Transport,
): void {
  const acceptable = consumerMethods(consumer, config, transport);
  if (acceptable.includes(method)) return;
  const extra: Record<string, string> = {};
  if (acceptable.length > 0) extra.oauth_acceptable_signature_methods = acceptable.map(percentEncode).join('&');
  const advice =
    acceptable.length > 0
      ? `This consumer may sign with ${acceptable.join(', ')}, not ${method}.`
      : `This consumer may not sign with ${method}, and no method it may use is accepted here.`;
  throw new OAuth1Problem('signature_method_rejected', { advice, extra });
}

/** Checks an operator's list (CLI --signature-methods): known names, each once, in the canonical order. */
export function parseSignatureMethods(names: readonly string[]): { ok: true; methods: SignatureMethod[] } | { ok: false; unknown: string[] } {
  const unknown = names.filter((n) => !isSignatureMethod(n));
  if (unknown.length > 0) return { ok: false, unknown };
  return { ok: true, methods: SIGNATURE_METHODS.filter((m) => names.includes(m)) };
}
