import type { PageWords, RenewalWords } from './types';
import { sentenceTranslator } from './sentences';

function duree(seconds: number): string {
  const n = (size: number) => Math.round(seconds / size);
  if (seconds >= 86400) return n(86400) === 1 ? '1 jour' : `${n(86400)} jours`;
  if (seconds >= 3600) return n(3600) === 1 ? '1 heure' : `${n(3600)} heures`;
  if (seconds >= 60) return n(60) === 1 ? '1 minute' : `${n(60)} minutes`;
  return seconds === 1 ? '1 seconde' : `${seconds} secondes`;
}

function accessDuration(app: string, accessSeconds: number, renewal: RenewalWords | null): string {
  const each = `L’accès dure ${duree(accessSeconds)} à chaque fois`;
  if (renewal === null) return `${each} ; ensuite ${app} doit vous le redemander.`;
  const window = renewal.sliding ? `tant qu’il ne reste pas ${duree(renewal.seconds)} sans servir` : `pendant ${duree(renewal.seconds)} au plus`;
  return `${each} ; ${app} peut le renouveler sans vous le demander ${window}, ou jusqu’à ce que vous le retiriez.`;
}

const minutes = (n: string) => (n === '1' ? '1 minute' : `${n} minutes`);

const sentence = sentenceTranslator({
  exact: {
    // Titles.
    'Too many attempts': 'Trop de tentatives',
    'Please try again shortly': 'Veuillez réessayer dans un instant',
    'Something went wrong': 'Une erreur s’est produite',
    'This request is too large': 'Cette requête est trop volumineuse',
    'Page not found': 'Page introuvable',
    'Something is wrong with this request': 'Cette requête pose un problème',
    'You are signed out': 'Vous êtes déconnecté',
    'You are signed in': 'Vous êtes connecté',
    'Signed out': 'Déconnecté',
    'This authorization link is not valid': 'Ce lien d’autorisation n’est pas valide',
    'Access denied': 'Accès refusé',
    'This request has expired': 'Cette requête a expiré',
    'This application is not available': 'Cette application n’est pas disponible',
    'This application is not known': 'Cette application est inconnue',
    'This application sent a wrong return address': 'Cette application a envoyé une mauvaise adresse de retour',
    'This code can no longer be used': 'Ce code ne peut plus être utilisé',
    'Device connected': 'Appareil connecté',
    'Unsupported form': 'Formulaire non pris en charge',
    'Unsupported request': 'Requête non prise en charge',
    'This form has expired': 'Ce formulaire a expiré',
    // Messages.
    'Sign in again and retry.': 'Reconnectez-vous et réessayez.',
    'Go back and try again.': 'Revenez en arrière et réessayez.',
    'Go back to the application and try again.': 'Retournez à l’application et réessayez.',
    'Go back to the application and start again.': 'Retournez à l’application et recommencez.',
    'Go back, reload the page and try again.': 'Revenez en arrière, rechargez la page et réessayez.',
    'Start again on your device.': 'Recommencez sur votre appareil.',
    'The form does not name an application.': 'Le formulaire ne nomme aucune application.',
    'That application is not registered here.': 'Cette application n’est pas enregistrée ici.',
    'Your password belongs to your organisation\u2019s directory: change it there.': 'Votre mot de passe appartient à l’annuaire de votre organisation : changez-le là-bas.',
    'The link is unknown, expired or already used.': 'Le lien est inconnu, expiré ou déjà utilisé.',
    'The form did not say whether to allow or deny.': 'Le formulaire n’indique pas s’il faut autoriser ou refuser.',
    'The request from the application could not be read.': 'La requête de l’application n’a pas pu être lue.',
    'The application sent more than an authorization request holds.': 'L’application a envoyé plus que ce que contient une demande d’autorisation.',
    'The application must send this request as a form.': 'L’application doit envoyer cette requête sous forme de formulaire.',
    'The sign-in took too long or the page was already used.': 'La connexion a pris trop de temps ou la page a déjà servi.',
    'The application that sent you here is no longer known to this site.': 'L’application qui vous a envoyé ici n’est plus connue de ce site.',
    'The application that sent you here is not known to this site.': 'L’application qui vous a envoyé ici n’est pas connue de ce site.',
    'The application sent an authorization request that has expired, was already used, or is not its own.':
      'L’application a envoyé une demande d’autorisation expirée, déjà utilisée ou qui n’est pas la sienne.',
    'The code has expired or was already used.': 'Le code a expiré ou a déjà été utilisé.',
    'Your device is now connected to your account.': 'Votre appareil est maintenant connecté à votre compte.',
    'Return to it to continue.': 'Revenez-y pour continuer.',
    'The device was not given access to your account.': 'L’appareil n’a pas reçu l’accès à votre compte.',
    'This page shows the result of connecting a device.': 'Cette page montre le résultat de la connexion d’un appareil.',
    'Too many wrong codes were entered.': 'Trop de codes erronés ont été saisis.',
    'That code is not valid or has expired.': 'Ce code n’est pas valide ou a expiré.',
    'Check the code on your device and try again.': 'Vérifiez le code sur votre appareil et réessayez.',
    'The application sent a logout parameter more than once.': 'L’application a envoyé un paramètre de déconnexion plusieurs fois.',
    'The application asked to end your session with an identity this site did not issue to it.':
      'L’application a demandé de fermer votre session avec une identité que ce site ne lui a pas délivrée.',
    'You are signed out.': 'Vous êtes déconnecté.',
    'The application asked to send you to an address it has not registered, so you stay here.':
      'L’application a demandé de vous envoyer vers une adresse qu’elle n’a pas enregistrée : vous restez donc ici.',
    'The page to continue to after signing in is not on this site.': 'La page où continuer après la connexion n’appartient pas à ce site.',
    'The form could not be read.': 'Le formulaire n’a pas pu être lu.',
    'This page accepts only forms sent by a browser.': 'Cette page n’accepte que les formulaires envoyés par un navigateur.',
    'The form holds a field more than once.': 'Le formulaire contient un champ plusieurs fois.',
    'Your session on this site has ended.': 'Votre session sur ce site est terminée.',
    'The form was not sent from a current page of this site.': 'Le formulaire n’a pas été envoyé depuis une page actuelle de ce site.',
    'The request names its application more than once.': 'La requête nomme son application plusieurs fois.',
    'The request does not say which application is asking.': 'La requête n’indique pas quelle application la fait.',
    'The application sent its return address more than once.': 'L’application a envoyé son adresse de retour plusieurs fois.',
    'The application did not say where to return to.': 'L’application n’a pas indiqué où revenir.',
    'The application asked to return to an address it has not registered.': 'L’application a demandé à revenir vers une adresse qu’elle n’a pas enregistrée.',
    'No route matches this path.': 'Aucune page ne correspond à cette adresse.',
    'Internal error.': 'Erreur interne.',
    'The gateway cannot reach its shared state; try again shortly.': 'Le service n’atteint pas son stockage partagé ; réessayez dans un instant.',
    'The gateway cannot reach its database; try again shortly.': 'Le service n’atteint pas sa base de données ; réessayez dans un instant.',
  },
  patterns: [
    [/^(.+) was not given access to your account\.$/, (app) => `${app} n’a pas reçu l’accès à votre compte.`],
    [/^The request from the application holds more than (\d+) parameters\.$/, (n) => `La requête de l’application contient plus de ${n} paramètres.`],
    [/^Try again in (\d+) minutes?\.$/, (n) => `Réessayez dans ${minutes(n)}.`],
    [/^The address holds "(.+)" more than once\.$/, (name) => `L’adresse contient « ${name} » plusieurs fois.`],
    [/^Signed in as (.+)\.$/, (user) => `Connecté en tant que ${user}.`],
  ],
});

