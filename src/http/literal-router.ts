import Router from '@koa/router';

type MatchResult = ReturnType<Router<any, any>['match']>;

/** Lower case without trailing slashes: every path a literal layer can match has this form in common with it. */
export function candidateForm(path: string): string {
  let end = path.length;
  while (end > 1 && path.charCodeAt(end - 1) === 47 /* / */) end--;
  return path.slice(0, end).toLowerCase();
}

/** A layer path with nothing the router reads as a parameter or pattern: it matches one path and its case and slash variants. */
export function isLiteralPath(path: unknown): path is string {
  return typeof path === 'string' && !/[:*?(){}\\]/.test(path);
}

// Spellings of own paths are few, but case variants are not: past this many the memo starts over.
const MEMO_LIMIT = 1024;

/**
 * Gives a router whose layers all have literal paths (the gateway's own endpoints) a `match` that
 * answers from a memo. @koa/router's match walks every layer's regular expression and calls `debug`
 * per layer for each request, and the app matches an own path twice (ownPathMatcher, then the
 * dispatch): about a tenth of the token endpoint's CPU. With literal layers the answer depends on the
 * path and method alone, so it is computed once per spelling: a path whose candidate form no layer
 * has matches nothing and is answered at once; the others (a bounded set of spellings) are
 * remembered. A parameterised layer, even one added later, turns the memo off: the router's own
 * walk then answers. The router's dispatch calls `this.match`, so it uses the memo too.
 */
export function memoizeLiteralMatch<R extends Router<any, any>>(router: R): R {
  const walk = router.match.bind(router) as (path: string, method: string) => MatchResult;
  const memo = new Map<string, MatchResult>();
  let candidates: Set<string> | null = null;
  let layersSeen = -1;
  // The candidate forms of every layer, or null when a layer is not literal; rebuilt when layers were added.
  const literalCandidates = (): Set<string> | null => {
    if (layersSeen !== router.stack.length) {
      layersSeen = router.stack.length;
      memo.clear();
      candidates = router.stack.every((layer) => isLiteralPath(layer.path)) ? new Set(router.stack.map((layer) => candidateForm(layer.path as string))) : null;
    }
    return candidates;
  };
  router.match = (path: string, method: string): MatchResult => {
    const literal = literalCandidates();
    if (literal === null) return walk(path, method);
    if (!literal.has(candidateForm(path))) return { path: [], pathAndMethod: [], route: false };
    const key = `${method} ${path}`;
    let found = memo.get(key);
    if (found === undefined) {
      if (memo.size >= MEMO_LIMIT) memo.clear();
      found = walk(path, method);
      memo.set(key, found);
    }
    // A fresh `path` array each time: the dispatch appends a later router's matches to ctx.matched.
    return { path: [...found.path], pathAndMethod: found.pathAndMethod, route: found.route };
  };
  return router;
}
