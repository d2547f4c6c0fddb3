import type { PageWords, RenewalWords } from './types';
import { sentenceTranslator } from './sentences';

function dauer(seconds: number): string {
  const n = (size: number) => Math.round(seconds / size);
  if (seconds >= 86400) return n(86400) === 1 ? '1 Tag' : `${n(86400)} Tage`;
  if (seconds >= 3600) return n(3600) === 1 ? '1 Stunde' : `${n(3600)} Stunden`;
  if (seconds >= 60) return n(60) === 1 ? '1 Minute' : `${n(60)} Minuten`;
  return seconds === 1 ? '1 Sekunde' : `${seconds} Sekunden`;
}

function accessDuration(app: string, accessSeconds: number, renewal: RenewalWords | null): string {
  const each = `Der Zugriff gilt jeweils ${dauer(accessSeconds)}`;
  if (renewal === null) return `${each}; danach muss ${app} Sie erneut fragen.`;
  const window = renewal.sliding ? `bis er ${dauer(renewal.seconds)} lang ungenutzt bleibt` : `höchstens ${dauer(renewal.seconds)} lang`;
  return `${each}; ${app} kann ihn ohne Rückfrage verlängern, ${window}, oder bis Sie ihn zurücknehmen.`;
}

const minuten = (n: string) => (n === '1' ? '1 Minute' : `${n} Minuten`);

