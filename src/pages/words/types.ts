/** The languages the pages speak; English is the source and the fallback. */
export const pageLanguages = ['en', 'de', 'fr'] as const;
export type PageLanguage = (typeof pageLanguages)[number];

/** How long the application may renew access without the user (templates/consent.ts). */
export interface RenewalWords {
  seconds: number;
  sliding: boolean;
}

/**
 * Every word the pages draw themselves, in one language. Fixed words are strings; words around a
 * value are functions of it, so each language orders and inflects them its own way.
 */
export interface PageWords {
  lang: PageLanguage;
  // The frame (templates/layout.ts, console/layout.ts's wide pages).
  skipToContent: string;
  defaultProductName: string;
  footerLinks: string;
  signedInAsFooter: string;
  signOut: string;
  // Sign-in (templates/login.ts).
  signIn: string;
  signInToContinue: (app: string) => [before: string, after: string];
  username: string;
  password: string;
  wrongCredentials: string;
  missingCredentials: string;
  lockedOut: (minutes: number) => string;
  // Consent (templates/consent.ts).
  allowTitle: (app: string) => string;
  allowHeading: (app: string) => [before: string, after: string];
  signedInAs: string;
  asksFor: (app: string) => string;
  usesApiForYou: (app: string) => string;
  duration: (seconds: number) => string;
  accessDuration: (app: string, accessSeconds: number, renewal: RenewalWords | null) => string;
  rememberedBefore: (app: string) => string;
  takeBackBefore: string;
  accountPageLink: string;
  sentTo: string;
  allow: string;
  deny: string;
  trustOnly: (username: string) => string;
  code: string;
  deviceWarningStrong: string;
  deviceWarningRest: string;
  // Device code entry (templates/device.ts).
  connectDevice: string;
  enterDeviceCode: string;
  deviceCodeCaution: string;
  deviceCodeTitle: string;
  deviceCodeHint: string;
  continue: string;
  // Messages and errors (templates/message.ts).
  mayClose: string;
  goBack: string;
  quoteRequestId: string;
  // Sign-out (GET /logout).
  signOutQuestion: string;
  // OAuth 1.0a oob (templates/oob-verifier.ts).
  verifierTitle: string;
  accessAllowed: string;
  enterVerifierIn: (app: string) => [before: string, after: string];
  verificationCode: string;
  copyCode: string;
  /** What the copy button's script says after copying, or after only selecting (no clipboard access). */
  copied: string;
  selectedToCopy: string;
  verifierHint: string;
  /**
   * A sentence a handler wrote in English (an error's title and message, a flow's last page): its
   * translation, or the sentence itself when this language has none (sentences.ts).
   */
  sentence: (english: string) => string;
}
