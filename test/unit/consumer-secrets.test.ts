import { acceptedSecrets } from '../../src/oauth1/consumer-secrets';

// Which shared secrets sign for a consumer: the previous one only before its grace period ends.

const consumer = (previous: { secret: string; expiresAt: number } | null) => ({ consumerSecret: 'new', previousSecret: previous });

test('without a rotation in grace, only the secret', () => {
  expect(acceptedSecrets(consumer(null), 1000)).toEqual(['new']);
});

test('the previous secret signs until the instant its grace period ends, not at it', () => {
  const c = consumer({ secret: 'old', expiresAt: 5000 });
  expect(acceptedSecrets(c, 4999)).toEqual(['new', 'old']);
  expect(acceptedSecrets(c, 5000)).toEqual(['new']);
  expect(acceptedSecrets(c, 9000)).toEqual(['new']);
});
