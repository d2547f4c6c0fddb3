import type { PageLanguage } from '../pages/words';

/** The account page's words in one language (the pages' other words: pages/words). */
export interface AccountWords {
  title: string;
  brand: string;
  operatorsConsole: string;
  notices: Record<'revoked' | 'sessions-ended' | 'password-changed', string>;
  passwordProblems: Record<'wrong-current' | 'mismatch' | 'invalid' | 'locked', string>;
  applications: string;
  appsAllowed: string;
  noApps: string;
  columns: { application: string; scopes: string; since: string; lastUsed: string; action: string };
  fullAccess: string;
  notRecorded: string;
  /** After the newest live token's issue time: what that time is. */
  tokenIssued: string;
  revoke: string;
  revokeApp: (app: string) => string;
  revokeHint: string;
  sessions: string;
  sessionsHint: string;
  endOtherSessions: string;
  password: string;
  directoryPassword: string;
  currentPassword: string;
  newPassword: string;
  newPasswordHint: string;
  newPasswordAgain: string;
  changePassword: string;
}

const en: AccountWords = {
  title: 'Your account',
  brand: 'Account',
  operatorsConsole: "Operators' console",
  notices: {
    revoked: 'Access revoked. The application can no longer use your account.',
    'sessions-ended': 'Your other sessions are signed out.',
    'password-changed': 'Password changed. Your other sessions are signed out and applications must be allowed again.',
  },
  passwordProblems: {
    'wrong-current': 'The current password is wrong.',
    mismatch: 'The two new passwords differ.',
    invalid: 'The new password must be 8 to 1024 characters.',
    locked: 'Too many wrong passwords. Try again later.',
  },
  applications: 'Applications',
  appsAllowed: 'Applications you allowed',
  noApps: 'You have not allowed any application to use your account.',
  columns: { application: 'Application', scopes: 'Scopes', since: 'Since', lastUsed: 'Last used', action: 'Action' },
  fullAccess: 'full access',
  notRecorded: 'not recorded',
  tokenIssued: '(token issued)',
  revoke: 'Revoke',
  revokeApp: (app) => `Revoke ${app}`,
  revokeHint: "Revoking ends the application's tokens and sessions at once; it has to ask you again.",
  sessions: 'Sessions',
  sessionsHint: 'Signed in somewhere you no longer use? End every session but this one.',
  endOtherSessions: 'Sign out of other sessions',
  password: 'Password',
  directoryPassword: "Your password belongs to your organisation's directory: change it there. This site checks it at every sign-in.",
  currentPassword: 'Current password',
  newPassword: 'New password',
  newPasswordHint: "At least 8 characters. Changing it signs out your other sessions and revokes every application's access.",
  newPasswordAgain: 'New password again',
  changePassword: 'Change password',
};

