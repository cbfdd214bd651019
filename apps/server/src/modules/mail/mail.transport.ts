import fs from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import { uuidv7 } from 'uuidv7';

export type MailMessage = { to: string; subject: string; text: string };

export type Mailer = {
  send(message: MailMessage): Promise<void>;
  close(): void;
};

/** Opened on first use: the mail library loads with the first message most processes never send. */
const lazy = <T>(open: () => Promise<T>) => {
  let opened: Promise<T> | undefined;
  return { get: () => (opened ??= open()), ifOpened: () => opened };
};

const nodemailer = async () => (await import('nodemailer')).default;

/**
 * SMTP to MAIL_URL, or (mail off) the log plus DATA_DIR/outbox/<id>.eml, so a local install
 * can still follow its verification and reset links.
 */
export const createMailer = ({
  config,
  logger,
}: {
  config: { MAIL_URL?: string | undefined; MAIL_FROM: string; DATA_DIR: string };
  logger: Pick<Logger, 'info'>;
}): Mailer => {
  if (config.MAIL_URL) {
    const url = config.MAIL_URL;
    const transport = lazy(async () => (await nodemailer()).createTransport(url));
    return {
      send: async (message) => {
        await (await transport.get()).sendMail({ from: config.MAIL_FROM, ...message });
      },
      close: () => void transport.ifOpened()?.then((opened) => opened.close()),
    };
  }
  const writer = lazy(async () =>
    (await nodemailer()).createTransport({ streamTransport: true, buffer: true }),
  );
  const outbox = path.join(config.DATA_DIR, 'outbox');
  return {
    send: async (message) => {
      const info = await (await writer.get()).sendMail({ from: config.MAIL_FROM, ...message });
      await fs.mkdir(outbox, { recursive: true, mode: 0o700 });
      const file = path.join(outbox, `${uuidv7()}.eml`);
      await fs.writeFile(file, info.message as Buffer, { mode: 0o600 });
      logger.info(
        { to: message.to, subject: message.subject, file },
        `mail (not sent): ${message.text}`,
      );
    },
    close: () => void writer.ifOpened()?.then((opened) => opened.close()),
  };
};
