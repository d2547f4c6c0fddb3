import { OAuth2Error } from './errors';

// Why a JSON request body was refused: a fixed sentence, safe to show (it holds no input).
const refused = (description: string) => new OAuth2Error('invalid_request', description);

// A JSON string token, escapes included (valid JSON is already guaranteed when this runs).
const stringToken = /"(?:[^"\\]|\\.)*"/y;
const whitespace = /[ \t\n\r]*/y;

/**
 * Parses a JSON token request: one top-level object whose values are all strings. JSON.parse keeps
 * the last of two equal keys without a word, so the keys are read once more here to refuse
 * repeats, as RFC 6749 section 3.2 asks for every parameter.
 */
export function parseFlatJson(text: string): Array<[string, string]> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw refused('The request body is not valid JSON.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw refused('The JSON request body must be an object.');
  }
  for (const v of Object.values(value)) {
    if (typeof v !== 'string') throw refused('Every parameter in the JSON request body must be a string.');
  }
  return readPairs(text);
}

/** Walks a valid flat object of strings, keeping every key/value pair in order (repeats included). */
function readPairs(text: string): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  let at = skip(text, 0);
  at += 1; // '{'
  at = skip(text, at);
  if (text[at] === '}') return pairs;
  for (;;) {
    const [name, afterName] = readString(text, at);
    at = skip(text, afterName) + 1; // ':'
    const [val, afterValue] = readString(text, skip(text, at));
    pairs.push([name, val]);
    at = skip(text, afterValue);
    if (text[at] === '}') return pairs;
    at = skip(text, at + 1); // ','
  }
}

function skip(text: string, at: number): number {
  whitespace.lastIndex = at;
  whitespace.exec(text);
  return whitespace.lastIndex;
}

function readString(text: string, at: number): [string, number] {
  stringToken.lastIndex = at;
  const match = stringToken.exec(text);
  if (!match) throw refused('The request body is not valid JSON.');
  return [JSON.parse(match[0]) as string, stringToken.lastIndex];
}