const de: AccountWords = {
  title: 'Ihr Konto',
  brand: 'Konto',
  operatorsConsole: 'Betriebskonsole',
  notices: {
    revoked: 'Zugriff zurückgenommen. Die Anwendung kann Ihr Konto nicht mehr verwenden.',
    'sessions-ended': 'Ihre anderen Sitzungen sind abgemeldet.',
    'password-changed': 'Passwort geändert. Ihre anderen Sitzungen sind abgemeldet, und Anwendungen müssen erneut erlaubt werden.',
  },
  passwordProblems: {
    'wrong-current': 'Das aktuelle Passwort ist falsch.',
    mismatch: 'Die beiden neuen Passwörter stimmen nicht überein.',
    invalid: 'Das neue Passwort muss 8 bis 1024 Zeichen lang sein.',
    locked: 'Zu viele falsche Passwörter. Versuchen Sie es später noch einmal.',
  },
  applications: 'Anwendungen',
  appsAllowed: 'Anwendungen, die Sie erlaubt haben',
  noApps: 'Sie haben noch keiner Anwendung erlaubt, Ihr Konto zu verwenden.',
  columns: { application: 'Anwendung', scopes: 'Berechtigungen', since: 'Seit', lastUsed: 'Zuletzt verwendet', action: 'Aktion' },
  fullAccess: 'voller Zugriff',
  notRecorded: 'nicht erfasst',
  tokenIssued: '(Token ausgestellt)',
  revoke: 'Zurücknehmen',
  revokeApp: (app) => `${app} zurücknehmen`,
  revokeHint: 'Das Zurücknehmen beendet die Tokens und Sitzungen der Anwendung sofort; sie muss Sie erneut fragen.',
  sessions: 'Sitzungen',
  sessionsHint: 'Irgendwo angemeldet, wo Sie es nicht mehr nutzen? Beenden Sie alle Sitzungen außer dieser.',
  endOtherSessions: 'Andere Sitzungen abmelden',
  password: 'Passwort',
  directoryPassword: 'Ihr Passwort gehört zum Verzeichnis Ihrer Organisation: Ändern Sie es dort. Diese Seite prüft es bei jeder Anmeldung.',
  currentPassword: 'Aktuelles Passwort',
  newPassword: 'Neues Passwort',
  newPasswordHint: 'Mindestens 8 Zeichen. Eine Änderung meldet Ihre anderen Sitzungen ab und nimmt allen Anwendungen den Zugriff.',
  newPasswordAgain: 'Neues Passwort wiederholen',
  changePassword: 'Passwort ändern',
};

const fr: AccountWords = {
  title: 'Votre compte',
  brand: 'Compte',
  operatorsConsole: 'Console d’exploitation',
  notices: {
    revoked: 'Accès retiré. L’application ne peut plus utiliser votre compte.',
    'sessions-ended': 'Vos autres sessions sont déconnectées.',
    'password-changed': 'Mot de passe modifié. Vos autres sessions sont déconnectées et les applications doivent être autorisées à nouveau.',
  },
  passwordProblems: {
    'wrong-current': 'Le mot de passe actuel est incorrect.',
    mismatch: 'Les deux nouveaux mots de passe diffèrent.',
    invalid: 'Le nouveau mot de passe doit compter de 8 à 1024 caractères.',
    locked: 'Trop de mots de passe erronés. Réessayez plus tard.',
  },
  applications: 'Applications',
  appsAllowed: 'Applications que vous avez autorisées',
  noApps: 'Vous n’avez autorisé aucune application à utiliser votre compte.',
  columns: { application: 'Application', scopes: 'Autorisations', since: 'Depuis', lastUsed: 'Dernière utilisation', action: 'Action' },
  fullAccess: 'accès complet',
  notRecorded: 'non enregistrée',
  tokenIssued: '(jeton émis)',
  revoke: 'Retirer',
  revokeApp: (app) => `Retirer ${app}`,
  revokeHint: 'Retirer l’accès met fin aussitôt aux jetons et sessions de l’application ; elle devra vous redemander.',
  sessions: 'Sessions',
  sessionsHint: 'Connecté quelque part que vous n’utilisez plus ? Fermez toutes les sessions sauf celle-ci.',
  endOtherSessions: 'Déconnecter les autres sessions',
  password: 'Mot de passe',
  directoryPassword: 'Votre mot de passe appartient à l’annuaire de votre organisation : changez-le là-bas. Ce site le vérifie à chaque connexion.',
  currentPassword: 'Mot de passe actuel',
  newPassword: 'Nouveau mot de passe',
  newPasswordHint: 'Au moins 8 caractères. Le changer déconnecte vos autres sessions et retire l’accès de toutes les applications.',
  newPasswordAgain: 'Nouveau mot de passe (confirmation)',
  changePassword: 'Changer le mot de passe',
};

const byLanguage: Readonly<Record<PageLanguage, AccountWords>> = { en, de, fr };

export function accountWords(lang: PageLanguage): AccountWords {
  return byLanguage[lang];
}
