import type Router from '@koa/router';
import { candidateForm, isLiteralPath } from '../http/literal-router';

/**
 * Whether a path belongs to one of the gateway's own endpoints, as `router.match` decides it, but
 * cheap for the paths the gateway proxies. Matching walks every layer's regular expression (and
 * calls debug) for each request; the own endpoints all have literal paths, so a set lookup on the
 * form every such path matches in (case-insensitive, one optional trailing slash, as the router's
 * defaults allow) rules most requests out first. A path that passes is still confirmed by the
 * router, so the set only ever says "certainly not"; with a parameterised path among the layers
 * there is no such shortcut and every request goes to the router. (The own endpoints' router
 * answers a confirmed spelling from a memo: memoizeLiteralMatch.)
 */
export function ownPathMatcher(router: Router): (path: string, method: string) => boolean {
  const confirm = (path: string, method: string) => router.match(path, method).path.length > 0;
  const literal: string[] = [];
  for (const layer of router.stack) {
    if (!isLiteralPath(layer.path)) return confirm;
    literal.push(candidateForm(layer.path));
  }
  const candidates = new Set(literal);
  return (path, method) => candidates.has(candidateForm(path)) && confirm(path, method);
}
