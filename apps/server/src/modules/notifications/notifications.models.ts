import { z } from 'zod';

/** What an operator or a user's own automation can subscribe to; mail and in-app events stay. */
export const archiveNotificationTypes = [
  'archive.completed',
  'archive.failed',
  'restore.completed',
  'restore.failed',
] as const;

export const archiveNotificationSchema = z.object({
  type: z.enum(archiveNotificationTypes),
  userId: z.string(),
  folder: z.object({ id: z.string(), name: z.string() }),
  /** The archive or restore job the outcome belongs to. */
  jobId: z.string(),
  error: z.string().nullable(),
  at: z.string(),
});

export type ArchiveNotification = z.infer<typeof archiveNotificationSchema>;

/**
 * SNS subjects must be ASCII without line breaks, and folder names are neither: the subject
 * names only the outcome; the folder is in the JSON body.
 */
const SUBJECTS: Record<ArchiveNotification['type'], string> = {
  'archive.completed': 'My File: folder archived',
  'archive.failed': 'My File: archive failed',
  'restore.completed': 'My File: folder restored',
  'restore.failed': 'My File: restore failed',
};

/**
 * The message as published: a JSON body, plus `type` and `userId` as message attributes so a
 * subscription's filter policy can pick one user's events, or only failures.
 */
export const toSnsMessage = (notification: ArchiveNotification) => ({
  Subject: SUBJECTS[notification.type],
  Message: JSON.stringify(notification),
  MessageAttributes: {
    type: { DataType: 'String', StringValue: notification.type },
    userId: { DataType: 'String', StringValue: notification.userId },
  },
});

const TOPIC_ARN = /^arn:aws[a-z-]*:sns:([a-z0-9-]+):\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/;

export const isSnsTopicArn = (value: string): boolean => TOPIC_ARN.test(value);

export const regionOfTopic = (topicArn: string): string => {
  const region = TOPIC_ARN.exec(topicArn)?.[1];
  if (region === undefined) throw new Error(`Not an SNS topic ARN: ${topicArn}`);
  return region;
};
