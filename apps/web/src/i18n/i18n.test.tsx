import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router';
import { afterEach, expect, test, vi } from 'vitest';
import { formatBytes, formatDate } from '../api/format.js';
import { NotFoundPage } from '../app/not-found-page.js';
import { changeLanguage, initialLanguage } from './i18n.js';
import { LanguagePicker } from './language-picker.js';

afterEach(async () => {
  localStorage.clear();
  vi.unstubAllGlobals();
  await changeLanguage('en');
  localStorage.clear();
});

const renderPage = () =>
  render(
    <MemoryRouter>
      <LanguagePicker />
      <NotFoundPage />
    </MemoryRouter>,
  );

test('picking Deutsch turns the page German, marks the document and is remembered', async () => {
  renderPage();
  expect(screen.getByRole('heading', { name: 'Page not found' })).toBeTruthy();
  await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Language' }), 'de');
  expect(await screen.findByRole('heading', { name: 'Seite nicht gefunden' })).toBeTruthy();
  expect(screen.getByRole('link', { name: 'Zu Ihren Dateien' })).toBeTruthy();
  expect(screen.getByRole('combobox', { name: 'Sprache' })).toBeTruthy();
  expect(document.documentElement.lang).toBe('de');
  expect(document.title).toBe('Seite nicht gefunden – My File');
  expect(localStorage.getItem('myfile.language')).toBe('de');
});

test('the first visit follows the browser: German for de-AT, English for anything we lack', () => {
  vi.stubGlobal('navigator', { languages: ['de-AT', 'en'], language: 'de-AT' });
  expect(initialLanguage()).toBe('de');
  vi.stubGlobal('navigator', { languages: ['fr-FR', 'es'], language: 'fr-FR' });
  expect(initialLanguage()).toBe('en');
  vi.stubGlobal('navigator', { languages: ['fr-FR', 'de'], language: 'fr-FR' });
  expect(initialLanguage()).toBe('de');
});

test('a remembered choice wins over the browser; a stored value we do not know does not', () => {
  vi.stubGlobal('navigator', { languages: ['de-DE'], language: 'de-DE' });
  localStorage.setItem('myfile.language', 'en');
  expect(initialLanguage()).toBe('en');
  localStorage.setItem('myfile.language', 'xx');
  expect(initialLanguage()).toBe('de');
});

test('sizes, counts and dates follow the language; binary units stay', async () => {
  expect(formatBytes(1536)).toBe('1.5 KiB');
  expect(formatBytes(1000)).toBe('1000 B');
  await changeLanguage('de');
  expect(formatBytes(1536)).toBe('1,5 KiB');
  expect(formatBytes(12 * 1024 ** 2)).toBe('12 MiB');
  expect(formatBytes(2.25 * 1024 ** 3)).toBe('2,3 GiB');
  expect(formatDate('2026-03-05T12:07:00Z')).toMatch(/^05\.03\.2026, \d\d:07$/);
});
