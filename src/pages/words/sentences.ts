/**
 * Handlers write their refusals and last pages as English sentences (errors are data: PageError's
 * title and message), and one message often joins two of them ("The code has expired. Start again
 * on your device."). A language translates them sentence by sentence: the whole text first, then
 * each sentence alone, exactly or by a pattern for the ones around a value (a name, a number). A
 * sentence a language does not know stays English: a new refusal never shows an empty page.
 */
export interface SentenceCatalog {
  exact: Readonly<Record<string, string>>;
  patterns: ReadonlyArray<readonly [RegExp, (...groups: string[]) => string]>;
}

// A sentence ends at . ! ? followed by a space: "OAuth 1.0a" and "e.g." inside one stay whole.
const sentenceBreak = /(?<=[.!?:])\s+(?=[A-Z"])/;

function one(catalog: SentenceCatalog, sentence: string): string {
  const exact = catalog.exact[sentence];
  if (exact !== undefined) return exact;
  for (const [pattern, translate] of catalog.patterns) {
    const match = pattern.exec(sentence);
    if (match) return translate(...match.slice(1));
  }
  return sentence;
}

export function sentenceTranslator(catalog: SentenceCatalog): (english: string) => string {
  return (english) => {
    const whole = catalog.exact[english];
    if (whole !== undefined) return whole;
    return english
      .split(sentenceBreak)
      .map((sentence) => one(catalog, sentence))
      .join(' ');
  };
}