/** The pages' own words in French. */
export const french: PageWords = {
  lang: 'fr',
  skipToContent: 'Aller au contenu',
  defaultProductName: 'Connexion au compte',
  footerLinks: 'Liens',
  signedInAsFooter: 'Connecté en tant que',
  signOut: 'Se déconnecter',
  signIn: 'Se connecter',
  signInToContinue: () => ['Connectez-vous pour continuer vers ', '.'],
  username: 'Nom d’utilisateur',
  password: 'Mot de passe',
  wrongCredentials: 'Nom d’utilisateur ou mot de passe incorrect.',
  missingCredentials: 'Saisissez votre nom d’utilisateur et votre mot de passe.',
  lockedOut: (n) => `Trop de tentatives de connexion échouées. Réessayez dans ${minutes(String(n))}.`,
  allowTitle: (app) => `Autoriser ${app} ?`,
  allowHeading: () => ['Autoriser ', ' à utiliser votre compte ?'],
  signedInAs: 'Vous êtes connecté en tant que',
  asksFor: (app) => `Ce que ${app} demande :`,
  usesApiForYou: (app) => `${app} pourra utiliser l’API en votre nom.`,
  duration: duree,
  accessDuration,
  rememberedBefore: (app) => `Votre choix est mémorisé : ${app} ne vous redemandera pas ces autorisations. Vous pouvez retirer l’accès à tout moment sur `,
  takeBackBefore: 'Vous pouvez retirer l’accès à tout moment sur ',
  accountPageLink: 'la page de votre compte',
  sentTo: 'Après votre choix, vous serez envoyé vers',
  allow: 'Autoriser',
  deny: 'Refuser',
  trustOnly: (username) => `N’autorisez que des applications de confiance. Vous n’êtes pas ${username} ?`,
  code: 'Code',
  deviceWarningStrong: 'N’autorisez que si ce code s’affiche sur l’écran d’un appareil que vous tenez ou possédez.',
  deviceWarningRest: 'Si quelqu’un vous a envoyé ce code ou ce lien, choisissez Refuser : autoriser lui donnerait accès à votre compte.',
  connectDevice: 'Connecter un appareil',
  enterDeviceCode: 'Saisissez le code affiché sur votre appareil.',
  deviceCodeCaution: 'Ne saisissez qu’un code affiché sur un appareil que vous tenez ou possédez. Si quelqu’un vous a envoyé un code, ne le saisissez pas.',
  deviceCodeTitle: 'Huit lettres ou chiffres, comme XXXX-XXXX',
  deviceCodeHint: 'Huit caractères, comme XXXX-XXXX. Majuscules ou minuscules, avec ou sans tiret.',
  continue: 'Continuer',
  mayClose: 'Vous pouvez fermer cette fenêtre.',
  goBack: 'Retour',
  quoteRequestId: 'Si vous demandez de l’aide, indiquez cet identifiant de requête :',
  signOutQuestion: 'Se déconnecter',
  verifierTitle: 'Votre code de vérification',
  accessAllowed: 'Accès autorisé',
  enterVerifierIn: () => ['Pour terminer, saisissez ce code de vérification dans ', ' :'],
  verificationCode: 'Code de vérification',
  copyCode: 'Copier le code',
  copied: 'Copié.',
  selectedToCopy: 'Sélectionné : appuyez sur Ctrl+C (ou Cmd+C) pour copier.',
  verifierHint:
    'Majuscules ou minuscules, avec ou sans tiret. Le code ne sert qu’une fois et expire bientôt ; après quelques essais erronés, il ne fonctionne plus et vous recommencez depuis l’application. Vous pourrez ensuite fermer cette fenêtre.',
  sentence,
};
