import type { Catalog } from './en.js';
import { errorsDe } from './catalogs/errors.de.js';
import { sessionDe } from './catalogs/session.de.js';
import { listsDe } from './catalogs/lists.de.js';
import { sharingDe } from './catalogs/sharing.de.js';
import { linksDe } from './catalogs/links.de.js';
import { copyDe } from './catalogs/copy.de.js';
import { passkeysDe } from './catalogs/passkeys.de.js';
import { adminDe } from './catalogs/admin.de.js';
import { accountDe } from './catalogs/account.de.js';
import { filesDe } from './catalogs/files.de.js';
import { archiveDe } from './catalogs/archive.de.js';
import { previewDe } from './catalogs/preview.de.js';
import { uploadsDe } from './catalogs/uploads.de.js';
import { detailsDe } from './catalogs/details.de.js';
import { searchDe } from './catalogs/search.de.js';

/** The German catalog (Sie-Form, as German software addresses people it does not know). */
export const de: Catalog = {
  app: {
    name: 'My File',
    skipToContent: 'Zum Inhalt springen',
    language: 'Sprache',
  },
  common: {
    cancel: 'Abbrechen',
    close: 'Schließen',
    dismiss: 'Ausblenden',
    tryAgain: 'Erneut versuchen',
    showMore: 'Mehr anzeigen',
    loading: 'Wird geladen…',
  },
  auth: {
    signIn: 'Anmelden',
    twoFactorTitle: 'Zwei-Faktor-Authentifizierung',
    providers: 'Anmeldedienste',
    signInWith: 'Mit {{provider}} anmelden',
    waitingForPasskey: 'Warte auf Ihren Passkey…',
    usePasskey: 'Passkey verwenden',
    email: 'E-Mail',
    password: 'Passwort',
    newPassword: 'Neues Passwort',
    confirmPassword: 'Passwort bestätigen',
    confirmNewPassword: 'Neues Passwort bestätigen',
    passwordRule: 'Mindestens 10 Zeichen; vermeiden Sie gängige Passwörter.',
    signingIn: 'Anmeldung läuft…',
    forgotPassword: 'Passwort vergessen?',
    newHere: 'Neu hier?',
    createAnAccount: 'Konto erstellen',
    passwordOffUseProvider:
      'Die Anmeldung mit Passwort ist hier abgeschaltet: Melden Sie sich über einen der Dienste oben an.',
    passwordOffUsePasskey:
      'Die Anmeldung mit Passwort ist hier abgeschaltet: Melden Sie sich mit einem Passkey an.',
    createAccount: 'Konto erstellen',
    createYourAccount: 'Ihr Konto erstellen',
    accountsByProvider: 'Konten entstehen hier durch die Anmeldung über einen Anmeldedienst.',
    goToSignIn: 'Zur Anmeldung',
    checkYourEmail: 'Prüfen Sie Ihre E-Mails',
    verificationSent:
      'Wir haben einen Bestätigungslink an <strong>{{email}}</strong> geschickt. Öffnen Sie ihn, um Ihr Konto fertig einzurichten, und <signIn>melden Sie sich dann an</signIn>.',
    creating: 'Wird erstellt…',
    haveAccount: 'Sie haben schon ein Konto?',
    resetTitle: 'Passwort zurücksetzen',
    resetSent:
      'Falls es ein Konto für <strong>{{email}}</strong> gibt, ist ein Link zum Zurücksetzen unterwegs. Er funktioniert einmal und 30 Minuten lang.',
    sendResetLink: 'Link zum Zurücksetzen senden',
    backToSignIn: 'Zurück zur Anmeldung',
    chooseNewPassword: 'Neues Passwort wählen',
    resetLinkIncomplete:
      'Dieser Link ist unvollständig. Öffnen Sie den Link aus der E-Mail erneut oder <askAgain>fordern Sie einen neuen an</askAgain>.',
    passwordReset:
      'Ihr Passwort wurde geändert und alle Geräte wurden abgemeldet. <signIn>Melden Sie sich</signIn> mit dem neuen Passwort an.',
    setNewPassword: 'Neues Passwort festlegen',
    confirmNewEmailTitle: 'Neue E-Mail-Adresse bestätigen',
    linkIncomplete: 'Dieser Link ist unvollständig. Öffnen Sie den Link aus der E-Mail erneut.',
    confirming: 'Wird bestätigt…',
    newEmailConfirmed: 'Ihre neue Adresse ist bestätigt; melden Sie sich ab jetzt damit an.',
    goToMyFiles: 'Zu meinen Dateien',
    confirmEmailTitle: 'E-Mail-Adresse bestätigen',
    emailConfirmed:
      'Ihre E-Mail-Adresse ist bestätigt. <signIn>Melden Sie sich an</signIn>, um loszulegen.',
    recoveryCode: 'Wiederherstellungscode',
    recoveryCodeHint:
      'Einer der Codes, die Sie beim Einschalten der Zwei-Faktor-Authentifizierung gespeichert haben. Jeder funktioniert einmal.',
    authenticationCode: 'Authentifizierungscode',
    authenticationCodeHint: 'Der sechsstellige Code aus Ihrer Authenticator-App.',
    enterPasswordAgain: 'Passwort erneut eingeben',
    checking: 'Wird geprüft…',
    verify: 'Bestätigen',
    useAuthenticator: 'Authenticator-App verwenden',
    useRecoveryCode: 'Wiederherstellungscode verwenden',
  },
  nav: {
    main: 'Hauptmenü',
    files: 'Dateien',
    recent: 'Zuletzt verwendet',
    starred: 'Markiert',
    sharedWithMe: 'Für mich freigegeben',
    sharedByMe: 'Von mir freigegeben',
    trash: 'Papierkorb',
    account: 'Konto',
    admin: 'Verwaltung',
    signOut: 'Abmelden',
  },
  notFound: {
    title: 'Seite nicht gefunden',
    body: 'Unter dieser Adresse gibt es nichts.',
    goHome: 'Zu Ihren Dateien',
  },
  usage: {
    storageUsed: 'Belegter Speicher',
    used: '{{used}} von {{quota}} belegt',
    files_one: '{{count, number}} Datei',
    files_other: '{{count, number}} Dateien',
    inTrash: '{{size}} im Papierkorb',
  },
  errors: errorsDe,
  session: sessionDe,
  ...listsDe,
  sharing: sharingDe,
  links: linksDe,
  ...copyDe,
  passkeys: passkeysDe,
  admin: adminDe,
  account: accountDe,
  ...filesDe,
  ...archiveDe,
  ...previewDe,
  ...uploadsDe,
  ...detailsDe,
  ...searchDe,
};