const sentence = sentenceTranslator({
  exact: {
    // Titles.
    'Too many attempts': 'Zu viele Versuche',
    'Please try again shortly': 'Bitte versuchen Sie es gleich noch einmal',
    'Something went wrong': 'Etwas ist schiefgegangen',
    'This request is too large': 'Diese Anfrage ist zu groß',
    'Page not found': 'Seite nicht gefunden',
    'Something is wrong with this request': 'Mit dieser Anfrage stimmt etwas nicht',
    'You are signed out': 'Sie sind abgemeldet',
    'You are signed in': 'Sie sind angemeldet',
    'Signed out': 'Abgemeldet',
    'This authorization link is not valid': 'Dieser Autorisierungslink ist ungültig',
    'Access denied': 'Zugriff verweigert',
    'This request has expired': 'Diese Anfrage ist abgelaufen',
    'This application is not available': 'Diese Anwendung ist nicht verfügbar',
    'This application is not known': 'Diese Anwendung ist unbekannt',
    'This application sent a wrong return address': 'Diese Anwendung hat eine falsche Rücksprungadresse gesendet',
    'This code can no longer be used': 'Dieser Code kann nicht mehr verwendet werden',
    'Device connected': 'Gerät verbunden',
    'Unsupported form': 'Nicht unterstütztes Formular',
    'Unsupported request': 'Nicht unterstützte Anfrage',
    'This form has expired': 'Dieses Formular ist abgelaufen',
    // Messages.
    'Sign in again and retry.': 'Melden Sie sich erneut an und versuchen Sie es noch einmal.',
    'Go back and try again.': 'Gehen Sie zurück und versuchen Sie es noch einmal.',
    'Go back to the application and try again.': 'Kehren Sie zur Anwendung zurück und versuchen Sie es noch einmal.',
    'Go back to the application and start again.': 'Kehren Sie zur Anwendung zurück und beginnen Sie von vorn.',
    'Go back, reload the page and try again.': 'Gehen Sie zurück, laden Sie die Seite neu und versuchen Sie es noch einmal.',
    'Start again on your device.': 'Beginnen Sie auf Ihrem Gerät von vorn.',
    'The form does not name an application.': 'Das Formular nennt keine Anwendung.',
    'That application is not registered here.': 'Diese Anwendung ist hier nicht registriert.',
    'Your password belongs to your organisation\u2019s directory: change it there.': 'Ihr Passwort gehört zum Verzeichnis Ihrer Organisation: Ändern Sie es dort.',
    'The link is unknown, expired or already used.': 'Der Link ist unbekannt, abgelaufen oder wurde bereits verwendet.',
    'The form did not say whether to allow or deny.': 'Das Formular sagt nicht, ob erlaubt oder abgelehnt werden soll.',
    'The request from the application could not be read.': 'Die Anfrage der Anwendung konnte nicht gelesen werden.',
    'The application sent more than an authorization request holds.': 'Die Anwendung hat mehr gesendet, als eine Autorisierungsanfrage enthält.',
    'The application must send this request as a form.': 'Die Anwendung muss diese Anfrage als Formular senden.',
    'The sign-in took too long or the page was already used.': 'Die Anmeldung hat zu lange gedauert oder die Seite wurde bereits verwendet.',
    'The application that sent you here is no longer known to this site.': 'Die Anwendung, die Sie hierher geschickt hat, ist dieser Seite nicht mehr bekannt.',
    'The application that sent you here is not known to this site.': 'Die Anwendung, die Sie hierher geschickt hat, ist dieser Seite nicht bekannt.',
    'The application sent an authorization request that has expired, was already used, or is not its own.':
      'Die Anwendung hat eine Autorisierungsanfrage gesendet, die abgelaufen ist, bereits verwendet wurde oder nicht ihre eigene ist.',
    'The code has expired or was already used.': 'Der Code ist abgelaufen oder wurde bereits verwendet.',
    'Your device is now connected to your account.': 'Ihr Gerät ist jetzt mit Ihrem Konto verbunden.',
    'Return to it to continue.': 'Kehren Sie zu ihm zurück, um fortzufahren.',
    'The device was not given access to your account.': 'Das Gerät hat keinen Zugriff auf Ihr Konto erhalten.',
    'This page shows the result of connecting a device.': 'Diese Seite zeigt das Ergebnis der Verbindung eines Geräts.',
    'Too many wrong codes were entered.': 'Es wurden zu viele falsche Codes eingegeben.',
    'That code is not valid or has expired.': 'Dieser Code ist ungültig oder abgelaufen.',
    'Check the code on your device and try again.': 'Prüfen Sie den Code auf Ihrem Gerät und versuchen Sie es noch einmal.',
    'The application sent a logout parameter more than once.': 'Die Anwendung hat einen Abmeldeparameter mehrfach gesendet.',
    'The application asked to end your session with an identity this site did not issue to it.':
      'Die Anwendung wollte Ihre Sitzung mit einer Identität beenden, die diese Seite ihr nicht ausgestellt hat.',
    'You are signed out.': 'Sie sind abgemeldet.',
    'The application asked to send you to an address it has not registered, so you stay here.':
      'Die Anwendung wollte Sie an eine Adresse schicken, die sie nicht registriert hat; deshalb bleiben Sie hier.',
    'The page to continue to after signing in is not on this site.': 'Die Seite, zu der es nach der Anmeldung weitergehen soll, gehört nicht zu dieser Website.',
    'The form could not be read.': 'Das Formular konnte nicht gelesen werden.',
    'This page accepts only forms sent by a browser.': 'Diese Seite nimmt nur Formulare an, die ein Browser sendet.',
    'The form holds a field more than once.': 'Das Formular enthält ein Feld mehrfach.',
    'Your session on this site has ended.': 'Ihre Sitzung auf dieser Website ist beendet.',
    'The form was not sent from a current page of this site.': 'Das Formular wurde nicht von einer aktuellen Seite dieser Website gesendet.',
    'The request names its application more than once.': 'Die Anfrage nennt ihre Anwendung mehrfach.',
    'The request does not say which application is asking.': 'Die Anfrage sagt nicht, welche Anwendung fragt.',
    'The application sent its return address more than once.': 'Die Anwendung hat ihre Rücksprungadresse mehrfach gesendet.',
    'The application did not say where to return to.': 'Die Anwendung hat nicht gesagt, wohin es zurückgehen soll.',
    'The application asked to return to an address it has not registered.': 'Die Anwendung wollte zu einer Adresse zurück, die sie nicht registriert hat.',
    'No route matches this path.': 'Unter dieser Adresse gibt es keine Seite.',
    'Internal error.': 'Interner Fehler.',
    'The gateway cannot reach its shared state; try again shortly.': 'Der Dienst erreicht seinen gemeinsamen Speicher nicht; versuchen Sie es gleich noch einmal.',
    'The gateway cannot reach its database; try again shortly.': 'Der Dienst erreicht seine Datenbank nicht; versuchen Sie es gleich noch einmal.',
  },
  patterns: [
    [/^(.+) was not given access to your account\.$/, (app) => `${app} hat keinen Zugriff auf Ihr Konto erhalten.`],
    [/^The request from the application holds more than (\d+) parameters\.$/, (n) => `Die Anfrage der Anwendung enthält mehr als ${n} Parameter.`],
    [/^Try again in (\d+) minutes?\.$/, (n) => `Versuchen Sie es in ${minuten(n)} noch einmal.`],
    [/^The address holds "(.+)" more than once\.$/, (name) => `Die Adresse enthält „${name}“ mehrfach.`],
    [/^Signed in as (.+)\.$/, (user) => `Angemeldet als ${user}.`],
  ],
});

