import { readFileSync } from 'node:fs';
import path from 'node:path';
import { signatureBaseString } from '../../src/oauth1/base-string';
import { percentEncode } from '../../src/oauth1/encoding';
import { collectParameters } from '../../src/oauth1/params';
import { sign, verifySignature } from '../../src/oauth1/signature';

interface HmacVector {
  id: string;
  http_method: string;
  url: string;
  form_body: string | null;
  content_type: string | null;
  oauth_params: Record<string, string>;
  client_secret: string;
  token_secret: string;
  expected_base_string: string;
  expected_signature: string;
}
interface PlaintextVector {
  id: string;
  client_secret: string;
  token_secret: string;
  expected_signature_value: string;
  expected_on_the_wire: string;
}

const vectors = JSON.parse(
  // The project's own copy of the shared signature vectors, so a clone alone passes.
  readFileSync(path.resolve(__dirname, '../fixtures/oauth1-signatures.json'), 'utf8'),
) as { hmac_sha1: HmacVector[]; plaintext: PlaintextVector[] };

function splitUrl(url: string): { uri: string; query: string } {
  const q = url.indexOf('?');
  return q < 0 ? { uri: url, query: '' } : { uri: url.slice(0, q), query: url.slice(q + 1) };
}

function oauthHeader(params: Record<string, string>, realm = 'Example'): string {
  const parts = Object.entries(params).map(([k, v]) => `${percentEncode(k)}="${percentEncode(v)}"`);
  return `OAuth realm="${realm}", ${parts.join(', ')}`;
}

function baseStringOf(v: HmacVector, placement: 'header' | 'query'): string {
  const { uri, query } = splitUrl(v.url);
  const signed = { ...v.oauth_params, oauth_signature: v.expected_signature };
  const oauthQuery = Object.entries(signed)
    .map(([k, val]) => `${percentEncode(k)}=${percentEncode(val)}`)
    .join('&');
  const collected = collectParameters({
    authorization: placement === 'header' ? oauthHeader(signed) : null,
    contentType: v.content_type,
    body: v.form_body,
    query: placement === 'query' ? [query, oauthQuery].filter(Boolean).join('&') : query,
  });
  return signatureBaseString({ method: v.http_method, uri, params: collected.pairs });
}

describe('HMAC-SHA1 vectors', () => {
  for (const v of vectors.hmac_sha1) {
    test(`${v.id}: base string from header parameters equals the expected one`, () => {
      expect(baseStringOf(v, 'header')).toBe(v.expected_base_string);
    });

    test(`${v.id}: base string is the same with the oauth parameters in the query`, () => {
      expect(baseStringOf(v, 'query')).toBe(v.expected_base_string);
    });

    test(`${v.id}: signature equals the expected one`, () => {
      const signature = sign({
        method: 'HMAC-SHA1',
        baseString: v.expected_base_string,
        consumerSecret: v.client_secret,
        tokenSecret: v.token_secret,
      });
      expect(signature).toBe(v.expected_signature);
    });

    const verifyInput = () => ({
      method: 'HMAC-SHA1' as const,
      baseString: baseStringOf(v, 'header'),
      consumerSecret: v.client_secret,
      tokenSecret: v.token_secret,
    });

    test(`${v.id}: the expected signature verifies against the collected request`, () => {
      expect(verifySignature({ ...verifyInput(), signature: v.expected_signature })).toBe(true);
    });

    test(`${v.id}: a signature differing in one character does not verify`, () => {
      const altered = (v.expected_signature[0] === 'A' ? 'B' : 'A') + v.expected_signature.slice(1);
      expect(verifySignature({ ...verifyInput(), signature: altered })).toBe(false);
    });
  }
});

describe('PLAINTEXT vectors', () => {
  for (const v of vectors.plaintext) {
    test(`${v.id}: signature value equals the expected one`, () => {
      expect(sign({ method: 'PLAINTEXT', consumerSecret: v.client_secret, tokenSecret: v.token_secret })).toBe(
        v.expected_signature_value,
      );
    });

    test(`${v.id}: on-the-wire encoding equals the expected one`, () => {
      expect(percentEncode(v.expected_signature_value)).toBe(v.expected_on_the_wire);
    });

    test(`${v.id}: the on-the-wire value read from a header verifies`, () => {
      const collected = collectParameters({
        authorization: `OAuth oauth_consumer_key="k", oauth_signature_method="PLAINTEXT", oauth_signature="${v.expected_on_the_wire}"`,
      });
      expect(
        verifySignature({
          method: 'PLAINTEXT',
          signature: collected.protocol.oauth_signature,
          consumerSecret: v.client_secret,
          tokenSecret: v.token_secret,
        }),
      ).toBe(true);
    });

    test(`${v.id}: a PLAINTEXT signature with the wrong token secret does not verify`, () => {
      expect(
        verifySignature({
          method: 'PLAINTEXT',
          signature: v.expected_signature_value,
          consumerSecret: v.client_secret,
          tokenSecret: v.token_secret + 'x',
        }),
      ).toBe(false);
    });
  }
});
