import { AsyncLocalStorage } from 'node:async_hooks';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, defaultTextMapGetter, defaultTextMapSetter, trace, type Context as TraceContext, type Span, type Tracer } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, ParentBasedSampler, TraceIdRatioBasedSampler, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { GatewayConfig } from '../config';
import type { Context } from '../http/context';
import { clientAddress, peerAddress } from '../http/client-address';
import { isTrustedProxy } from '../http/trusted-proxy';

export type TracingConfig = GatewayConfig['tracing'];

/**
 * OpenTelemetry tracing of the gateway: one server span per request, the upstream exchange and
 * each database and Redis call as its children (client spans), and W3C trace context (traceparent)
 * sent to the upstream. Made by the
 * runtime only when tracing.enabled: disabled, no tracer, no provider and no exporter exist, and each
 * hook on the request path is one `if` on a null. Nothing is registered globally (no global tracer
 * provider, no context manager): spans are started with an explicit parent (the request's span is
 * carried by this object's own AsyncLocalStorage), so several gateways in one process (tests) keep
 * their own traces.
 */
export class Tracing {
  private readonly provider: BasicTracerProvider;
  private readonly tracer: Tracer;
  private readonly propagator = new W3CTraceContextPropagator();
  /**
   * The request span the code running now works for. Database and cache calls happen deep below
   * the request, far from ctx; AsyncLocalStorage carries the span to them without threading it
   * through every signature. One per Tracing (no global context manager), like everything here.
   */
  private readonly active = new AsyncLocalStorage<Span>();

  constructor(
    private readonly config: TracingConfig,
    private readonly trustedProxies: readonly string[],
    exporter: SpanExporter = new OTLPTraceExporter({ url: config.endpoint }),
  ) {
    this.provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': config.serviceName }),
      // A parent that was honoured decides for its children; a new trace is kept at the configured ratio.
      sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(config.sampleRatio) }),
      spanProcessors: [new BatchSpanProcessor(exporter)],
    });
    this.tracer = this.provider.getTracer('oauth-gateway');
  }

  /**
   * The request's server span. A traceparent from the client becomes its parent only when
   * acceptIncoming allows it for this peer: anyone else could otherwise pick the trace id (and force
   * sampling) of the gateway's spans.
   */
  startRequest(ctx: Context): Span {
    const parent = this.honoursIncoming(ctx) ? this.propagator.extract(ROOT_CONTEXT, ctx.req.headers, defaultTextMapGetter) : ROOT_CONTEXT;
    return this.tracer.startSpan(
      ctx.method,
      {
        kind: SpanKind.SERVER,
        attributes: { 'http.request.method': ctx.method, 'url.path': ctx.path, 'client.address': clientAddress(ctx, this.trustedProxies) },
      },
      parent,
    );
  }

  /** Runs the rest of the request with its span active, so database and cache calls become its children. */
  within<T>(span: Span, fn: () => Promise<T>): Promise<T> {
    return this.active.run(span, fn);
  }

  /**
   * A client span for one database or cache call, child of the active request span; undefined
   * outside a request (background sweeps, the revocation feed's polls): those would each start a
   * trace of their own and drown the requests' traces.
   */
  startCall(name: string, system: string, operation: string): Span | undefined {
    const parent = this.active.getStore();
    if (!parent) return undefined;
    return this.tracer.startSpan(name, { kind: SpanKind.CLIENT, attributes: { 'db.system.name': system, 'db.operation.name': operation } }, trace.setSpan(ROOT_CONTEXT, parent));
  }

  endCall(span: Span, ok: boolean): void {
    if (!ok) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  }

  /** Ends the server span with the route that took the request (its name, low cardinality) and the status. */
  endRequest(span: Span, ctx: Context): void {
    const route = ctx.state.routeName;
    const status = ctx.state.proxied ? ctx.res.statusCode : ctx.status;
    if (route) {
      span.updateName(`${ctx.method} ${route}`);
      span.setAttribute('http.route', route);
    }
    span.setAttribute('http.response.status_code', status);
    if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  }

  /**
   * The upstream exchange as a child of the request's span, and its trace context written into the
   * headers the upstream receives (replacing any the client sent: the upstream's parent is the gateway).
   */
  startUpstream(parent: Span | undefined, upstream: string, method: string, headers: Record<string, unknown>): Span {
    const parentContext: TraceContext = parent ? trace.setSpan(ROOT_CONTEXT, parent) : ROOT_CONTEXT;
    const span = this.tracer.startSpan(`${method} upstream`, { kind: SpanKind.CLIENT, attributes: { 'http.request.method': method, 'server.address': upstream } }, parentContext);
    delete headers.traceparent;
    delete headers.tracestate;
    this.propagator.inject(trace.setSpan(parentContext, span), headers, defaultTextMapSetter);
    return span;
  }

  endUpstream(span: Span, status: number, failure: string | null): void {
    if (status > 0) span.setAttribute('http.response.status_code', status);
    if (failure) {
      span.setAttribute('error.type', failure);
      span.setStatus({ code: SpanStatusCode.ERROR });
    } else if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  }

  /** Exports every span ended so far (tests; the runtime's close). */
  flush(): Promise<void> {
    return this.provider.forceFlush();
  }

  close(): Promise<void> {
    return this.provider.shutdown();
  }

  private honoursIncoming(ctx: Context): boolean {
    switch (this.config.acceptIncoming) {
      case 'always':
        return true;
      case 'never':
        return false;
      default:
        return isTrustedProxy(peerAddress(ctx), this.trustedProxies);
    }
  }
}

/** The runtime's tracing: null when tracing.enabled is false (zero cost: nothing made, nothing exported). */
export function openTracing(config: GatewayConfig, exporter?: SpanExporter): Tracing | null {
  return config.tracing.enabled ? new Tracing(config.tracing, config.server.trustedProxies, exporter) : null;
}
