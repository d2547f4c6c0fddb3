// Which shared secrets sign for a consumer at a given moment: its secret, and during the grace
// period of a rotation (`consumer rotate-secret --grace`) the one the rotation replaced. A pure
// function of the consumer's credentials and the time, so the end of the grace period is tested
// with a clock and holds alike on a cache hit and on a database lookup.

export interface PreviousSecret {
  secret: string;
  /** Epoch ms: from then on the previous secret signs nothing. */
  expiresAt: number;
}

export function acceptedSecrets(consumer: { consumerSecret: string; previousSecret: PreviousSecret | null }, now: number): string[] {
  const previous = consumer.previousSecret;
  return previous !== null && now < previous.expiresAt ? [consumer.consumerSecret, previous.secret] : [consumer.consumerSecret];
}