/** The pages' own words in German. */
export const german: PageWords = {
  lang: 'de',
  skipToContent: 'Zum Inhalt springen',
  defaultProductName: 'Anmeldung',
  footerLinks: 'Links',
  signedInAsFooter: 'Angemeldet als',
  signOut: 'Abmelden',
  signIn: 'Anmelden',
  signInToContinue: () => ['Melden Sie sich an, um mit ', ' fortzufahren.'],
  username: 'Benutzername',
  password: 'Passwort',
  wrongCredentials: 'Benutzername oder Passwort ist falsch.',
  missingCredentials: 'Geben Sie Ihren Benutzernamen und Ihr Passwort ein.',
  lockedOut: (minutes) => `Zu viele fehlgeschlagene Anmeldeversuche. Versuchen Sie es in ${minuten(String(minutes))} noch einmal.`,
  allowTitle: (app) => `${app} erlauben?`,
  allowHeading: () => ['Darf ', ' Ihr Konto verwenden?'],
  signedInAs: 'Sie sind angemeldet als',
  asksFor: (app) => `Worum ${app} bittet:`,
  usesApiForYou: (app) => `${app} kann die API in Ihrem Namen verwenden.`,
  duration: dauer,
  accessDuration,
  rememberedBefore: (app) => `Ihre Entscheidung wird gespeichert: ${app} fragt für diese Berechtigungen nicht erneut. Sie können den Zugriff jederzeit zurücknehmen auf `,
  takeBackBefore: 'Sie können den Zugriff jederzeit zurücknehmen auf ',
  accountPageLink: 'Ihrer Kontoseite',
  sentTo: 'Nach Ihrer Wahl werden Sie weitergeleitet zu',
  allow: 'Erlauben',
  deny: 'Ablehnen',
  trustOnly: (username) => `Erlauben Sie nur Anwendungen, denen Sie vertrauen. Nicht ${username}?`,
  code: 'Code',
  deviceWarningStrong: 'Erlauben Sie nur, wenn dieser Code auf dem Bildschirm eines Geräts steht, das Sie in der Hand halten oder besitzen.',
  deviceWarningRest: 'Wenn Ihnen jemand diesen Code oder Link geschickt hat, wählen Sie Ablehnen: Sonst erhielte diese Person Zugriff auf Ihr Konto.',
  connectDevice: 'Gerät verbinden',
  enterDeviceCode: 'Geben Sie den Code ein, den Ihr Gerät anzeigt.',
  deviceCodeCaution: 'Geben Sie nur einen Code ein, den ein Gerät anzeigt, das Sie in der Hand halten oder besitzen. Wenn Ihnen jemand einen Code geschickt hat, geben Sie ihn nicht ein.',
  deviceCodeTitle: 'Acht Buchstaben oder Ziffern, etwa XXXX-XXXX',
  deviceCodeHint: 'Acht Zeichen, etwa XXXX-XXXX. Groß- oder Kleinbuchstaben, mit oder ohne Bindestrich.',
  continue: 'Weiter',
  mayClose: 'Sie können dieses Fenster schließen.',
  goBack: 'Zurück',
  quoteRequestId: 'Wenn Sie um Hilfe bitten, nennen Sie diese Anfrage-ID:',
  signOutQuestion: 'Abmelden',
  verifierTitle: 'Ihr Bestätigungscode',
  accessAllowed: 'Zugriff erlaubt',
  enterVerifierIn: () => ['Geben Sie zum Abschluss diesen Bestätigungscode in ', ' ein:'],
  verificationCode: 'Bestätigungscode',
  copyCode: 'Code kopieren',
  copied: 'Kopiert.',
  selectedToCopy: 'Markiert: Drücken Sie Strg+C (oder Cmd+C) zum Kopieren.',
  verifierHint:
    'Groß- oder Kleinbuchstaben, mit oder ohne Bindestrich. Der Code gilt einmal und läuft bald ab; nach einigen falschen Versuchen wird er ungültig und Sie beginnen in der Anwendung von vorn. Danach können Sie dieses Fenster schließen.',
  sentence,
};
