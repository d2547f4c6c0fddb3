/** A refusal's answer, before it is written to the response: what a renderer returns. */
export interface RenderedError {
  status: number;
  headers: Record<string, string | string[]>;
  /** The Content-Type, when the body is text; a JSON body (an object) gets application/json. */
  type?: string;
  body: string | Record<string, unknown>;
}
