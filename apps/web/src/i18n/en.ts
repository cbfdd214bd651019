import { errorsEn } from './catalogs/errors.en.js';
import { sessionEn } from './catalogs/session.en.js';
import { listsEn } from './catalogs/lists.en.js';
import { sharingEn } from './catalogs/sharing.en.js';
import { linksEn } from './catalogs/links.en.js';
import { copyEn } from './catalogs/copy.en.js';
import { passkeysEn } from './catalogs/passkeys.en.js';
import { adminEn } from './catalogs/admin.en.js';
import { accountEn } from './catalogs/account.en.js';
import { filesEn } from './catalogs/files.en.js';
import { archiveEn } from './catalogs/archive.en.js';
import { previewEn } from './catalogs/preview.en.js';
import { uploadsEn } from './catalogs/uploads.en.js';
import { detailsEn } from './catalogs/details.en.js';
import { searchEn } from './catalogs/search.en.js';

/**
 * The English catalog: the reference every other language must match key for key (the
 * `Catalog` type makes a missing German string a type error). Plurals follow i18next's CLDR
 * suffixes (`_one`, `_other`); `{{n, number}}` formats a count the language's way.
 */
export const en = {
  app: {
    name: 'My File',
    skipToContent: 'Skip to content',
    language: 'Language',
  },
  common: {
    cancel: 'Cancel',
    close: 'Close',
    dismiss: 'Dismiss',
    tryAgain: 'Try again',
    showMore: 'Show more',
    loading: 'Loading…',
  },
  auth: {
    signIn: 'Sign in',
    twoFactorTitle: 'Two-factor authentication',
    providers: 'Sign-in providers',
    signInWith: 'Sign in with {{provider}}',
    waitingForPasskey: 'Waiting for your passkey…',
    usePasskey: 'Use a passkey',
    email: 'Email',
    password: 'Password',
    newPassword: 'New password',
    confirmPassword: 'Confirm password',
    confirmNewPassword: 'Confirm new password',
    passwordRule: 'At least 10 characters; avoid common passwords.',
    signingIn: 'Signing in…',
    forgotPassword: 'Forgot your password?',
    newHere: 'New here?',
    createAnAccount: 'Create an account',
    passwordOffUseProvider: 'Password sign-in is turned off here: sign in with a provider above.',
    passwordOffUsePasskey: 'Password sign-in is turned off here: sign in with a passkey.',
    createAccount: 'Create account',
    createYourAccount: 'Create your account',
    accountsByProvider: 'Accounts here are made by signing in with a sign-in provider.',
    goToSignIn: 'Go to sign in',
    checkYourEmail: 'Check your email',
    verificationSent:
      'We sent a confirmation link to <strong>{{email}}</strong>. Open it to finish creating your account, then <signIn>sign in</signIn>.',
    creating: 'Creating…',
    haveAccount: 'Already have an account?',
    resetTitle: 'Reset your password',
    resetSent:
      'If an account exists for <strong>{{email}}</strong>, a reset link is on its way. It works once, for 30 minutes.',
    sendResetLink: 'Send reset link',
    backToSignIn: 'Back to sign in',
    chooseNewPassword: 'Choose a new password',
    resetLinkIncomplete:
      'This link is incomplete. Open the link from the email again, or <askAgain>ask for a new one</askAgain>.',
    passwordReset:
      'Your password is changed and every device was signed out. <signIn>Sign in</signIn> with the new password.',
    setNewPassword: 'Set new password',
    confirmNewEmailTitle: 'Confirm your new email address',
    linkIncomplete: 'This link is incomplete. Open the link from the email again.',
    confirming: 'Confirming…',
    newEmailConfirmed: 'Your new address is confirmed; sign in with it from now on.',
    goToMyFiles: 'Go to my files',
    confirmEmailTitle: 'Confirm your email',
    emailConfirmed: 'Your email is confirmed. <signIn>Sign in</signIn> to start.',
    recoveryCode: 'Recovery code',
    recoveryCodeHint: 'One of the codes you saved when you turned on two-factor. Each works once.',
    authenticationCode: 'Authentication code',
    authenticationCodeHint: 'The 6-digit code from your authenticator app.',
    enterPasswordAgain: 'Enter your password again',
    checking: 'Checking…',
    verify: 'Verify',
    useAuthenticator: 'Use your authenticator app',
    useRecoveryCode: 'Use a recovery code',
  },
  nav: {
    main: 'Main',
    files: 'Files',
    recent: 'Recent',
    starred: 'Starred',
    sharedWithMe: 'Shared with me',
    sharedByMe: 'Shared by me',
    trash: 'Trash',
    account: 'Account',
    admin: 'Admin',
    signOut: 'Sign out',
  },
  notFound: {
    title: 'Page not found',
    body: 'There is nothing at this address.',
    goHome: 'Go to your files',
  },
  usage: {
    storageUsed: 'Storage used',
    used: '{{used}} of {{quota}} used',
    files_one: '{{count, number}} file',
    files_other: '{{count, number}} files',
    inTrash: '{{size}} in the trash',
  },
  errors: errorsEn,
  session: sessionEn,
  ...listsEn,
  sharing: sharingEn,
  links: linksEn,
  ...copyEn,
  passkeys: passkeysEn,
  admin: adminEn,
  account: accountEn,
  ...filesEn,
  ...archiveEn,
  ...previewEn,
  ...uploadsEn,
  ...detailsEn,
  ...searchEn,
};

type Strings<T> = { [K in keyof T]: T[K] extends string ? string : Strings<T[K]> };
export type Catalog = Strings<typeof en>;
