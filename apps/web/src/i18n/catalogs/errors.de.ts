import type { Catalog } from '../en.js';

export const errorsDe: Catalog['errors'] = {
  rateLimitedWait: 'Zu viele Versuche. Bitte warten Sie {{wait}} und versuchen Sie es dann erneut.',
  seconds_one: '{{count, number}} Sekunde',
  seconds_other: '{{count, number}} Sekunden',
  minutes_one: '{{count, number}} Minute',
  minutes_other: '{{count, number}} Minuten',
  notAccepted:
    'Ein Teil dieser Anfrage wurde nicht akzeptiert. Prüfen Sie Ihre Eingaben und versuchen Sie es erneut.',
  generic: 'Etwas ist schiefgelaufen. Bitte versuchen Sie es erneut.',
  httpStatus: 'Die Anfrage ist fehlgeschlagen (HTTP {{status}}).',
  code: {
    network:
      'Der Server ist nicht erreichbar. Prüfen Sie Ihre Verbindung und versuchen Sie es erneut.',
    unavailable:
      'Der Server ist gerade nicht verfügbar. Bitte versuchen Sie es gleich noch einmal.',
    internal: 'Bei uns ist etwas schiefgelaufen. Bitte versuchen Sie es erneut.',
    email_not_verified:
      'Bestätigen Sie Ihre E-Mail-Adresse über den Link, den wir Ihnen geschickt haben, und melden Sie sich dann an.',
    account_disabled: 'Dieses Konto wurde von der Administration deaktiviert.',
    email_taken: 'Es gibt bereits ein Konto mit dieser E-Mail-Adresse.',
    link_invalid:
      'Dieser Link ist ungültig, abgelaufen oder wurde schon verwendet. Fordern Sie einen neuen an.',
    link_expired: 'Dieser Link ist abgelaufen oder wurde von seinem Besitzer deaktiviert.',
    link_not_copyable:
      'Dieser Link wurde erstellt, bevor Links erneut kopiert werden konnten, daher ist seine Adresse nicht gespeichert. Er funktioniert weiterhin für alle, die ihn haben; um erneut zu teilen, erstellen Sie einen neuen Link (und widerrufen Sie diesen, wenn Sie möchten).',
    password_required:
      'Dieser Link ist durch ein Passwort geschützt; geben Sie es ein, um fortzufahren.',
    password_sign_in_disabled:
      'Die Anmeldung mit Passwort ist hier deaktiviert: Verwenden Sie einen Anmeldeanbieter.',
    reauth_required:
      'Bestätigen Sie, dass Sie es sind (Passwort, Authentifizierungscode oder Passkey), um dies zu tun.',
    csrf_invalid:
      'Diese Seite konnte nicht bestätigt werden. Laden Sie sie neu; hilft das nicht, öffnen Sie sie unter der Adresse, für die dieser Server eingerichtet ist.',
    insufficient_storage:
      'Auf dem Server ist kein Platz mehr; löschen Sie etwas, leeren Sie den Papierkorb oder versuchen Sie es später.',
    folder_archived:
      'Dieser Ordner ist archiviert (oder wird gerade archiviert oder wiederhergestellt) und schreibgeschützt.',
    file_archived:
      'Diese Datei ist archiviert; stellen Sie ihren Ordner wieder her, bevor Sie sie herunterladen.',
    precondition_failed:
      'Es wurde seit dem letzten Laden geändert; laden Sie neu und versuchen Sie es erneut.',
    rate_limited: 'Zu viele Anfragen. Bitte versuchen Sie es später erneut.',
    invalid_request:
      'Etwas an dieser Anfrage wurde nicht angenommen. Prüfen Sie Ihre Eingaben und versuchen Sie es erneut.',
    unauthenticated: 'Sie sind abgemeldet. Melden Sie sich erneut an, um fortzufahren.',
    invalid_credentials: 'E-Mail-Adresse oder Passwort sind falsch.',
    password_rejected: 'Wählen Sie ein anderes Passwort: Dieses ist zu kurz oder zu verbreitet.',
    sso_failed:
      'Die Anmeldung über den Anbieter hat nicht geklappt. Bitte versuchen Sie es erneut.',
    sso_not_linked:
      'Mit dieser Anmeldung ist hier kein Konto verknüpft. Melden Sie sich anders an und verknüpfen Sie sie auf Ihrer Kontoseite.',
    sso_unavailable: 'Dieser Anmeldeanbieter ist gerade nicht verfügbar.',
    forbidden: 'Dazu sind Sie nicht berechtigt.',
    not_found: 'Dieses Element gibt es nicht (mehr), oder Sie können es nicht sehen.',
    name_conflict: 'Hier gibt es bereits ein Element mit diesem Namen.',
    folder_not_empty: 'Dieser Ordner ist nicht leer.',
    conflict:
      'Das überschneidet sich mit einer gleichzeitigen Änderung. Laden Sie neu und versuchen Sie es erneut.',
    idempotency_key_reused: 'Diese Anfrage wurde bereits mit anderem Inhalt gesendet.',
    too_large: 'Das ist größer als erlaubt.',
    checksum_mismatch:
      'Die Datei ist beschädigt angekommen (ihre Prüfsumme stimmt nicht). Bitte laden Sie sie erneut hoch.',
    quota_exceeded: 'Dafür ist in diesem Speicher nicht genug Platz frei.',
    unsupported_media_type: 'Diese Art von Inhalt wird hier nicht angenommen.',
    range_not_satisfiable: 'Den angeforderten Teil der Datei gibt es nicht.',
    thumbnail_not_ready: 'Das Vorschaubild ist noch nicht fertig.',
    locked: 'Dieses Element ist gerade von einem anderen Programm gesperrt.',
    method_not_allowed: 'Das ist mit diesem Element nicht möglich.',
  },
  field: {
    emailMissing: 'Geben Sie Ihre E-Mail-Adresse ein.',
    emailShape: 'Geben Sie eine E-Mail-Adresse wie name@example.com ein.',
    choosePassword: 'Wählen Sie ein Passwort.',
    passwordTooShort_one: 'Verwenden Sie mindestens {{min}} Zeichen (bisher {{count, number}}).',
    passwordTooShort_other: 'Verwenden Sie mindestens {{min}} Zeichen (bisher {{count, number}}).',
    passwordsDiffer: 'Die Passwörter stimmen nicht überein.',
    passwordMin: 'Verwenden Sie mindestens {{min}} Zeichen.',
    currentPassword: 'Geben Sie Ihr aktuelles Passwort ein.',
    name: 'Geben Sie einen Namen mit 1 bis 255 Zeichen ein.',
    notAccepted: 'Dieser Wert wird nicht akzeptiert.',
  },
};
