import { z } from 'zod';
import { normalisePath } from '../gateway/path';

/** "/api/" and "/api" are one route: the prefix is held without trailing slashes ("/" for the root). */
function trimTrailingSlashes(prefix: string): string {
  const trimmed = prefix.replace(/\/+$/, '');
  return trimmed === '' ? '/' : trimmed;
}

function isCanonical(prefix: string): boolean {
  try {
    normalisePath(prefix);
    return true;
  } catch {
    return false;
  }
}

/**
 * A route prefix. One no request could spell (";", "//", "%41", "admin.") would never match, since
 * paths are refused before matching unless canonical (gateway/path.ts): say so at start instead.
 */
export const routePrefix = z
  .string()
  .regex(/^\/[^?#]*$/, 'must start with / and hold no query or fragment')
  .transform(trimTrailingSlashes)
  .superRefine((prefix, ctx) => {
    if (!isCanonical(prefix)) {
      ctx.addIssue({ code: 'custom', message: `the prefix ${prefix} is not a canonical path (no ";", "\\", empty or dot segments, encoded unreserved characters or slashes)` });
    }
  });

/**
 * The table as a whole: paths are matched case-insensitively (gateway/routes.ts), so two prefixes
 * that differ only in case or a trailing slash would be one route with two meanings.
 */
export function routeTableRule(routes: ReadonlyArray<{ prefix: string }>, ctx: z.RefinementCtx): void {
  const seen = new Map<string, number>();
  routes.forEach((route, i) => {
    const key = route.prefix.toLowerCase();
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, i);
      return;
    }
    ctx.addIssue({
      code: 'custom',
      path: [i, 'prefix'],
      message: `two routes share the prefix ${route.prefix} (routes.${first} and routes.${i}; prefixes are compared without regard to case or a trailing slash)`,
    });
  });
}
