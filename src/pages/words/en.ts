import type { PageWords, RenewalWords } from './types';

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** 90 seconds -> "2 minutes", 28800 -> "8 hours", 1209600 -> "14 days": the largest unit that fits. */
export function englishDuration(seconds: number): string {
  if (seconds >= 86400) return plural(Math.round(seconds / 86400), 'day', 'days');
  if (seconds >= 3600) return plural(Math.round(seconds / 3600), 'hour', 'hours');
  if (seconds >= 60) return plural(Math.round(seconds / 60), 'minute', 'minutes');
  return plural(seconds, 'second', 'seconds');
}

function accessDuration(app: string, accessSeconds: number, renewal: RenewalWords | null): string {
  const each = `Access lasts ${englishDuration(accessSeconds)} at a time`;
  if (renewal === null) return `${each}; after that ${app} has to ask you again.`;
  const window = renewal.sliding ? `until it goes unused for ${englishDuration(renewal.seconds)}` : `for up to ${englishDuration(renewal.seconds)}`;
  return `${each}; ${app} can renew it without asking you ${window}, or until you take it back.`;
}

/** The pages' own words in English: the source of every other language, and the fallback. */
export const english: PageWords = {
  lang: 'en',
  skipToContent: 'Skip to content',
  defaultProductName: 'Account sign-in',
  footerLinks: 'Links',
  signedInAsFooter: 'Signed in as',
  signOut: 'Sign out',
  signIn: 'Sign in',
  signInToContinue: () => ['Sign in to continue to ', '.'],
  username: 'Username',
  password: 'Password',
  wrongCredentials: 'Wrong username or password.',
  missingCredentials: 'Enter your username and password.',
  lockedOut: (minutes) => `Too many failed sign-in attempts. Try again in ${plural(minutes, 'minute', 'minutes')}.`,
  allowTitle: (app) => `Allow ${app}?`,
  allowHeading: () => ['Allow ', ' to use your account?'],
  signedInAs: 'You are signed in as',
  asksFor: (app) => `What ${app} asks for:`,
  usesApiForYou: (app) => `${app} will be able to use the API on your behalf.`,
  duration: englishDuration,
  accessDuration,
  rememberedBefore: (app) => `Your choice is remembered: ${app} will not ask again for these permissions. You can take access back at any time on `,
  takeBackBefore: 'You can take access back at any time on ',
  accountPageLink: 'your account page',
  sentTo: 'After you choose, you will be sent to',
  allow: 'Allow',
  deny: 'Deny',
  trustOnly: (username) => `Allow only applications you trust. Not ${username}?`,
  code: 'Code',
  deviceWarningStrong: 'Allow only if this code is on the screen of a device you are holding or own.',
  deviceWarningRest: 'If someone sent you this code or link, choose Deny: allowing would give them access to your account.',
  connectDevice: 'Connect a device',
  enterDeviceCode: 'Enter the code shown on your device.',
  deviceCodeCaution: 'Only enter a code shown on a device you are holding or own. If someone sent you a code, do not enter it.',
  deviceCodeTitle: 'Eight letters or digits, like XXXX-XXXX',
  deviceCodeHint: 'Eight characters, like XXXX-XXXX. Upper or lower case, with or without the dash.',
  continue: 'Continue',
  mayClose: 'You may close this window.',
  goBack: 'Go back',
  quoteRequestId: 'If you ask for help, quote this request id:',
  signOutQuestion: 'Sign out',
  verifierTitle: 'Your verification code',
  accessAllowed: 'Access allowed',
  enterVerifierIn: () => ['To finish, enter this verification code in ', ':'],
  verificationCode: 'Verification code',
  copyCode: 'Copy code',
  copied: 'Copied.',
  selectedToCopy: 'Selected: press Ctrl+C (or Cmd+C) to copy.',
  verifierHint:
    'Upper or lower case, with or without the dash. The code works once and expires soon; after a few wrong tries it stops working and you start again from the application. You may close this window afterwards.',
  sentence: (english) => english,
};
