import { errorCodes } from '@myfile/contract';
import { afterEach, expect, test } from 'vitest';
import { changeLanguage } from '../i18n/i18n.js';
import { ApiError, errorMessage, networkError } from './api-error.js';

afterEach(async () => {
  await changeLanguage('en');
  localStorage.clear();
});

const refusal = (code: ConstructorParameters<typeof ApiError>[0]['code'], message: string) =>
  new ApiError({ status: 409, code, message });

test('a code with one meaning is said in the language shown when the error is', async () => {
  const taken = refusal('email_taken', 'An account with this email already exists.');
  expect(errorMessage(taken)).toBe('An account with this email already exists.');
  await changeLanguage('de');
  expect(errorMessage(taken)).toBe('Es gibt bereits ein Konto mit dieser E-Mail-Adresse.');
  expect(errorMessage(networkError())).toMatch(/^Der Server ist nicht erreichbar/);
  expect(errorMessage(new Error('boom'))).toBe(
    'Etwas ist schiefgelaufen. Bitte versuchen Sie es erneut.',
  );
});

test('a code whose sentence names something keeps the server words in English only', async () => {
  const clash = refusal('name_conflict', 'An item named "a.txt" already exists here.');
  expect(errorMessage(clash)).toBe('An item named "a.txt" already exists here.');
  await changeLanguage('de');
  expect(errorMessage(clash)).toBe('Hier gibt es bereits ein Element mit diesem Namen.');
});

test('every error code the API answers with has German words', async () => {
  await changeLanguage('de');
  for (const code of errorCodes) {
    const said = errorMessage(new ApiError({ status: 400, code, message: 'English words.' }));
    expect(said, code).not.toBe('English words.');
    expect(said, code).not.toContain('errors.');
  }
});

test('a wait is counted in the language, singular and plural', async () => {
  const wait = (seconds: number) =>
    errorMessage(
      new ApiError({ status: 429, code: 'rate_limited', message: 'x', retryAfterSeconds: seconds }),
    );
  expect(wait(1)).toBe('Too many attempts. Please wait 1 second and try again.');
  expect(wait(90)).toBe('Too many attempts. Please wait 2 minutes and try again.');
  await changeLanguage('de');
  expect(wait(42)).toBe(
    'Zu viele Versuche. Bitte warten Sie 42 Sekunden und versuchen Sie es dann erneut.',
  );
});

test('a non-JSON refusal from something in front of the server gives its status', async () => {
  await changeLanguage('de');
  const proxy = new ApiError({ status: 404, code: 'internal', message: 'x' });
  expect(errorMessage(proxy)).toBe('Die Anfrage ist fehlgeschlagen (HTTP 404).');
  const crash = new ApiError({ status: 500, code: 'internal', message: 'x' });
  expect(errorMessage(crash)).toBe(
    'Bei uns ist etwas schiefgelaufen. Bitte versuchen Sie es erneut.',
  );
});
