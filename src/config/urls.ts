import { z } from 'zod';

/** An absolute http(s) URL: upstreams, the public URL, issuers and their endpoints. */
export const httpUrl = z
  .string()
  .refine((v) => {
    try {
      const u = new URL(v);
      return u.protocol === 'http:' || u.protocol === 'https:';
    } catch {
      return false;
    }
  }, 'must be an absolute http(s) URL');
