import type { Context, Middleware, Next } from '../context';

/** First step of an endpoint: the name its requests carry in the access log and the metrics. */
export function routeName(name: string): Middleware {
  return async function nameRoute(ctx: Context, next: Next): Promise<void> {
    ctx.state.routeName = name;
    ctx.state.endpoint = name;
    await next();
  };
}
