import { currentLanguage, type Language } from '../i18n/i18n.js';

const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

const cached = <T>(make: (language: Language) => T) => {
  const made = new Map<Language, T>();
  return () => {
    const language = currentLanguage();
    let value = made.get(language);
    if (!value) {
      value = make(language);
      made.set(language, value);
    }
    return value;
  };
};

const oneDecimal = cached(
  (language) => new Intl.NumberFormat(language, { maximumFractionDigits: 1, useGrouping: false }),
);
const dateTime = cached(
  (language) => new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' }),
);

/**
 * Sizes in binary units, as disks and quotas are counted: 50 GiB reads "50 GiB", not
 * "53.7 GB". One decimal below 100 and none when it is .0 ("12 MiB", "1.5 GiB"); the number
 * is written the chosen language's way ("1,5 GiB" in German), the unit stays.
 */
export const formatBytes = (bytes: number): string => {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const rounded = unit === 0 || value >= 100 ? Math.round(value) : Math.round(value * 10) / 10;
  return `${oneDecimal().format(rounded)} ${units[unit] ?? 'B'}`;
};

export const formatDate = (iso: string): string => dateTime().format(new Date(iso));

const whole = cached((language) => new Intl.NumberFormat(language));

/** A count written the language's way ("12,345" in English, "12.345" in German). */
export const formatCount = (count: number): string => whole().format(count);

const relative = cached(
  (language) => new Intl.RelativeTimeFormat(language, { numeric: 'auto', style: 'long' }),
);

const steps: [Intl.RelativeTimeFormatUnit, number][] = [
  ['second', 60],
  ['minute', 60],
  ['hour', 24],
  ['day', 7],
];

/**
 * Within the last week, how long ago in the language's words ("3 minutes ago", "gestern");
 * older times as a date, since "5 weeks ago" says less than the day itself.
 */
export const formatWhen = (iso: string, now = Date.now()): string => {
  let value = Math.round((new Date(iso).getTime() - now) / 1000);
  for (const [unit, size] of steps) {
    if (Math.abs(value) < size) return relative().format(unit === 'second' ? 0 : value, unit);
    value = Math.round(value / size);
  }
  return formatDate(iso);
};
